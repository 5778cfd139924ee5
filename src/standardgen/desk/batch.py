"""CSV batches at the desk: the command line's ``write_letters`` in a private temporary folder.

The upload is written to a temporary folder (0700) only because the command line's reader takes
files; the letters are written there by ``write_letters`` itself, zipped into memory, and the
folder is removed whether the run succeeded or not. The report (row, case number, written or
the located reasons) and the zip stay in memory until they are fetched or expire.

A file whose header has an error gets nothing: a misspelt column would otherwise silently drop
a value from every letter.
"""

from __future__ import annotations

import csv
import gc
import io
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from standardgen.cases.check import CaseChecker
from standardgen.cases.read import REASONS_COLUMN, csv_columns, iter_cases, load_cases
from standardgen.core.cpr import mask_in_text
from standardgen.core.problems import Problem, errors
from standardgen.desk.casedata import to_yaml
from standardgen.forms.build import Format as FormFormat
from standardgen.letters.batch import Format
from standardgen.letters.run import write_letters
from standardgen.standards.catalogue import load_catalogue

CSV_NAME = "sager.csv"
REPORT_NAME = "rapport.csv"
KEEP_SECONDS = 15 * 60  # a finished report and its zip are dropped after this long
MAX_RUNNING = 2  # batches at a time (the machine has few cores; single letters go on)


@dataclass(frozen=True)
class Row:
    line: int
    case_number: str
    written: bool
    reasons: tuple[str, ...]


@dataclass
class Job:
    owner: str  # the browser's CSRF cookie: only that browser sees the report
    total: int = 0
    done: int = 0
    finished: bool = False
    header_error: bool = False
    rows: list[Row] = field(default_factory=list)
    general: list[str] = field(default_factory=list)  # problems not on a row
    archive: bytes = b""
    rejected: bytes = b""  # the refused rows with a "fejl" column (CSV)
    created: float = field(default_factory=time.monotonic)

    @property
    def written(self) -> int:
        return sum(1 for row in self.rows if row.written)


class BatchRunner:
    def __init__(self, standards: Sequence[Path], templates: Path) -> None:
        self.standards, self.templates = tuple(standards), templates
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, raw: bytes, owner: str) -> str | None:
        """Start a batch in a thread; its id, or None when too many are running."""
        with self._lock:
            self._expire()
            if sum(1 for job in self.jobs.values() if not job.finished) >= MAX_RUNNING:
                return None
            job_id = secrets.token_urlsafe(16)
            # The rows counted now, so the first page shows "0 af 40", never "0 af 0".
            job = self.jobs[job_id] = Job(owner, total=count_rows(raw))
        threading.Thread(target=self._run, args=(job, raw), name="desk-batch",
                         daemon=True).start()
        return job_id

    def get(self, job_id: str, owner: str) -> Job | None:
        with self._lock:
            self._expire()
            job = self.jobs.get(job_id)
        return job if job is not None and secrets.compare_digest(job.owner, owner) else None

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, job in self.jobs.items()
                    if job.finished and now - job.created > KEEP_SECONDS]:
            del self.jobs[key]

    def _run(self, job: Job, raw: bytes) -> None:
        folder = Path(tempfile.mkdtemp(prefix="standardgen-desk-"))  # created 0700
        try:
            run_batch(job, raw, folder, self.standards, self.templates)
        except Exception as exc:  # the report says so; the log gets the type only
            job.general.append(f"kørslen stoppede uventet ({type(exc).__name__})")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            job.finished = True
            # The report and its letters leave memory after KEEP_SECONDS, fetched or not.
            timer = threading.Timer(KEEP_SECONDS, self._drop, args=(job,))
            timer.daemon = True
            timer.start()

    def _drop(self, job: Job) -> None:
        with self._lock:
            for key in [k for k, held in self.jobs.items() if held is job]:
                del self.jobs[key]


def run_batch(job: Job, raw: bytes, folder: Path, standards: Sequence[Path],
              templates: Path) -> None:
    csv_path = folder / CSV_NAME
    csv_path.write_bytes(raw)
    csv_path.chmod(0o600)
    table, header = _read(csv_path)
    if errors(header):
        job.header_error = True
        job.general += [_reason(p) for p in header]
        job.finished = True
        return
    job.total = len(table.rows)  # the real count from the start, before anything is checked
    out = folder / "breve"

    def progress(count: int) -> None:
        job.done += count

    outcome = write_letters([csv_path], standards, out, (Format.pdf, Format.docx), jobs=1,
                            progress=progress, templates=templates)
    job.rows = _report(table.numbers(), outcome.problems, out)
    job.general += [_reason(p) for p in outcome.problems if p.line == 0]
    written = {row.line for row in job.rows if row.written}
    cases = _case_files(csv_path, standards, folder / "sager", written)
    numbers = {row.case_number for row in job.rows if row.written}
    forms = _forms(csv_path, standards, templates, folder / "opfoelgning", numbers)
    job.rejected = table.rejected(job.rows)
    job.archive = _zip({"": out, "opfoelgningsskemaer/": forms, "sager/": cases},
                       report_csv(job.rows, job.general))


