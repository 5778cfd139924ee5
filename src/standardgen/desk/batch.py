"""CSV batches at the desk: the command line's ``write_letters``, in a process of its own.

Each batch gets a private temporary folder (``core.tempdirs``: 0700, locked, swept at the next
start if a crash leaves it) and a process of its own (spawn) that runs ``write_letters`` on the
upload there, zips the letters into ``breve.zip`` beside them and deletes the letters and the
CSV. A process rather than a thread: the renderers' memory goes back to the system when it
ends (in a thread the desk kept ~35 MB more after its first 2,000-row batch, and the zip another
120 MB while it waited), and a batch is stopped in the middle by SIGTERM with no torn file.

The zip is read from the disk when it is fetched, and deleted after its first complete
download or :data:`ZIP_SECONDS` after the batch finished, whichever comes first; at most
:data:`MAX_HELD` batches hold a folder at once. The report (row, masked case number, written or
the located reasons) stays in memory for :data:`KEEP_SECONDS`. :meth:`BatchRunner.close` stops
every batch and removes every folder: the desk calls it on its way out.

A file whose header has an error gets nothing: a misspelt column would otherwise silently drop
a value from every letter.
"""

from __future__ import annotations

import atexit
import csv
import functools
import gc
import io
import multiprocessing
import os
import secrets
import shutil
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from standardgen.cases.check import CaseChecker
from standardgen.cases.letter_kinds import get_kind, kind_names
from standardgen.cases.read import REASONS_COLUMN, csv_columns, iter_cases, load_cases
from standardgen.core.cpr import mask_in_text
from standardgen.core.pool import exit_cleanly, watch_parent
from standardgen.core.problems import Problem, errors
from standardgen.core.tempdirs import private_tempdir, remove_tempdir
from standardgen.desk.casedata import to_yaml
from standardgen.letters.batch import Format
from standardgen.letters.run import write_letters
from standardgen.standards.catalogue import load_catalogue

CSV_NAME = "sager.csv"
REPORT_NAME = "rapport.csv"
REJECTED_NAME = "afviste.csv"
ZIP_NAME = "breve.zip"
FOLDER_PREFIX = "standardgen-desk-"  # swept at start when stale (desk.server)
KEEP_SECONDS = 15 * 60  # a finished report is dropped after this long
ZIP_SECONDS = 10 * 60  # a zip nobody fetched is deleted after this long
MAX_RUNNING = 2  # batches at a time (the machine has few cores; single letters go on)
MAX_HELD = 4  # batches with a folder (running, or a zip not fetched yet) at once
STOP_SECONDS = 10.0  # a batch told to stop has this long to clean up before it is killed


class Busy(Exception):
    """No new batch now: two are running (``running``), or too many zips wait to be fetched."""

    def __init__(self, running: bool) -> None:
        super().__init__("running" if running else "held")
        self.running = running


@dataclass(frozen=True)
class Row:
    line: int
    case_number: str
    written: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """What a batch's process sends back: no names, no CPR numbers, only masked case numbers."""

    rows: tuple[Row, ...]
    general: tuple[str, ...]
    header_error: bool = False
    zipped: bool = False
    rejected: bool = False  # the refused rows wait in the folder as afviste.csv


@dataclass
class Job:
    owner: str  # the browser's CSRF cookie: only that browser sees the report
    total: int = 0
    done: int = 0
    finished: bool = False
    header_error: bool = False
    rows: list[Row] = field(default_factory=list)
    general: list[str] = field(default_factory=list)  # problems not on a row
    archive: Path | None = None  # the zip, while it may be fetched
    rejected: Path | None = None  # the refused rows (CSV with "fejl"), while the folder is kept
    delivered: bool = False  # the zip was fetched once, and deleted
    created: float = field(default_factory=time.monotonic)
    finished_at: float = 0.0
    folder: Path | None = None
    process: BaseProcess | None = None

    @property
    def written(self) -> int:
        return sum(1 for row in self.rows if row.written)


#: What a batch's process runs: the folder holding ``sager.csv``, the standards, the templates,
#: and ``start(total)``/``progress(count)`` for the progress bar.
Work = Callable[[Path, Sequence[Path], Path, Callable[[int], None], Callable[[int], None]],
                Report]


