"""The real-client helpers work, and each can fail: known-good and known-bad inputs."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pytest

from clients import (
    axe,
    browser,
    describe_axe,
    docx_text,
    in_ci,
    libreoffice_convert,
    nu_check,
    pdf_facts,
    pdftotext,
    poppler,
    require,
    skip_or_fail,
)

Failed = pytest.fail.Exception  # what a helper raises when the client reports a problem

# A 1x1 PNG, so pages have a real image to load.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

GOOD_HTML = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aktivitets- og samværstilbud</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main>
<h1>Aktivitets- og samværstilbud</h1>
<p>Kommunen tilbyder aktiviteter og samvær til borgere med nedsat funktionsevne. Tilbuddet
skal give borgeren mulighed for at vedligeholde og udvikle sine færdigheder.</p>
<img src="logo.png" alt="Kommunens logo" width="16" height="16">
<form action="#">
<label for="navn">Navn</label>
<input id="navn" name="navn" type="text">
</form>
</main>
</body>
</html>
"""

# Every line of the body breaks a rule: no lang, image without alt, input without a label,
# grey-on-white text (from bad.css), and a <div> inside a <p> (invalid markup).
BAD_HTML = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Dårlig side</title>
<link rel="stylesheet" href="bad.css">
</head>
<body>
<main>
<h1>Dårlig side</h1>
<img src="logo.png">
<input type="text" name="navn">
<p class="faint">Næsten usynlig tekst.</p>
<p><div>Blok i et afsnit</div></p>
</main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A good and a bad page with their assets, in a folder whose name needs URL quoting."""
    folder = tmp_path_factory.mktemp("sider") / "sider med æ"
    folder.mkdir()
    (folder / "style.css").write_text("body { color: #1a1a1a; background: #fff; }\n")
    (folder / "bad.css").write_text(".faint { color: #c8c8c8; background: #fff; }\n")
    (folder / "logo.png").write_bytes(PNG)
    good = folder / "good.html"
    good.write_text(GOOD_HTML, encoding="utf-8")
    bad = folder / "bad.html"
    bad.write_text(BAD_HTML, encoding="utf-8")
    return {"good": good, "bad": bad}


# --- Missing clients: skip locally, fail in CI -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("0", False), ("false", False), ("true", True), ("1", True)],
)
def test_in_ci_reads_the_ci_variable(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_missing_client_skips_with_reason_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-client-xyz"):
        require("no-such-client-xyz")


def test_missing_client_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match=r"no-such-client-xyz.*CI is set"):
        require("no-such-client-xyz")
    with pytest.raises(Failed, match="because"):
        skip_or_fail("because")


def test_require_finds_a_program_on_path() -> None:
    assert require("sh").name == "sh"


# --- Nu HTML Checker -------------------------------------------------------------------------


@pytest.mark.client
def test_nu_passes_valid_html_and_reports_invalid(pages: dict[str, Path]) -> None:
    # One JVM for both files, as the suite should use it.
    messages = nu_check([pages["good"], pages["bad"]], warnings=True)
    good, bad = str(pages["good"]), str(pages["bad"])
    assert not [m for m in messages if m.startswith(good + ":")], messages
    errors = [m for m in messages if m.startswith(bad + ":") and ": warning: " not in m]
    assert any("“img” element must have an “alt” attribute" in m for m in errors), errors
    assert any("No “p” element in scope" in m for m in errors), errors
    assert any(m.startswith(f"{bad}:14:") for m in errors), errors  # line numbers are kept
    warns = [m for m in messages if ": warning: " in m]
    assert any("“lang” attribute" in w for w in warns), warns


@pytest.mark.client
def test_nu_check_fails_on_a_missing_file(tmp_path: Path) -> None:
    require("java")  # so a missing client reports itself, not a mismatch below
    assert nu_check([]) == []
    with pytest.raises(Failed, match="no such file"):
        nu_check([tmp_path / "missing.html"])


# --- axe-core in headless Chromium -----------------------------------------------------------


@pytest.mark.client
def test_axe_passes_good_page_and_catches_broken_one(pages: dict[str, Path]) -> None:
    results = axe([pages["good"], pages["bad"]])
    assert results[str(pages["good"])] == [], describe_axe(results[str(pages["good"])])
    bad = results[str(pages["bad"])]
    ids = {v["id"] for v in bad}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= ids, describe_axe(bad)
    contrast = next(v for v in bad if v["id"] == "color-contrast")
    assert [n["target"] for n in contrast["nodes"]] == [[".faint"]]  # from bad.css: it loaded


@pytest.mark.client
def test_axe_fails_on_a_missing_asset(tmp_path: Path) -> None:
    require("axe-core")  # so a missing client reports itself, not a mismatch below
    page = tmp_path / "page.html"
    page.write_text(
        GOOD_HTML.replace("style.css", "missing.css"), encoding="utf-8"
    )  # logo.png is missing too
    with pytest.raises(Failed, match=r"404 /missing\.css"):
        axe([page])
    assert axe([page], allow_missing_assets=True) == {str(page): []}


# --- PDF: WeasyPrint output read by pikepdf and poppler --------------------------------------

# Ligatures off: with pdf_forms=True WeasyPrint 70 embeds the whole font and poppler then
# extracts "fl" and "ff" as the ligature characters U+FB02 and U+FB00 ("ﬂøde", "oﬀentlig").
PDF_HTML = """<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><title>Æbleø-standarden</title>
<meta name="author" content="Norddjurs Kommune">
<style>body { font-variant-ligatures: none; }</style></head>
<body>
<h1>Æbleø</h1>
<h2>Formål</h2>
<p>Blåbærgrød med fløde.</p>
<ul><li>Første punkt</li><li>Andet punkt</li></ul>
<table><thead><tr><th>Ydelse</th><th>Frist</th></tr></thead>
<tbody><tr><td>Bevilling</td><td>14 dage</td></tr></tbody></table>
<form><label for="navn">Borgerens navn</label> <input id="navn" name="navn"></form>
</body>
</html>
"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from weasyprint import HTML

    folder = tmp_path_factory.mktemp("pdf")
    out = {"ua": folder / "ua.pdf", "a2b": folder / "a2b.pdf", "plain": folder / "plain.pdf"}
    html = HTML(string=PDF_HTML)
    html.write_pdf(out["ua"], pdf_variant="pdf/ua-1", pdf_forms=True)
    html.write_pdf(out["a2b"], pdf_variant="pdf/a-2b")
    html.write_pdf(out["plain"])
    return out


