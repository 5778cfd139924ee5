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

from standardgen.cases.read import iter_cases
from standardgen.core.cpr import mask_in_text
from standardgen.core.problems import Problem, errors
from standardgen.letters.batch import Format
from standardgen.letters.run import write_letters

CSV_NAME = "sager.csv"
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
    created: float = field(default_factory=time.monotonic)

    @property
    def written(self) -> int:
        return sum(1 for row in self.rows if row.written)


class BatchRunner:
    def __init__(self, standards: Sequence[Path], templates: Path, memo: bool = False) -> None:
        self.standards, self.templates = tuple(standards), templates
        self.memo = memo  # the zip holds each letter's Digital Post message too
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, raw: bytes, owner: str) -> str | None:
        """Start a batch in a thread; its id, or None when too many are running."""
        with self._lock:
            self._expire()
            if sum(1 for job in self.jobs.values() if not job.finished) >= MAX_RUNNING:
                return None
            job_id = secrets.token_urlsafe(16)
            job = self.jobs[job_id] = Job(owner)
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
            run_batch(job, raw, folder, self.standards, self.templates, self.memo)
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
              templates: Path, memo: bool = False) -> None:
    csv = folder / CSV_NAME
    csv.write_bytes(raw)
    csv.chmod(0o600)
    rows, header = _read(csv)
    if errors(header):
        job.header_error = True
        job.general += [_reason(p) for p in header]
        job.finished = True
        return
    out = folder / "breve"

    def start(total: int) -> None:
        job.total = total

    def progress(count: int) -> None:
        job.done += count

    formats = (Format.pdf, Format.docx, *((Format.memo,) if memo else ()))
    outcome = write_letters([csv], standards, out, formats, jobs=1,
                            progress=progress, start=start, templates=templates)
    job.rows = _report(rows, outcome.problems, out)
    job.general += [_reason(p) for p in outcome.problems if p.line == 0]
    job.archive = _zip(out)


def _read(path: Path) -> tuple[dict[int, str], list[Problem]]:
    """Each data row's line and case number (as written, masked), and the header's problems."""
    header: list[Problem] = []
    for reading in iter_cases([path]):
        header += [p for p in reading.problems if p.line <= 1]
    rows: dict[int, str] = {}
    if errors(header):
        return rows, header
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="," if first.count(",") >= first.count(";")
                        else ";")
    names = [column.strip() for column in next(reader, [])]
    column = names.index("case_number") if "case_number" in names else None
    for row in reader:
        if any(cell.strip() for cell in row):
            number = row[column].strip() if column is not None and column < len(row) else ""
            rows[reader.line_num] = mask_in_text(number)
    return rows, header


def _report(rows: dict[int, str], problems: Sequence[Problem], out: Path) -> list[Row]:
    reasons: dict[int, list[str]] = {}
    for problem in errors(problems):
        if problem.line > 1:
            reasons.setdefault(problem.line, []).append(_reason(problem))
            rows.setdefault(problem.line, "")
    report = []
    for line in sorted(rows):
        number = rows[line]
        written = line not in reasons and bool(number) and (out / f"{number}.pdf").is_file()
        report.append(Row(line, number, written, tuple(reasons.get(line, ()))))
    return report


def _reason(problem: Problem) -> str:
    where = f"kolonne {problem.column}: " if problem.column else ""
    return mask_in_text(f"{where}{problem.message}")


def _zip(out: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(out.glob("*")) if out.is_dir() else []:
            if path.is_file() and not path.name.startswith("."):
                archive.write(path, path.name)
    return buffer.getvalue()
