"""Importing a Word standard headed as real municipalities head theirs (issue 23)."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import yaml

import worddocs
from conftest import run
from standardgen.core.codes import Code
from standardgen.standards.catalogue import load_standard
from standardgen.standards.model import Role

TOWN = """name: Bakkeby Kommune
address: {street: Torvet 1, postcode: "9999", city: Bakkeby}
phone: "7000 1234"
email: post@bakkeby.example.dk
web: https://bakkeby.example.dk
"""


def towns(tmp_path: Path) -> Path:
    out = tmp_path / "standards"
    (out / "municipalities").mkdir(parents=True)
    (out / "municipalities" / "bakkeby.yaml").write_text(TOWN, encoding="utf-8")
    return out


def imported(tmp_path: Path, make: object = worddocs.real_style) -> tuple[Path, Path]:
    source = tmp_path / "real.docx"
    make(source)  # type: ignore[operator]
    out = towns(tmp_path)
    result = run("import", source, "--out", out, "--municipality", "bakkeby")
    assert "skrevet:" in result.output, result.output
    return source, next(out.glob("*.yaml"))


def test_real_headings_get_their_roles_and_check_reports_only_guidance_and_warnings(
        tmp_path: Path) -> None:
    _, written = imported(tmp_path)
    standard = load_standard(written).standard
    assert [s.role for s in standard.sections] == [
        Role.legal_basis, Role.target_group, Role.purpose, Role.activities, Role.not_included,
        Role.criteria, Role.decision, Role.delivery, Role.payment, Role.citizen_duties,
        Role.quality, Role.follow_up, Role.complaints, Role.contact]
    result = run("check", written, "--format", "json")
    problems = json.loads(result.output)
    errors = [p for p in problems if p["severity"] == "error" and p["code"] != Code.GUIDANCE]
    assert errors == []
    assert result.exit_code == 0, result.output


def test_the_provider_paragraph_gets_the_id_the_letter_quotes(tmp_path: Path) -> None:
    _, written = imported(tmp_path)
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    delivery = next(s for s in data["sections"] if s["role"] == "delivery")
    assert delivery["content"] == [{"id": "leverandoer",
                                    "text": "Tilbuddet leveres af Bakkeby Dagcenter."}]


def _two_provider_paragraphs(path: Path) -> None:
    worddocs.real_style(path)
    doc = docx.Document(str(path))
    at = next(p for p in doc.paragraphs if p.text == "Tilbuddet leveres af Bakkeby Dagcenter.")
    at.insert_paragraph_before("Du kan også vælge et tilbud i en anden kommune.")
    doc.save(str(path))


def test_without_one_fitting_paragraph_a_guidance_marker_holds_the_id(tmp_path: Path) -> None:
    _, written = imported(tmp_path, _two_provider_paragraphs)
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    delivery = next(s for s in data["sections"] if s["role"] == "delivery")
    first = delivery["content"][0]
    assert first["id"] == "leverandoer" and first["text"].startswith("[[VEJLEDNING:")
    assert len(delivery["content"]) == 3  # both paragraphs kept below the marker
    result = run("check", written, "--format", "json")
    codes = {p["code"] for p in json.loads(result.output) if p["severity"] == "error"}
    assert codes == {Code.GUIDANCE}  # guidance, not a missing quoted block


def test_explain_prints_each_heading_with_role_and_confidence_and_writes_nothing(
        tmp_path: Path) -> None:
    source = tmp_path / "real.docx"
    worddocs.real_style(source)
    out = towns(tmp_path)
    result = run("import", source, "--out", out, "--municipality", "bakkeby", "--explain")
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if x.startswith("afsnit ")]
    assert len(lines) == len(worddocs.REAL_STYLE)
    number = next(i for i, p in enumerate(docx.Document(str(source)).paragraphs, 1)
                  if p.text == "Sådan søger du")
    assert f"afsnit {number}: Sådan søger du -> decision (sikkerhed " in result.output
    assert not list(out.glob("*.yaml"))


def test_a_doubtful_heading_is_a_located_warning_naming_two_roles(tmp_path: Path) -> None:
    source = tmp_path / "doubt.docx"
    doc = docx.Document()
    doc.add_paragraph("Kvalitetsstandard for ledsagelse", style="Title")
    doc.add_paragraph("Sagsbehandlingstider og klagevejledning", style="Heading 1")
    doc.add_paragraph("Vi svarer inden fire uger.")
    doc.save(str(source))
    result = run("import", source, "--out", towns(tmp_path), "--municipality", "bakkeby")
    line = next(x for x in result.output.splitlines() if "ligner både" in x)
    assert line.startswith(f"{source}:2:1: advarsel: afsnit 2: overskriften ")
    assert "quality" in line and "complaints" in line