class BatchRunner:
    def __init__(self, standards: Sequence[Path], templates: Path, *,
                 zip_seconds: float = ZIP_SECONDS, max_held: int = MAX_HELD,
                 work: Work | None = None, memo: bool = False) -> None:
        self.standards, self.templates = tuple(standards), templates
        self.zip_seconds, self.max_held = zip_seconds, max_held
        # A module-level function (the process imports it); with ``memo`` the zip holds each
        # letter's Digital Post message too.
        self.work = work or functools.partial(run_batch, memo=memo)
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._closed = False
        atexit.register(self.close)  # whatever else the process forgets: no batch outlives it

    def start(self, raw: bytes, owner: str) -> str:
        """Start a batch; its id. :class:`Busy` when it cannot start now."""
        with self._lock:
            self._expire()
            if self._closed or sum(not job.finished for job in self.jobs.values()) >= MAX_RUNNING:
                raise Busy(running=True)
            if sum(job.folder is not None for job in self.jobs.values()) >= self.max_held:
                raise Busy(running=False)
            job_id = secrets.token_urlsafe(16)
            # The rows counted now, so the first page shows "0 af 40", never "0 af 0".
            job = self.jobs[job_id] = Job(owner, total=count_rows(raw),
                                          folder=private_tempdir(FOLDER_PREFIX))
            _write_private(job.folder / CSV_NAME, raw)  # type: ignore[operator]
            thread = threading.Thread(target=self._run, args=(job,), name="desk-batch",
                                      daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job_id

    def get(self, job_id: str, owner: str) -> Job | None:
        with self._lock:
            self._expire()
            job = self.jobs.get(job_id)
        return job if job is not None and secrets.compare_digest(job.owner, owner) else None

    def delivered(self, job: Job) -> None:
        """The zip was downloaded completely once: delete it (and its folder)."""
        with self._lock:
            job.delivered = job.archive is not None or job.delivered
            self._discard(job)

    def close(self) -> None:
        """Stop every batch (SIGTERM: it removes its temporary files) and remove every folder.
        Later batches are refused."""
        with self._lock:
            self._closed = True
            jobs = list(self.jobs.values())
            threads = list(self._threads)
        for job in jobs:
            if job.process is not None and job.process.is_alive():
                job.process.terminate()
        for thread in threads:
            thread.join(STOP_SECONDS + 5)
        with self._lock:
            for job in jobs:
                self._discard(job)

    # --- a batch's life ----------------------------------------------------------------

    def _run(self, job: Job) -> None:
        report: Report | None = None
        try:
            report = self._in_process(job)
        except _Failed as exc:  # the report says so; the log gets nothing
            job.general.append(f"kørslen stoppede uventet ({exc})")
        with self._lock:
            if report is not None:
                job.rows, job.header_error = list(report.rows), report.header_error
                job.general += report.general
            kept = report is not None and (report.zipped or report.rejected)
            if kept and not self._closed:
                assert report is not None and job.folder is not None
                job.archive = job.folder / ZIP_NAME if report.zipped else None
                job.rejected = job.folder / REJECTED_NAME if report.rejected else None
            else:
                self._discard(job)
            job.finished, job.finished_at = True, time.monotonic()
        _later(self.zip_seconds, self._expire_zip, job)
        _later(KEEP_SECONDS, self._drop, job)

    def _in_process(self, job: Job) -> Report:
        context = multiprocessing.get_context("spawn")
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_serve, name="standardgen-desk-batch", daemon=True,
                                  args=(self.work, job.folder, self.standards, self.templates,
                                        writer))
        with self._lock:
            if self._closed:
                raise _Failed("skrivebordet lukker")
            job.process = process
            process.start()
        writer.close()
        try:
            return _relay(reader, job)
        finally:
            reader.close()
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()

    def _expire(self) -> None:
        now = time.monotonic()
        for key, job in list(self.jobs.items()):
            if job.finished and now - job.finished_at > self.zip_seconds:
                self._discard(job)
            if job.finished and now - job.created > KEEP_SECONDS:
                del self.jobs[key]

    def _expire_zip(self, job: Job) -> None:
        with self._lock:
            self._discard(job)

    def _drop(self, job: Job) -> None:
        with self._lock:
            self._discard(job)
            for key in [k for k, held in self.jobs.items() if held is job]:
                del self.jobs[key]

    @staticmethod
    def _discard(job: Job) -> None:
        """Remove the job's folder (the zip with it); under the lock."""
        if job.folder is not None:
            remove_tempdir(job.folder)
        job.folder = job.archive = job.rejected = None


class _Failed(Exception):
    """The batch's process stopped without a report."""


def _relay(reader: Connection, job: Job) -> Report:
    """Pass the process's progress on to the job until its report comes."""
    while True:
        try:
            kind, value = reader.recv()
        except EOFError:
            raise _Failed("processen stoppede") from None
        if kind == "start":
            job.total = value
        elif kind == "progress":
            job.done += value
        elif kind == "failed":
            raise _Failed(value)
        else:
            return value  # type: ignore[no-any-return]