def test_pdf_facts_of_a_pdf_ua_file(pdfs: dict[str, Path]) -> None:
    facts = pdf_facts(pdfs["ua"])
    assert facts.pages == 1
    assert facts.lang == "da"
    assert facts.title == "Æbleø-standarden"
    assert facts.author == "Norddjurs Kommune"
    assert facts.docinfo["Title"] == "Æbleø-standarden"
    assert facts.docinfo["Author"] == "Norddjurs Kommune"
    assert facts.struct_tree and facts.marked and facts.display_doc_title
    assert {"H1", "H2", "P", "L", "LI", "Table", "TH", "TD"} <= facts.tags, facts.tags
    assert facts.pdfua_part == 1
    assert facts.pdfa_part is None and facts.pdfa_conformance is None
    assert facts.fonts and facts.unembedded_fonts == [], facts.fonts
    assert [(f.name, f.tooltip, f.field_type) for f in facts.form_fields] == [
        ("navn", "Borgerens navn", "Tx")
    ]


def test_pdf_facts_see_pdf_a_and_missing_tagging(pdfs: dict[str, Path]) -> None:
    a2b = pdf_facts(pdfs["a2b"])
    assert (a2b.pdfa_part, a2b.pdfa_conformance, a2b.pdfua_part) == (2, "B", None)
    plain = pdf_facts(pdfs["plain"])
    assert not plain.struct_tree and not plain.marked and plain.tags == frozenset()
    assert plain.pdfua_part is None and plain.pdfa_part is None
    assert plain.form_fields == ()


def test_pdf_facts_report_an_unembedded_font(tmp_path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    helvetica = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    font = pdf.make_indirect(helvetica)
    page = pdf.add_blank_page()
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET")
    path = tmp_path / "helvetica.pdf"
    pdf.save(path)
    facts = pdf_facts(path)
    assert facts.unembedded_fonts == ["Helvetica"]
    assert facts.lang is None and facts.title is None and not facts.struct_tree
    assert "Title" not in facts.docinfo


def test_pdf_facts_walk_a_role_mapped_tree(tmp_path: Path) -> None:
    """Custom structure types, a /RoleMap, marked-content ids and an /MCR are all handled."""
    import pikepdf

    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    mcr = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page.obj, MCID=1)
    para = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P))
    para.K = pikepdf.Array([0, mcr])
    heading = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/Overskrift"), K=0)
    )
    doc = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=[heading, para, para]
        )
    )
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot,
            K=doc,
            RoleMap=pikepdf.Dictionary({"/Overskrift": pikepdf.Name.H1}),
        )
    )
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String("da-DK")
    path = tmp_path / "tagged.pdf"
    pdf.save(path)
    facts = pdf_facts(path)
    assert facts.tags == {"Document", "Overskrift", "P"}
    assert facts.role_map == {"Overskrift": "H1"}
    assert facts.struct_tree and facts.marked and facts.lang == "da-DK"


