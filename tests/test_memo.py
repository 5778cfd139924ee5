"""``standardgen letter --format memo``: a Digital Post (MeMo) message per letter.

Every letter kind, for a § 104 and a § 85 case, on both channels: each message passes the
structural check (``memo_structure``: the official XSD could not be obtained, see there), holds
the very bytes of the PDF written in the same run, the case number, the KLE subject, the CVR
number and the complaint deadline the letter states; a post-channel message is the SF1601 kombi
request with the address for remote print.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree

import memo_structure
from conftest import ROOT, run
from memo_structure import NS
from standardgen.core.cvr import valid_cvr
from standardgen.core.dates import long_date

SOLBAKKE = ROOT / "examples" / "solbakke"
KINDS = ("bevilget", "delvis_bevilget", "afslag", "aendring", "ophoer")
# The § 85 examples of every kind; the § 104 ones are made from them below.
SEL85 = {"bevilget": "2026-085-0001", "delvis_bevilget": "2026-085-0002",
         "afslag": "2026-085-0003", "aendring": "2026-085-0004", "ophoer": "2026-085-0005"}
KLE = {"85": "27.36.12", "104": "27.54.08"}
TEST_CVR = "29189633"  # fictitious, for the copy of standards/ (Norddjurs has none in the repo)


def _as_104(case: dict[str, object], number: str) -> dict[str, object]:
    """A § 85 example case turned into a § 104 one (days a week instead of hours)."""
    case = dict(case, standard="aktivitets-og-samvaerstilbud", case_number=number)
    for key in ("extent", "previous_extent"):
        extent = case.get(key)
        if isinstance(extent, dict):
            extent = {k: v for k, v in extent.items() if k not in ("hours_per_week", "provider")}
            case[key] = {**extent, "days_per_week": 2 if key == "extent" else 3,
                         "provider": "Aktivitetshuset Kattegat"}
    return case


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty letters (5 kinds x 2 paragraphs x 2 channels) with their messages, in one run."""
    base = tmp_path_factory.mktemp("memo")
    standards = base / "standards"
    shutil.copytree(ROOT / "standards", standards)
    town = standards / "municipalities" / "norddjurs.yaml"
    town.write_text(town.read_text(encoding="utf-8") + f'cvr: "{TEST_CVR}"\n', encoding="utf-8")
    cases = base / "cases"
    cases.mkdir()
    for kind, number in SEL85.items():
        case = yaml.safe_load((SOLBAKKE / "cases" / f"{number}.yaml").read_text("utf-8"))
        for paragraph in ("85", "104"):
            own = case if paragraph == "85" else _as_104(case, f"2026-104-09{KINDS.index(kind)}")
            for channel in ("digital_post", "post"):
                stem = f"{own['case_number']}-{channel}"
                data = dict(own, case_number=stem, channel=channel)
                (cases / f"{stem}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                    encoding="utf-8")
    result = run("letter", cases, "--standards", standards, "--standards",
                 SOLBAKKE / "standards", "--out", base / "out", "--format", "pdf",
                 "--format", "memo", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return base / "out"


def _messages(out: Path) -> list[Path]:
    found = sorted(out.glob("*.memo.xml"))
    assert len(found) == 20
    return found


def _message(root: etree._Element) -> etree._Element:
    return root if root.tag == memo_structure.q("memo:Message") else root.find(
        "memo:Message", NS)


def test_every_message_fits_the_structure(batch: Path) -> None:
    for path in _messages(batch):
        assert memo_structure.problems(path.read_bytes()) == [], path.name


def test_message_holds_the_letter_it_was_written_with(batch: Path) -> None:
    for path in _messages(batch):
        stem = path.name.removesuffix(".memo.xml")
        message = _message(etree.fromstring(path.read_bytes()))
        content = message.findtext("memo:MessageBody/memo:MainDocument/memo:File/memo:content",
                                   namespaces=NS)
        assert base64.b64decode(content or "") == (batch / f"{stem}.pdf").read_bytes()
        assert message.findtext(".//memo:CaseID/memo:caseID", namespaces=NS) == stem
        paragraph = stem.split("-")[1].lstrip("0")
        assert message.findtext(".//kle:KLEdata/kle:subjectKey", namespaces=NS) == KLE[paragraph]
        sender = message.find("memo:MessageHeader/memo:Sender", NS)
        expected_cvr = TEST_CVR if paragraph == "104" else "12345674"
        assert sender.findtext("memo:senderID", namespaces=NS) == expected_cvr
        assert valid_cvr(expected_cvr)


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(
        io.BytesIO(pdf)).pages)


def test_the_reply_date_is_the_complaint_deadline_the_letter_states(batch: Path) -> None:
    from zoneinfo import ZoneInfo

    for path in _messages(batch):
        message = _message(etree.fromstring(path.read_bytes()))
        header = message.find("memo:MessageHeader", NS)
        stamp = header.findtext("memo:replyByDateTime", namespaces=NS) or ""
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        local = moment.astimezone(ZoneInfo("Europe/Copenhagen"))
        assert local.time() == dt.time(23, 59, 59)  # the deadline runs to the end of the day
        pdf = path.with_name(path.name.replace(".memo.xml", ".pdf")).read_bytes()
        text = _pdf_text(pdf)
        assert f"Sidste dag for klage er derfor den {long_date(local.date())}" in text, path.name
        assert header.findtext("memo:reply", namespaces=NS) == "true"
        assert header.findtext("memo:mandatory", namespaces=NS) == "true"
        assert header.findtext("memo:legalNotification", namespaces=NS) == "true"


def test_post_letters_are_wrapped_for_remote_print(batch: Path) -> None:
    for path in _messages(batch):
        root = etree.fromstring(path.read_bytes())
        pdf = path.with_name(path.name.replace(".memo.xml", ".pdf")).read_bytes()
        if "-digital_post" in path.name:
            assert root.tag == memo_structure.q("memo:Message")
            continue
        assert root.tag == "kombi_request"
        assert root.findtext("KombiValgKode") == "Automatisk Valg"
        sending = root.find("fjernprint:ForsendelseISamling/fjernprint:ForsendelseI", NS)
        assert base64.b64decode(sending.findtext("dkal:MeddelelseIndholdData",
                                                 namespaces=NS) or "") == pdf
        address = sending.find("fjernprint:ForsendelseModtager/fjernprint:ModtagerAdresse", NS)
        lines = [address.findtext(f"dkcc2005-3:PostalAddress{n}LineText", namespaces=NS)
                 for n in ("First", "Second")]
        text = _pdf_text(pdf)
        assert all(line and line in text for line in lines)  # the window's address
        assert address.findtext("itst:PersonName", namespaces=NS) in text
        options = sending.find("fjernprint:PrintParametre", NS)
        assert options.findtext("fjernprint:KuvertTypeKode", namespaces=NS) == "C5"
        assert options.findtext("fjernprint:SimplexDuplexKode", namespaces=NS) in (
            "Simplex", "Duplex")
        message_id = _message(root).findtext(".//memo:messageUUID", namespaces=NS)
        assert sending.findtext("fjernprint:AfsendelseIdentifikator", namespaces=NS) == message_id


def test_follow_up_form_is_attached_where_the_kind_has_one(batch: Path) -> None:
    import pikepdf

    for path in _messages(batch):
        message = _message(etree.fromstring(path.read_bytes()))
        extra = message.findall("memo:MessageBody/memo:AdditionalDocument", NS)
        kind = next(k for k, n in SEL85.items() if n[-4:] == path.name[9:13]) if (
            "-085-" in path.name) else KINDS[int(path.name[11])]
        if kind in ("afslag", "ophoer"):
            assert extra == [], path.name
            continue
        assert len(extra) == 1, path.name
        data = base64.b64decode(extra[0].findtext("memo:File/memo:content", namespaces=NS))
        with pikepdf.open(io.BytesIO(data)) as form:
            assert "/AcroForm" in form.Root  # the fillable follow-up form


def test_cpr_number_only_in_the_recipient(batch: Path) -> None:
    for path in _messages(batch):
        root = etree.fromstring(path.read_bytes())
        for element in root.iter():  # the base64 PDF cannot hold it legibly; drop it
            if element.tag in (memo_structure.q("memo:content"),
                               memo_structure.q("dkal:MeddelelseIndholdData"),
                               memo_structure.q("dkal:VedhaeftningIndholdData")):
                element.text = ""
        text = etree.tostring(root, encoding="unicode")
        recipient = _message(root).findtext(".//memo:Recipient/memo:recipientID", namespaces=NS)
        assert recipient is not None and re.fullmatch(r"\d{10}", recipient)
        assert text.count(recipient) == 1, path.name
        assert f"{recipient[:6]}-{recipient[6:]}" not in text


def test_message_files_are_private(batch: Path) -> None:
    for path in _messages(batch):
        assert path.stat().st_mode & 0o777 == 0o600


def test_rerun_gives_the_same_message(batch: Path, tmp_path: Path) -> None:
    case = SOLBAKKE / "cases" / "2026-085-0002.yaml"
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run("letter", case, "--standards", SOLBAKKE / "standards", "--out", out,
                     "--format", "memo", "--jobs", "1")
        assert result.exit_code == 0, result.output
    name = "2026-085-0002.memo.xml"
    assert (first / name).read_bytes() == (second / name).read_bytes()
    assert sorted(p.name for p in first.iterdir()) == ["2026-085-0002.memo.xml",
                                                      "2026-085-0002.pdf"]


def test_a_case_whose_municipality_has_no_cvr_gets_no_letter(standards_copy: Path,
                                                            tmp_path: Path) -> None:
    """Norddjurs has no CVR number: its case is refused, located at the case's standard and
    naming the municipality file; Solbakke's case in the same run gets its letter."""
    out = tmp_path / "out"
    result = run("letter", ROOT / "examples" / "cases" / "bevilget.yaml",
                 SOLBAKKE / "cases" / "2026-085-0001.yaml", "--standards", standards_copy,
                 "--standards", SOLBAKKE / "standards", "--out", out, "--format", "memo")
    assert result.exit_code == 1
    assert re.search(r"bevilget\.yaml:\d+:\d+: fejl: kommunefilen \S*norddjurs\.yaml mangler "
                     r"'cvr'", result.output), result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["2026-085-0001.memo.xml",
                                                    "2026-085-0001.pdf"]


@pytest.mark.parametrize(("value", "message"), [
    ("12345675", "modulus 11"), ("1234567", "otte cifre"), ("1234567a", "otte cifre")])
def test_cvr_is_checked_in_the_municipality_file(standards_copy: Path, value: str,
                                                 message: str) -> None:
    town = standards_copy / "municipalities" / "norddjurs.yaml"
    town.write_text(town.read_text(encoding="utf-8") + f'cvr: "{value}"\n', encoding="utf-8")
    result = run("check", standards_copy)
    assert result.exit_code == 1
    assert re.search(rf"norddjurs\.yaml:\d+:\d+: fejl: .*{message}", result.output), (
        result.output)


def test_the_structural_check_can_fail(batch: Path) -> None:
    """The check is not a rubber stamp: a label out of order, a missing sender and a CPR number
    of nine digits are each caught."""
    path = next(p for p in _messages(batch) if "-digital_post" in p.name)
    text = path.read_text(encoding="utf-8")
    label = re.search(r"<memo:label>[^<]*</memo:label>", text)
    assert label is not None
    early = text.replace(label.group(0), "", 1).replace(
        "<memo:messageType>", label.group(0) + "<memo:messageType>", 1)
    bad = [
        early,
        text.replace("<memo:messageUUID>", "<memo:messageUUID>x", 1),
        re.sub(r"<memo:Sender>.*?</memo:Sender>", "", text, count=1, flags=re.S),
        re.sub(r"<memo:recipientID>(\d{9})\d</memo:recipientID>",
               r"<memo:recipientID>\1</memo:recipientID>", text, count=1),
        text.replace("<memo:MessageHeader><memo:messageType>DIGITALPOST</memo:messageType>",
                     "<memo:MessageHeader><memo:messageType>BREV</memo:messageType>", 1),
    ]
    for broken in bad:
        assert broken != text
        assert memo_structure.problems(broken.encode()) != []


def test_cvr_check_digit() -> None:
    assert valid_cvr("12345674") and valid_cvr(TEST_CVR)
    assert not valid_cvr("12345675") and not valid_cvr("1234567")


def test_an_address_line_too_long_for_remote_print_is_a_located_error(tmp_path: Path) -> None:
    """fjernprint takes address lines of at most 34 characters: such a post letter gets neither
    its message nor its PDF, and the run says why, at the case."""
    case = yaml.safe_load((SOLBAKKE / "cases" / "2026-085-0002.yaml").read_text("utf-8"))
    assert case["channel"] == "post"
    case["citizen"]["address"]["street"] = "Den Lange Landevej Mod Solnedgangen 117, 3. tv."
    source = tmp_path / "case.yaml"
    source.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run("letter", source, "--standards", SOLBAKKE / "standards", "--out", out,
                 "--format", "memo", "--jobs", "1")
    assert result.exit_code == 1
    assert re.search(r"case\.yaml:\d+:\d+: fejl: brevet kunne ikke skrives: en adresselinje er "
                     r"længere end de 34 tegn", result.output), result.output
    assert not out.exists() or not list(out.glob("2026-085-0002*"))
