"""`standardgen import` of a 20-page Word standard, side by side with Pandoc .docx -> Markdown.

The document: the Norddjurs standard with its text sections repeated until the published .docx
has about 20 A4 pages (LibreOffice's page count is printed when it is installed). Baseline: the
`pandoc` program converting the same file to Markdown (a process per run, as one would call it;
its start-up is part of its time, as Python's start-up is not part of ours, so the process start
of `standardgen` is shown separately). Measured: reading the .docx, recognising the structure and
writing the YAML text (`command.import_new`, no file written), and the same with --onto work
(merge and validation against the original standard). Prints medians (ms).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from timing import median_ms, print_ratio_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.core.templates import templates_dir  # noqa: E402
from standardgen.importer import command, vocabulary  # noqa: E402
from standardgen.publish.documents import Renderer  # noqa: E402
from standardgen.standards.catalogue import load_standard  # noqa: E402

SOURCE = ROOT / "standards" / "aktivitets-og-samvaerstilbud.yaml"
COPIES = 11  # text sections repeated this many times: about 20 pages
RUNS = 15


def long_standard(folder: Path) -> Path:
    """A valid standard of about 20 pages, in ``folder`` with the Norddjurs municipality file."""
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    text_sections = [s for s in data["sections"] if s.get("content")]
    extra = []
    for n in range(2, COPIES + 1):
        for section in text_sections:
            copy = {"id": f"{section['id']}-{n}", "role": "other",
                    "title": f"{section['title']} ({n})", "content": [
                        block if isinstance(block, str) else
                        {**block, "id": f"{block['id']}-{n}"} if "id" in block else
                        {"list": list(block["list"])}
                        for block in section["content"]]}
            extra.append(copy)
    data["sections"] = data["sections"] + extra
    shutil.copytree(SOURCE.parent / "municipalities", folder / "municipalities")
    target = folder / SOURCE.name
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return target


def pages(docx: Path, folder: Path) -> str:
    soffice = shutil.which("soffice")
    pdfinfo = shutil.which("pdfinfo")
    if not soffice or not pdfinfo:
        return "?"
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(docx)], capture_output=True, timeout=300, check=False)
    pdf = folder / f"{docx.stem}.pdf"
    if not pdf.is_file():
        return "?"
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=False)
    return next((line.split()[-1] for line in info.stdout.splitlines()
                 if line.startswith("Pages:")), "?")


def _drop_bookmarks(source: Path, target: Path) -> None:
    """A copy whose bookmarks (the hidden section and block ids) are renamed away, as when the
    text is pasted into a new document."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(source))
    for mark in document.element.body.iter(qn("w:bookmarkStart")):
        mark.set(qn("w:name"), "other")
    document.save(str(target))


def _clear_caches() -> None:
    vocabulary._guess.cache_clear()
    vocabulary.stem.cache_clear()


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = long_standard(folder)
        item = load_standard(source)
        docx = folder / "long.docx"
        docx.write_bytes(Renderer(templates_dir(), "https://example.dk/").docx(item))
        words = sum(len(text.split()) for text in item.standard.iter_text())
        print(f"document: {len(item.standard.sections)} sections, {words} words, "
              f"{docx.stat().st_size // 1024} KiB, {pages(docx, folder)} pages")
        out = folder / "out"
        request = command.ImportRequest(docx, out=out)
        onto = command.ImportRequest(docx, out=out, onto=source)
        rows: dict[str, float] = {}
        pandoc = shutil.which("pandoc")
        if pandoc:
            rows["baseline: pandoc -f docx -t markdown (process)"] = median_ms(
                lambda: subprocess.run([pandoc, "-f", "docx", "-t", "markdown", str(docx)],
                                       capture_output=True, check=True), RUNS)
        else:
            print("pandoc is not installed: no baseline")
        rows["import (read, recognise, YAML text)"] = median_ms(
            lambda: command.import_new(request), RUNS)
        # The same document without its bookmarks: every heading is recognised by meaning
        # (Danish stems, scored key words), with the per-process caches emptied each round.
        bare = folder / "bare.docx"
        _drop_bookmarks(docx, bare)
        def cold() -> object:
            _clear_caches()
            return command.import_new(command.ImportRequest(bare, out=out))

        rows["import, headings by meaning, cold caches"] = median_ms(cold, RUNS)
        rows["import --onto (also merge, validate, diff)"] = median_ms(
            lambda: command.import_onto(onto, colour=False), RUNS)
        rows["python -m standardgen --version (process start)"] = median_ms(
            lambda: subprocess.run([sys.executable, "-m", "standardgen", "--version"],
                                   capture_output=True, check=True), 5)
    print_ratio_table(rows, width=50, ratio="x first row", digits=1, ratio_digits=2)


if __name__ == "__main__":
    main()