def _later(seconds: float, action: Callable[[Job], None], job: Job) -> None:
    timer = threading.Timer(seconds, action, args=(job,))
    timer.daemon = True
    timer.start()


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


# --- in the batch's process ------------------------------------------------------------------

def _serve(work: Work, folder: Path, standards: Sequence[Path], templates: Path,
           conn: Connection) -> None:
    """A batch process's life: SIGTERM ends it cleanly, Ctrl-C is the desk's to handle (the
    terminal sends it to both), and it ends by itself if the desk dies."""
    signal.signal(signal.SIGTERM, exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent()
    try:
        report = work(folder, standards, templates, lambda n: conn.send(("start", n)),
                      lambda n: conn.send(("progress", n)))
    except Exception as exc:  # the type only: a message may quote a citizen
        conn.send(("failed", type(exc).__name__))
    else:
        conn.send(("report", report))
    finally:
        conn.close()


def run_batch(folder: Path, standards: Sequence[Path], templates: Path,
              start: Callable[[int], None], progress: Callable[[int], None],
              memo: bool = False) -> Report:
    """Write the letters of ``folder/sager.csv`` (and their Digital Post messages, with
    ``memo``), their follow-up forms and case files, and zip them with a report into
    ``folder/breve.zip``; the refused rows go to ``folder/afviste.csv`` (and the zip). The CSV
    and the loose files are deleted."""
    path, out = folder / CSV_NAME, folder / "breve"
    parts = {"": out, "opfoelgningsskemaer/": folder / "skemaer", "sager/": folder / "sager"}
    try:
        table, header = _read(path)
        if errors(header):
            return Report((), tuple(_reason(p) for p in header), header_error=True)
        formats = (Format.pdf, Format.docx, *((Format.memo,) if memo else ()))
        outcome = write_letters([path], standards, out, formats, jobs=1,
                                progress=progress, start=start, templates=templates)
        written = {p.name for p in out.glob("*.pdf")} if out.is_dir() else set()
        rows = _report(table.numbers(), outcome.problems, written)
        general = tuple(_reason(p) for p in outcome.problems if p.line == 0)
        lines = {row.line for row in rows if row.written}
        _case_files(path, standards, parts["sager/"], lines)
        _forms(path, standards, templates, parts["opfoelgningsskemaer/"],
               {row.case_number for row in rows if row.written})
        rejected = table.rejected(rows)
        if rejected:
            _write_private(folder / REJECTED_NAME, rejected)
    finally:
        path.unlink(missing_ok=True)  # the citizens' CPR numbers first
    extra = {REPORT_NAME: report_csv(rows, general), **({REJECTED_NAME: rejected} if rejected
                                                          else {})}
    names = _zip(parts, extra, folder / ZIP_NAME) if lines else set()
    for part in parts.values():
        shutil.rmtree(part, ignore_errors=True)
    return Report(tuple(rows), general, zipped=bool(names), rejected=bool(rejected))


@dataclass(frozen=True)
class _Table:
    """The uploaded CSV as rows of cells, by the line each row starts on (as problems are)."""

    delimiter: str
    header: list[str]  # as uploaded (Danish headings stay Danish in the refused rows)
    keys: list[str]  # what each column is (csv_columns: a label or an alias is its key)
    rows: dict[int, list[str]]

    def numbers(self) -> dict[int, tuple[str, str]]:
        """Each row's case number as shown (masked) and the name its letter gets."""
        return {line: (mask_in_text(_cell(cells, self.keys, "case_number")),
                       _file_stem(_cell(cells, self.keys, "case_number"),
                                  _cell(cells, self.keys, "result")))
                for line, cells in self.rows.items()}

    def rejected(self, report: Sequence[Row]) -> bytes:
        """The refused rows as they were uploaded, with a "fejl" column: fix and upload again
        (the column is read as nothing). Empty when no row was refused."""
        refused = [row for row in report if not row.written and row.line in self.rows]
        if not refused:
            return b""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow([*self.header, REASONS_COLUMN])
        for row in refused:
            writer.writerow([*self.rows[row.line], "; ".join(row.reasons)])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8


def count_rows(raw: bytes) -> int:
    """The data rows of an uploaded CSV (a rough count: the run reads it properly), so the
    first page shows "0 af 40", never "0 af 0"."""
    text = raw.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="," if first.count(",") >= first.count(";")
                        else ";")
    try:
        return max(0, sum(1 for row in reader if any(cell.strip() for cell in row)) - 1)
    except csv.Error:
        return 0


