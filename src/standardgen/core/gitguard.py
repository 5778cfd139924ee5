"""Personal data never reaches git: what git holds, read for CPR numbers.

A municipality's repository (``standardgen init``; it has a ``.standardgen/`` folder) keeps its
case files in ``sager/``, which its ``.gitignore`` leaves out. That only helps when a file lies
where it should, so ``check`` reads every file in git's index (tracked and staged) and the
pre-commit hook (``check --staged``) the files about to be committed, and both refuse a file
outside ``sager/`` holding a number that passes the CPR checks, and any file inside it. What is
read is the index, not the working tree: that is what a commit takes.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from standardgen.core.codes import Code
from standardgen.core.cpr import find_in_text
from standardgen.core.problems import Problem, Severity, display_path

CASES = "sager"
MARKER = ".standardgen"
_LARGEST = 20 * 1024 * 1024  # bigger files are data dumps or media, not text someone typed


def repository_root(start: Path) -> Path | None:
    """The top of the git work tree holding ``start``, or None (no git, or not in a repository)."""
    if shutil.which("git") is None:
        return None
    done = _git(start, "rev-parse", "--show-toplevel", check=False)
    return Path(done.stdout.decode().strip()) if done.returncode == 0 else None


def is_municipality_repository(root: Path) -> bool:
    """``init`` wrote it: standardgen's own repository, with its fictitious test CPR numbers, is
    not one."""
    return (root / MARKER).is_dir()


def index_problems(root: Path, *, staged_only: bool = False) -> list[Problem]:
    """A located error for every file in git's index (only those staged for the next commit
    with ``staged_only``) that holds personal data by where it lies or what it says."""
    entries = _index(root)
    if staged_only:
        staged = set(_split(_git(root, "diff", "--cached", "--name-only", "-z",
                                 "--diff-filter=ACMR").stdout))
        entries = {path: blob for path, blob in entries.items() if path in staged}
    contents = _blobs(root, entries.values())
    problems: list[Problem] = []
    for path, blob in sorted(entries.items()):
        problems.extend(_file_problems(root, path, contents.get(blob, b"")))
    return problems


def _file_problems(root: Path, path: str, data: bytes) -> list[Problem]:
    where = display_path(root / path)
    if PurePosixPath(path).parts[0] == CASES:
        return [Problem(where, 0, 0, Severity.ERROR,
                        f"sagsfiler må ikke ligge i git ({CASES}/ er udelukket i .gitignore); "
                        f"fjern filen fra git med 'git rm --cached {path}'", Code.CASE_IN_GIT)]
    if len(data) > _LARGEST:
        return []  # a data dump or media, not a document someone wrote
    text = _text(data)
    if text is None:
        return []  # not text, and not a document whose text we can read (an image, a wheel)
    found = list(find_in_text(text))
    if not found:
        return []
    offset, masked = found[0]
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if data.startswith((b"%PDF-", b"PK\x03\x04")):
        line = column = 0  # a PDF or Word file has no lines of its own to point at
    more = f" (og {len(found) - 1} til)" if len(found) > 1 else ""
    return [Problem(where, line, column, Severity.ERROR,
                    f"filen indeholder et CPR-nummer ({masked}){more}; personoplysninger hører "
                    f"til i {CASES}/, som git ignorerer; fjern filen fra git med "
                    f"'git rm --cached {path}'", Code.CPR_IN_GIT)]


def _text(data: bytes) -> str | None:
    """The text a file shows a reader: plain text, a PDF's pages, a Word file's paragraphs (a
    letter written outside output/ is binary, but its body holds the full CPR number)."""
    if data.startswith(b"%PDF-"):
        return _pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        return _docx_text(data)
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def _pdf_text(data: bytes) -> str | None:
    import pypdfium2 as pdfium  # only when a PDF is in git: check stays fast

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()


def _docx_text(data: bytes) -> str | None:
    import io
    import re
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError):
        return None  # a zip that is not a Word file (the wheel in .standardgen/)
    # One line per paragraph, the runs of a paragraph joined: what Word shows.
    return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))


def _index(root: Path) -> dict[str, str]:
    """Path -> blob id of every file in the index (``git ls-files --stage``)."""
    entries: dict[str, str] = {}
    for record in _split(_git(root, "ls-files", "--stage", "-z").stdout):
        meta, path = record.split("\t", 1)
        mode, blob, _stage = meta.split()
        if mode != "160000":  # a submodule is a commit, not a file
            entries[path] = blob
    return entries


def _blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """Every blob's content in one ``git cat-file --batch`` call."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted)).stdout
    contents: dict[str, bytes] = {}
    position = 0
    while position < len(out):
        header_end = out.index(b"\n", position)
        blob, _kind, size = out[position:header_end].decode().split()
        start = header_end + 1
        contents[blob] = out[start:start + int(size)]
        position = start + int(size) + 1  # the content is followed by a newline
    return contents


def _split(output: bytes) -> list[str]:
    return [part for part in output.decode("utf-8", errors="surrogateescape").split("\0") if part]


def _git(root: Path, *args: str, stdin: str | None = None,
         check: bool = True) -> subprocess.CompletedProcess[bytes]:
    # core.quotepath off: names with æ, ø, å come back as they are.
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, check=check,
                          capture_output=True, input=stdin.encode() if stdin else None)
