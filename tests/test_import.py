"""standardgen import: Word standards in, round trip, coverage, and revised Word files back."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

import worddocs
from conftest import NORDDJURS, STANDARDS
from standardgen.core.templates import templates_dir
from standardgen.importer import command
from standardgen.importer.structure import words_of
from standardgen.importer.vocabulary import vocabulary
from standardgen.publish.documents import Renderer
from standardgen.standards.catalogue import load_catalogue, load_standard
from standardgen.standards.model import Paragraph, Role, Standard

ROOT = Path(__file__).resolve().parent.parent
TOWN = """name: Bakkeby Kommune
address: {street: Torvet 1, postcode: "9999", city: Bakkeby}
phone: "7000 1234"
email: post@bakkeby.example.dk
web: https://bakkeby.example.dk
"""


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "standardgen", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, check=False)


def published_docx(source: Path, target: Path) -> Path:
    item = load_standard(source)
    target.write_bytes(Renderer(templates_dir(), "https://example.dk/").docx(item))
    return target


def example_standards() -> list[Path]:
    """The Norddjurs standard and every example standard the repository has."""
    found = sorted(STANDARDS.glob("*.yaml"))
    found += sorted((ROOT / "examples").glob("**/standards/*.yaml"))
    return found


@pytest.fixture
def towns(tmp_path: Path) -> Path:
    out = tmp_path / "standards"
    (out / "municipalities").mkdir(parents=True)
    (out / "municipalities" / "bakkeby.yaml").write_text(TOWN, encoding="utf-8")
    return out


# --- 2. round trip ---------------------------------------------------------------------------

@pytest.mark.parametrize("source", example_standards(), ids=lambda p: p.stem)
def test_build_docx_import_gives_the_same_model(source: Path, tmp_path: Path) -> None:
    word = published_docx(source, tmp_path / "published.docx")
    target, text, _ = command.import_new(command.ImportRequest(word, out=tmp_path / "out"))
    assert target.name == f"{source.stem}.yaml"
    assert Standard.model_validate(yaml.safe_load(text)) == load_standard(source).standard


def test_round_trip_without_the_hidden_ids_still_finds_roles_and_text(tmp_path: Path) -> None:
    """A file whose bookmarks were lost (copied into a new document) keeps text and roles; ids
    are generated from the titles."""
    word = published_docx(NORDDJURS, tmp_path / "published.docx")
    doc = docx.Document(str(word))
    for mark in doc.element.body.iter(qn("w:bookmarkStart")):
        mark.set(qn("w:name"), "other")
    doc.save(str(word))
    _, text, _ = command.import_new(command.ImportRequest(word, out=tmp_path / "out"))
    new = Standard.model_validate(yaml.safe_load(text))
    old = load_standard(NORDDJURS).standard
    assert [s.role for s in new.sections] == [s.role for s in old.sections]
    # Without its id the provider paragraph is one of several: a guidance marker holds the id.
    texts = [t for t in new.iter_text() if not t.startswith("[[VEJLEDNING:")]
    assert texts == list(old.iter_text())


# --- 1 and 3. municipality formats and coverage ------------------------------------------------

def docx_texts(path: Path) -> list[str]:
    """Every paragraph, list item and table cell with text, read by python-docx independently
    of the importer (body, tables, headers and footers)."""
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in doc.sections:
        texts += [p.text for part in (section.header, section.footer) for p in part.paragraphs]
    return [" ".join(t.split()) for t in texts if t.strip()]


def labels() -> set[str]:
    words = vocabulary()
    found = set()
    for label in [*words.facts, *words.roles, *words.versions_headings, *words.laws]:
        found |= set(re.findall(r"[^\W_]+", label))
    return found | {"efter", "i", "den", "af", "og", "tlf", "side"}


def uncovered(path: Path, text: str, problems: list[Any]) -> list[str]:
    data = yaml.safe_load(text)
    plain = " ".join(str(v) for v in _values(data)).replace("*", "")
    known = words_of(data) | labels()
    messages = " ".join(p.message for p in problems)
    missing = []
    for item in docx_texts(path):
        short = item if len(item) <= 40 else item[:40]
        words = set(re.findall(r"[^\W_]+", item.lower()))
        if item in plain or short in messages or words <= known:
            continue
        missing.append(item)
    return missing


def _values(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [v for value in data.values() for v in _values(value)]
    if isinstance(data, list):
        return [v for value in data for v in _values(value)]
    return [data]


@pytest.mark.parametrize("name", sorted(worddocs.DOCUMENTS))
def test_municipal_formats_import_with_full_text_coverage(name: str, tmp_path: Path,
                                                         towns: Path) -> None:
    source = tmp_path / f"{name}.docx"
    worddocs.DOCUMENTS[name](source)
    _, _, problems = command.import_new(command.ImportRequest(
        source, out=towns, municipality="bakkeby"))
    result = run("import", source, "--out", towns, "--municipality", "bakkeby")
    written = next(towns.glob("*.yaml"))
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/standard.schema.json")
    assert uncovered(source, text, problems) == []
    standard = load_standard(written).standard
    roles = {s.role for s in standard.sections}
    assert {Role.target_group, Role.purpose, Role.activities, Role.criteria, Role.decision,
            Role.delivery, Role.follow_up, Role.complaints, Role.legal_basis,
            Role.contact} <= roles
    activities = standard.section(Role.activities)
    assert activities is not None
    assert {"list": tuple(worddocs.LIST)} in [b.model_dump(exclude_none=True)
                                              for b in activities.content if not isinstance(b, str)]
    assert standard.service.paragraph.startswith("§ 83")
    assert standard.approval.date.isoformat() == "2024-03-12"
    assert result.returncode == 0, result.stdout + result.stderr  # check passes (warnings only)


def test_unknown_heading_is_other_with_a_located_warning(tmp_path: Path, towns: Path) -> None:
    source = tmp_path / "styled.docx"
    worddocs.styled_headings(source)
    result = run("import", source, "--out", towns, "--municipality", "bakkeby")
    line = next(x for x in result.stdout.splitlines() if "Særlige forhold" in x)
    number = next(i for i, p in enumerate(docx.Document(str(source)).paragraphs, 1)
                  if p.text == worddocs.UNKNOWN[0])
    assert line.startswith(f"{source}:{number}:1: ")
    assert f"afsnit {number}: overskriften '{worddocs.UNKNOWN[0]}' kendes ikke" in line
    assert "role: other" in line
    written = next(towns.glob("*.yaml"))
    standard = load_standard(written).standard
    other = [s for s in standard.sections if s.title == worddocs.UNKNOWN[0]]
    assert other and other[0].role is Role.other
    lines = written.read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  - id: {other[0].id}")
    assert lines[at - 1].startswith("  # Overskriften blev ikke genkendt: vælg afsnittets role")


def test_facts_table_and_running_text_fill_the_structured_fields(tmp_path: Path,
                                                                 towns: Path) -> None:
    source = tmp_path / "bold.docx"
    worddocs.bold_with_facts(source)
    run("import", source, "--out", towns, "--municipality", "bakkeby")
    standard = load_standard(next(towns.glob("*.yaml"))).standard
    assert (standard.approval.body, standard.version) == ("Byrådet", "3")
    assert standard.next_revision is not None and standard.next_revision.isoformat() == \
        "2026-03-01"
    assert standard.legal_basis[0].citation == "Lov om social service § 83"
    assert standard.contact.unit == "Visitationen"


def test_inline_markup_carries_over(tmp_path: Path, towns: Path) -> None:
    source = tmp_path / "styled.docx"
    worddocs.styled_headings(source)
    _, text, _ = command.import_new(command.ImportRequest(source, out=towns,
                                                          municipality="bakkeby"))
    intro = yaml.safe_load(text)["sections"][0]["content"][0]
    assert intro == ("Standarden gælder i **Bakkeby Kommune** og er *vejledende*. Læs mere på "
                     "[kommunens hjemmeside](https://bakkeby.example.dk/hjaelp).")


def test_missing_facts_are_named_by_check(tmp_path: Path, towns: Path) -> None:
    source = tmp_path / "bare.docx"
    doc = docx.Document()
    doc.add_paragraph("Målgruppe", style="Heading 1")
    doc.add_paragraph("Borgere med nedsat funktionsevne.")
    doc.save(str(source))
    result = run("import", source, "--out", towns, "--municipality", "bakkeby")
    assert result.returncode == 1
    # The approval date left as guidance is named as such, on its own line (a value still
    # holding guidance is reported once, as guidance, not also as an invalid date).
    assert re.search(r":\d+:\d+: fejl: vejledningen skal erstattes med standardens egen tekst: "
                     r"'godkendelsesdatoen, ÅÅÅÅ-MM-DD'", result.stdout), result.stdout


def test_existing_file_is_not_overwritten(tmp_path: Path, standards_copy: Path) -> None:
    word = published_docx(NORDDJURS, tmp_path / "published.docx")
    before = (standards_copy / NORDDJURS.name).read_bytes()
    result = run("import", word, "--out", standards_copy)
    assert result.returncode == 1 and "--onto" in result.stdout
    assert (standards_copy / NORDDJURS.name).read_bytes() == before


@pytest.mark.parametrize("content", [b"ikke word", b"PK\x03\x04 broken zip"])
def test_not_a_word_file_is_one_located_line(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "standard.docx"
    bad.write_bytes(content)
    result = run("import", bad, "--out", tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:0:0: ") and "Word-dokument" in result.stdout
    assert "Traceback" not in result.stderr
    assert list(tmp_path.glob("*.yaml")) == []


def test_a_zip_that_is_not_word_and_a_zip_bomb_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from standardgen.core.problems import InputError
    from standardgen.importer import wordfile

    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    result = run("import", other, "--out", tmp_path)
    assert result.returncode == 1 and "ikke et Word-dokument" in result.stdout
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * 2_000_000 + b"/>")
    assert bomb.stat().st_size < 10_000  # small packed, large unpacked
    monkeypatch.setattr(wordfile, "MAX_UNPACKED", 1_000_000)
    with pytest.raises(InputError, match="for stor udpakket"):
        wordfile.read(bomb)


# --- 4. a revised Word file back onto its standard ------------------------------------------

def _edit_python_docx(path: Path) -> None:
    doc = docx.Document(str(path))
    for p in doc.paragraphs:
        if p.text.startswith("Tilbuddet forudsætter"):
            for r in p.runs:
                r.text = r.text.replace("aktive deltagelse", "aktive og frivillige deltagelse")
        elif p.text == "Formål":
            p.runs[0].text = "Formål med tilbuddet"
        elif p.text == "Kreative udfordringer":
            p.insert_paragraph_before("Musik og dans", style=p.style)
        elif p.text.startswith("Herefter modtager borger"):
            p._p.getparent().remove(p._p)
    doc.save(str(path))


def test_onto_shows_the_diff_and_writes_only_with_write(tmp_path: Path,
                                                        standards_copy: Path) -> None:
    word = published_docx(NORDDJURS, tmp_path / "edited.docx")
    _edit_python_docx(word)
    target = standards_copy / NORDDJURS.name
    before = target.read_text(encoding="utf-8")
    shown = run("import", word, "--onto", target)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "Formål med tilbuddet" in shown.stdout and "+ Musik og dans" in shown.stdout
    assert "{+og frivillige+}" in shown.stdout
    assert "--write" in shown.stderr
    assert target.read_text(encoding="utf-8") == before
    written = run("import", word, "--onto", target, "--write")
    assert written.returncode == 0, written.stdout + written.stderr
    after = target.read_text(encoding="utf-8")
    # Comments and ids of what did not change are kept.
    for line in before.splitlines():
        if line.lstrip().startswith("#") or "id: " in line:
            assert line in after.splitlines()
    new = load_standard(target).standard
    old = load_standard(NORDDJURS).standard
    purpose, activities = new.section(Role.purpose), new.section(Role.activities)
    decision, old_decision = new.section(Role.decision), old.section(Role.decision)
    assert purpose is not None and activities is not None
    assert decision is not None and old_decision is not None
    assert purpose.title == "Formål med tilbuddet"
    assert "Musik og dans" in activities.content[1].list  # type: ignore[union-attr]
    assert len(decision.content) == len(old_decision.content) - 1
    assert "Herefter modtager" not in " ".join(new.iter_text())
    assert [s.id for s in new.sections] == [s.id for s in old.sections]


def _tracked(path: Path, author: str = "Lise Jensen") -> None:
    """Tracked changes as Word writes them: an insertion in one paragraph, a deletion in
    another."""
    doc = docx.Document(str(path))
    for p in doc.paragraphs:
        if p.text.startswith("Der ingen udgifter") or p.text.startswith(
                "Der er ingen udgifter for borgeren til kørsel"):
            ins = OxmlElement("w:ins")
            ins.set(qn("w:id"), "901")
            ins.set(qn("w:author"), author)
            ins.set(qn("w:date"), "2026-11-01T10:00:00Z")
            run_el = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = " Kørsel bestilles af tilbuddet."
            run_el.append(t)
            ins.append(run_el)
            p._p.append(ins)
        if p.text == "Tøjvask" or p.text == "Sang og bevægelse":
            run_el = next(r for r in p.runs if r.text)._r
            deleted = OxmlElement("w:del")
            deleted.set(qn("w:id"), "902")
            deleted.set(qn("w:author"), author)
            text = run_el.find(qn("w:t"))
            text.tag = qn("w:delText")
            run_el.addprevious(deleted)
            deleted.append(run_el)
            mark = OxmlElement("w:del")
            mark.set(qn("w:id"), "903")
            mark.set(qn("w:author"), author)
            rpr = OxmlElement("w:rPr")
            rpr.append(mark)
            p._p.get_or_add_pPr().append(rpr)
    doc.save(str(path))


def test_tracked_changes_are_listed_and_refused(tmp_path: Path, standards_copy: Path) -> None:
    word = published_docx(NORDDJURS, tmp_path / "tracked.docx")
    _tracked(word)
    target = standards_copy / NORDDJURS.name
    before = target.read_bytes()
    result = run("import", word, "--onto", target, "--write")
    assert result.returncode == 1
    lines = [x for x in result.stdout.splitlines() if "registreret ændring" in x]
    assert any("Lise Jensen" in x and "'Levering'" in x and "Kørsel bestilles" in x
               for x in lines)
    assert any("slettet" in x and "'Aktiviteter'" in x and "Sang og bevægelse" in x
               for x in lines)
    assert target.read_bytes() == before


def test_accept_changes_applies_them_like_accept_all(tmp_path: Path,
                                                    standards_copy: Path) -> None:
    word = published_docx(NORDDJURS, tmp_path / "tracked.docx")
    _tracked(word)
    target = standards_copy / NORDDJURS.name
    result = run("import", word, "--onto", target, "--write", "--accept-changes")
    assert result.returncode == 0, result.stdout + result.stderr
    new = load_standard(target).standard
    delivery = new.section(Role.delivery)
    assert delivery is not None and delivery.block("koersel").text.endswith(  # type: ignore
        "kørsel. Kørsel bestilles af tilbuddet.")
    activities = new.section(Role.activities)
    assert "Sang og bevægelse" not in activities.content[1].list  # type: ignore
    assert len(activities.content[1].list) == 4  # type: ignore


def test_onto_an_unchanged_file_changes_nothing(tmp_path: Path, standards_copy: Path) -> None:
    word = published_docx(NORDDJURS, tmp_path / "same.docx")
    target = standards_copy / NORDDJURS.name
    before = target.read_bytes()
    result = run("import", word, "--onto", target, "--write")
    assert result.returncode == 0
    assert target.read_bytes() == before
    catalogue = load_catalogue([target])
    assert catalogue.ok


def test_write_without_onto_is_a_usage_error(tmp_path: Path) -> None:
    result = run("import", NORDDJURS, "--write")
    assert result.returncode == 2 and "--onto" in result.stderr


def test_worddocs_script_writes_the_three_documents(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "worddocs.py"),
                             str(tmp_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == [
        "bold.docx", "numbered.docx", "styled.docx"]


# --- the same edits made in LibreOffice Writer ------------------------------------------------

@pytest.fixture(scope="module")
def libreoffice_edits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The published Norddjurs .docx edited in LibreOffice: untracked and with change tracking."""
    import libreoffice_edit

    if libreoffice_edit.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    source = published_docx(NORDDJURS, folder / "published.docx")
    edited = {}
    for name, track in (("plain", False), ("tracked", True)):
        edited[name] = folder / f"{name}.docx"
        libreoffice_edit.edit(source, edited[name], folder / "profile", track=track)
    return edited