def _read(path: Path) -> tuple[_Table, list[Problem]]:
    """The rows of the file, and the header's problems (as `standardgen letter` reads it)."""
    header: list[Problem] = []
    for reading in iter_cases([path]):
        header += [p for p in reading.problems if p.line <= 1]
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = "," if first.count(",") >= first.count(";") else ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    names = next(reader, [])
    rows: dict[int, list[str]] = {}
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows[start] = cells
        start = reader.line_num + 1
    keys = csv_columns([name.strip() for name in names])
    return _Table(delimiter, names, keys, rows), header


def _cell(row: Sequence[str], names: Sequence[str], column: str) -> str:
    """The cell of ``column`` (a key) in ``row``, stripped; empty when there is none."""
    index = names.index(column) if column in names else len(row)
    return row[index].strip() if index < len(row) else ""


def _file_stem(number: str, result: str) -> str:
    """The name ``write_letters`` gives the case's letter: a change or an ending adds its
    kind's suffix (``2026-083-0101-aendring``), so a later decision never takes the grant's."""
    if not number:
        return ""
    return number + (get_kind(result).file_suffix if result in kind_names() else "")


def _report(rows: dict[int, tuple[str, str]], problems: Sequence[Problem],
            written: set[str]) -> list[Row]:
    reasons: dict[int, list[str]] = {}
    for problem in errors(problems):
        if problem.line > 1:
            reasons.setdefault(problem.line, []).append(_reason(problem))
            rows.setdefault(problem.line, ("", ""))
    report = []
    for line in sorted(rows):
        shown, stem = rows[line]
        done = line not in reasons and bool(stem) and f"{stem}.pdf" in written
        report.append(Row(line, shown, done, tuple(reasons.get(line, ()))))
    return report


def _reason(problem: Problem) -> str:
    """A problem of a row as the report says it: it names its field in Danish already."""
    return mask_in_text(problem.message)


def _case_files(path: Path, standards: Sequence[Path], out: Path, lines: set[int]) -> None:
    """Each written row as the case file `standardgen letter` and the desk read (ISO dates)."""
    out.mkdir(mode=0o700)
    by_slug = {item.slug: item for item in load_catalogue(standards).standards}
    for source in load_cases([path], check=CaseChecker(by_slug)).cases:
        document = source.document
        if document is None or document.mark(())[0] not in lines:
            continue
        name = source.case.case_number + source.case.kind.file_suffix
        _write_private(out / f"{name}.yaml", to_yaml(document.data))


def _forms(path: Path, standards: Sequence[Path], templates: Path, out: Path,
           numbers: set[str]) -> None:
    """The follow-up forms (PDF) of the written rows whose kind has one."""
    from standardgen.forms.build import Format as FormFormat
    from standardgen.forms.build import plan_forms, write_forms
    from standardgen.forms.render import FormRenderer

    plan = plan_forms([path], standards)
    plan.jobs = [job for job in plan.jobs if job.case_number in numbers]
    if not plan.jobs:
        return
    renderer = FormRenderer(templates)
    write_forms(plan, out, FormFormat.pdf, renderer, jobs=1)
    # WeasyPrint keeps the fonts of @font-face in a temporary folder of its own until its font
    # configuration is collected: collected now, so a batch leaves no folder behind.
    del renderer
    gc.collect()


def report_csv(rows: Sequence[Row], general: Sequence[str]) -> bytes:
    """The run's report for the zip: one line per row (written or refused, and why), and
    what stopped no single row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Række", "Sagsnummer", "Resultat", "Fejl"])
    for row in rows:
        writer.writerow([row.line, row.case_number, "skrevet" if row.written else "afvist",
                         "; ".join(row.reasons)])
    writer.writerows(["", "", "", reason] for reason in general)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _zip(parts: dict[str, Path], extra: dict[str, bytes], target: Path) -> set[str]:
    """Zip the files of each folder in ``parts`` (under its prefix) and ``extra`` into
    ``target`` (written under a temporary name, then renamed); the names zipped."""
    names = set()
    partial = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for prefix, folder in parts.items():
            for path in sorted(folder.glob("*")) if folder.is_dir() else []:
                if path.is_file() and not path.name.startswith("."):
                    archive.write(path, prefix + path.name)
                    names.add(prefix + path.name)
        for name, data in extra.items():
            archive.writestr(name, data)
    os.replace(partial, target)
    return names