def count_rows(raw: bytes) -> int:
    """The data rows of an uploaded CSV (a rough count: the run reads it properly)."""
    text = raw.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="," if first.count(",") >= first.count(";")
                        else ";")
    try:
        return max(0, sum(1 for row in reader if any(cell.strip() for cell in row)) - 1)
    except csv.Error:
        return 0


@dataclass(frozen=True)
class _Table:
    """The uploaded CSV as rows of cells, by the line each row starts on."""

    delimiter: str
    header: list[str]
    rows: dict[int, list[str]]
    number_column: int | None

    def numbers(self) -> dict[int, str]:
        """Each row's case number, as written and masked (a CPR number never shows)."""
        column = self.number_column
        return {line: mask_in_text(cells[column].strip()) if column is not None
                and column < len(cells) else "" for line, cells in self.rows.items()}

    def rejected(self, report: Sequence[Row]) -> bytes:
        """The refused rows as they were uploaded, with a "fejl" column: fix and upload again."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow([*self.header, REASONS_COLUMN])
        for row in report:
            if not row.written and row.line in self.rows:
                writer.writerow([*self.rows[row.line], "; ".join(row.reasons)])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def _read(path: Path) -> tuple[_Table, list[Problem]]:
    """The rows of the file and the header's problems (as `standardgen letter` reads it)."""
    header: list[Problem] = []
    for reading in iter_cases([path]):
        header += [p for p in reading.problems if p.line <= 1]
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = "," if first.count(",") >= first.count(";") else ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    names = next(reader, [])
    keys = csv_columns([name.strip() for name in names])
    rows: dict[int, list[str]] = {}
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows[start] = cells
        start = reader.line_num + 1
    column = keys.index("case_number") if "case_number" in keys else None
    return _Table(delimiter, names, rows, column), header


def _report(rows: dict[int, str], problems: Sequence[Problem], out: Path) -> list[Row]:
    reasons: dict[int, list[str]] = {}
    for problem in errors(problems):
        if problem.line > 1:
            reasons.setdefault(problem.line, []).append(_reason(problem))
            rows.setdefault(problem.line, "")
    report = []
    for line in sorted(rows):
        number = rows[line]
        written = line not in reasons and bool(number) and any(out.glob(f"{number}*.pdf"))
        report.append(Row(line, number, written, tuple(reasons.get(line, ()))))
    return report


def _reason(problem: Problem) -> str:
    return mask_in_text(problem.message)


def _case_files(path: Path, standards: Sequence[Path], out: Path, lines: set[int]) -> Path:
    """Each written row as the case file `standardgen letter` and the desk read (ISO dates)."""
    out.mkdir(mode=0o700)
    by_slug = {item.slug: item for item in load_catalogue(standards).standards}
    for source in load_cases([path], check=CaseChecker(by_slug)).cases:
        document = source.document
        if document is None or document.mark(())[0] not in lines:
            continue
        name = source.case.case_number + source.case.kind.file_suffix
        (out / f"{name}.yaml").write_bytes(to_yaml(document.data))
    return out


def _forms(path: Path, standards: Sequence[Path], templates: Path, out: Path,
           numbers: set[str]) -> Path:
    """The follow-up forms (PDF) of the written cases whose kind has one."""
    from standardgen.forms.build import plan_forms, write_forms
    from standardgen.forms.render import FormRenderer

    plan = plan_forms([path], standards)
    plan.jobs = [job for job in plan.jobs if job.case_number in numbers]
    renderer = FormRenderer(templates)
    write_forms(plan, out, FormFormat.pdf, renderer, jobs=1)
    # WeasyPrint keeps the fonts of @font-face in a temporary folder of its own until its font
    # configuration is collected: collected now, so a batch leaves no folder behind.
    del renderer
    gc.collect()
    return out


def report_csv(rows: Sequence[Row], general: Sequence[str]) -> bytes:
    """The run's report as a CSV file for the zip: one line per row, and what stopped none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Række", "Sagsnummer", "Resultat", "Fejl"])
    for row in rows:
        writer.writerow([row.line, row.case_number, "skrevet" if row.written else "afvist",
                         "; ".join(row.reasons)])
    for reason in general:
        writer.writerow(["", "", "", reason])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _zip(folders: dict[str, Path], report: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for prefix, folder in folders.items():
            for path in sorted(folder.glob("*")) if folder.is_dir() else []:
                if path.is_file() and not path.name.startswith("."):
                    archive.write(path, prefix + path.name)
        archive.writestr(REPORT_NAME, report)
    return buffer.getvalue()