@pytest.mark.client
def test_libreoffice_edits_come_back_as_a_reviewed_change(
        libreoffice_edits: dict[str, Path], standards_copy: Path) -> None:
    target = standards_copy / NORDDJURS.name
    before = target.read_text(encoding="utf-8")
    result = run("import", libreoffice_edits["plain"], "--onto", target, "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Overskriften hed før: Formål" in result.stdout
    assert "+ Musik og dans" in result.stdout
    new, old = load_standard(target).standard, load_standard(NORDDJURS).standard
    assert [s.id for s in new.sections] == [s.id for s in old.sections]
    assert new.section(Role.purpose).title == "Formål med tilbuddet"  # type: ignore[union-attr]
    criteria = new.section(Role.criteria).content[0]  # type: ignore[union-attr]
    # A plain string in the YAML is loaded as a paragraph without an id (issue 10, point 12).
    assert isinstance(criteria, Paragraph) and criteria.id is None
    assert "aktive og frivillige deltagelse" in criteria.text
    delivery = new.section(Role.delivery)
    assert delivery is not None
    assert [getattr(b, "id", None) for b in delivery.content] == [
        "leverandoer", "koersel", "valgfrihed", "udgifter"]  # moved, and still quotable
    items = new.section(Role.activities).content[1].list  # type: ignore[union-attr]
    assert items[1:3] == ("Kreative udfordringer", "Musik og dans")
    assert not any("Herefter modtager" in t for t in new.iter_text())
    after = target.read_text(encoding="utf-8").splitlines()
    assert [x for x in before.splitlines() if x.lstrip().startswith("#")] == \
        [x for x in after if x.lstrip().startswith("#")]


@pytest.mark.client
def test_libreoffice_tracked_changes_refused_then_accepted_like_accept_all(
        libreoffice_edits: dict[str, Path], standards_copy: Path, tmp_path: Path) -> None:
    target = standards_copy / NORDDJURS.name
    refused = run("import", libreoffice_edits["tracked"], "--onto", target, "--write")
    assert refused.returncode == 1
    lines = [x for x in refused.stdout.splitlines() if "registreret ændring" in x]
    assert any("(indsat)" in x and "'Aktiviteter'" in x and "Musik og dans" in x for x in lines)
    assert any("(slettet)" in x and "'Afgørelse'" in x and "Herefter modtager" in x
               for x in lines)
    assert any("'Formål" in x and "(indsat)" in x for x in lines)
    assert target.read_text(encoding="utf-8") == NORDDJURS.read_text(encoding="utf-8")
    accepted = run("import", libreoffice_edits["tracked"], "--onto", target, "--write",
                   "--accept-changes")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    plain = tmp_path / "plain" / NORDDJURS.name
    shutil.copytree(standards_copy.parent / "standards", plain.parent)
    shutil.copy(NORDDJURS, plain)
    run("import", libreoffice_edits["plain"], "--onto", plain, "--write")
    assert target.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")


def test_every_role_has_its_own_bookmark_letter() -> None:
    from standardgen.standards import wordmeta

    letters = [wordmeta.ROLE_LETTERS.get(role.value) for role in Role]
    assert None not in letters and len(set(letters)) == len(letters)
    assert not {"p", "q"} & set(wordmeta.ROLE_LETTERS.values())
    for role in Role:
        mark = wordmeta.section_mark(role, "et-afsnit")
        assert mark is not None and wordmeta.parse_mark(mark) == ("section", role, "et-afsnit")
    assert wordmeta.section_mark(Role.purpose, "x" * 36) is None  # too long for Word