def test_pdf_facts_fail_on_a_broken_pdf(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a pdf")
    with pytest.raises(Failed, match="pikepdf cannot open"):
        pdf_facts(broken)


@pytest.mark.client
def test_pdftotext_extracts_danish_text(pdfs: dict[str, Path]) -> None:
    text = pdftotext(pdfs["ua"])
    assert "Æbleø" in text and "Blåbærgrød med fløde." in text
    assert "Ydelse" in pdftotext(pdfs["ua"], layout=True)


@pytest.mark.client
def test_pdftotext_fails_on_a_non_pdf(tmp_path: Path) -> None:
    require("pdftotext")  # so a missing client reports itself, not a mismatch below
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is no pdf")
    with pytest.raises(Failed, match="pdftotext failed"):
        pdftotext(junk)


@pytest.mark.client
def test_poppler_runs_any_program_and_keeps_its_complaints(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    info = poppler("pdfinfo", pdfs["ua"])
    assert re.search(r"^Tagged: +yes$", info.text, re.MULTILINE) and info.stderr == ""
    import pikepdf

    odd = pikepdf.new()  # text drawn by a content stream with an operator poppler does not know
    page = odd.add_blank_page()
    helvetica = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=odd.make_indirect(helvetica))
    )
    page.obj.Contents = odd.make_stream(b"BT /F1 12 Tf 72 720 Td (Hej) Tj ET 1 2 bogus")
    odd.save(tmp_path / "odd.pdf")
    text = poppler("pdftotext", tmp_path / "odd.pdf", "-")
    assert text.text.startswith("Hej") and "Unknown operator 'bogus'" in text.stderr
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is no pdf")
    with pytest.raises(Failed, match=r"pdfinfo failed on .*junk\.pdf"):
        poppler("pdfinfo", junk)
    with pytest.raises(Failed, match="no such file"):
        poppler("pdfinfo", tmp_path / "missing.pdf")


# --- Word: LibreOffice -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import docx

    doc = docx.Document()
    doc.add_heading("Kvalitetsstandard", level=1)
    doc.add_paragraph("Æbleø og blåbærgrød")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Frist"
    table.cell(0, 1).text = "14 dage"
    path = tmp_path_factory.mktemp("docx") / "standard.docx"
    doc.save(str(path))
    return path


@pytest.mark.client
def test_libreoffice_converts_docx_to_pdf(docx_file: Path, tmp_path: Path) -> None:
    [pdf] = libreoffice_convert([docx_file], "pdf", tmp_path)
    assert pdf == tmp_path / "standard.pdf"
    assert "Æbleø og blåbærgrød" in pdftotext(pdf)


@pytest.mark.client
def test_docx_text_reads_the_document_back(docx_file: Path) -> None:
    text = docx_text(docx_file)
    for expected in ("Kvalitetsstandard", "Æbleø og blåbærgrød", "Frist", "14 dage"):
        assert expected in text, text


@pytest.mark.client
def test_libreoffice_convert_fails_on_corrupt_docx(docx_file: Path, tmp_path: Path) -> None:
    require("soffice")  # so a missing client reports itself, not a mismatch below
    random_bytes = tmp_path / "random.docx"  # LibreOffice would import this as plain text
    random_bytes.write_bytes(bytes(range(256)) * 8)
    no_document = tmp_path / "empty-zip.docx"  # a valid zip, but no Word document inside
    with zipfile.ZipFile(no_document, "w") as z:
        z.writestr("hello.txt", "hej")
    with pytest.raises(Failed) as failure:
        libreoffice_convert([docx_file, random_bytes, no_document], "pdf", tmp_path / "out")
    message = str(failure.value)
    assert "did not convert 2 of 3" in message
    assert "random.docx" in message and "empty-zip.docx" in message
    assert "standard.docx" not in message.split("\n")[0]
    assert (tmp_path / "out" / "standard.pdf").is_file()  # the good one still converted


@pytest.mark.client
def test_libreoffice_opens_a_pdf_through_its_import_filter(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    [pdf] = libreoffice_convert([pdfs["plain"]], "pdf", tmp_path)
    assert "Blåbærgrød med fløde." in pdftotext(pdf)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is no pdf")
    with pytest.raises(Failed, match="did not convert 1 of 1"):
        libreoffice_convert([junk], "pdf", tmp_path / "out")


@pytest.mark.client
def test_axe_serves_a_given_root_so_assets_above_a_page_load(
    pages: dict[str, Path], tmp_path: Path
) -> None:
    folder = pages["good"].parent
    sub = folder / "undermappe"
    sub.mkdir(exist_ok=True)
    page = sub / "side.html"
    page.write_text(
        GOOD_HTML.replace('"style.css"', '"../style.css"').replace('"logo.png"', '"../logo.png"'),
        encoding="utf-8",
    )
    assert axe([page], root=folder) == {str(page): []}
    with pytest.raises(Failed, match=r"404 /style\.css"):  # served from the page's own folder
        axe([page])
    with pytest.raises(Failed, match="outside the served folder"):
        axe([page], root=tmp_path)


@pytest.mark.client
def test_the_browser_is_shared_and_has_a_desktop_window(pages: dict[str, Path]) -> None:
    driver = browser()
    assert browser() is driver
    driver.get(pages["good"].as_uri())
    assert driver.execute_script("return window.innerWidth") == 1280


@pytest.mark.client
def test_axe_restarts_a_dead_browser(pages: dict[str, Path]) -> None:
    require("axe-core")
    browser().quit()  # as if Chromium and its driver had died
    assert axe([pages["good"]]) == {str(pages["good"]): []}
