"""`standardgen diff`: terminal, git revisions, HTML and Word with tracked changes."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import clients
from standardgen.approval import terminal
from standardgen.approval.commands import DiffRequest, load_pair
from standardgen.approval.compare import compare
from standardgen.approval.wording import load_wording
from standardgen.cli import main

OLD_SENTENCE = "Aktivitets- og samværstilbud tilbydes på hverdage inden for de enkelte tilbuds"
NEW_SENTENCE = "Aktivitets- og samværstilbud tilbydes alle hverdage inden for det enkelte tilbuds"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _edit(path: Path, *, version: str = "2024") -> Path:
    text = path.read_text(encoding="utf-8")
    assert OLD_SENTENCE in text
    text = text.replace(OLD_SENTENCE, NEW_SENTENCE)
    text = text.replace("          - Socialt samvær\n", "          - Socialt samvær\n"
                                                     "          - Udflugter & <ture>\n")
    text = text.replace("  date: 2023-04-26\n", "  date: 2024-05-02\n")
    text = text.replace('version: "2023"', f'version: "{version}"')
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def versions(standards_copy: Path) -> tuple[Path, Path]:
    old = standards_copy / "aktivitets-og-samvaerstilbud.yaml"
    new = standards_copy / "ny" / old.name
    new.parent.mkdir()
    shutil.copy(old, new)
    return old, _edit(new)


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_terminal_names_the_section_and_shows_old_and_new_wording(
        versions: tuple[Path, Path]) -> None:
    code, out, _ = _run("diff", *versions)
    assert code == 0
    assert out.startswith("Ændringer i forhold til versionen godkendt 26. april 2023\n")
    section = out[out.index("## Kriterier og omfang (ændret)"):]
    assert "- Aktivitets- og samværstilbud tilbydes [-på-] hverdage inden for [-de-] enkelte" \
        in section
    assert "+ Aktivitets- og samværstilbud tilbydes {+alle+} hverdage inden for {+det+} enkelte" \
        in section
    assert "## Aktiviteter (ændret)" in out and "+ Udflugter & <ture>" in out
    assert "Uændrede afsnit: Målgruppe, Formål," in out
    assert "\x1b[" not in out  # not a terminal: plain markers, no colour


def test_colour_marks_changed_words_instead_of_markers(versions: tuple[Path, Path]) -> None:
    old, new = load_pair(DiffRequest(versions, None, "text", None))
    result, wording = compare(old, new), load_wording()
    coloured = terminal.render(result, wording, colour=True)
    plain = terminal.render(result, wording, colour=False)
    assert "\x1b[1m\x1b[7m" in coloured.replace("\x1b[32m", "").replace("\x1b[31m", "")
    unmarked = re.sub(r"\[-|-\]|\{\+|\+\}", "", plain)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == unmarked


def test_summary_is_one_danish_paragraph(versions: tuple[Path, Path]) -> None:
    code, out, _ = _run("diff", "--summary", *versions)
    assert code == 0
    # Hand count: one sentence changed (Kriterier), two fields changed (date, version), one
    # list item added (Aktiviteter); no section added or removed.
    assert out == ("Ændret i Om standarden, Kriterier og omfang og Aktiviteter. "
                   "Afsnit: 0 tilføjet og 0 slettet. Sætninger og felter: 3 ændret, "
                   "1 tilføjet og 0 slettet.\n")


def test_summary_counts_an_added_section_and_its_sentences(versions: tuple[Path, Path]) -> None:
    old, new = versions
    text = new.read_text(encoding="utf-8").replace("sections:\n", (
        "sections:\n  - id: tider\n    role: other\n    title: Åbningstider\n    content:\n"
        "      - Støtten gives på hverdage mellem kl. 8 og 20. Du kan også ringe, jf. § 85, "
        "stk. 2. Vi svarer inden for 3 dage.\n"), 1)
    new.write_text(text, encoding="utf-8")
    code, out, _ = _run("diff", "--summary", old, new)
    assert code == 0, out
    assert "Nye afsnit: Åbningstider." in out
    assert "Afsnit: 1 tilføjet og 0 slettet. Sætninger og felter: 3 ændret, 4 tilføjet" in out


def test_a_sentence_with_kl_and_a_number_is_diffed_whole(versions: tuple[Path, Path]) -> None:
    old, new = versions
    sentence = "Støtten gives på hverdage mellem kl. 8 og 20. Ring til os."
    for path, hour in ((old, "20"), (new, "18")):
        text = path.read_text(encoding="utf-8").replace("sections:\n", (
            "sections:\n  - id: tider\n    role: other\n    title: Åbningstider\n"
            f"    content:\n      - {sentence.replace('20', hour)}\n"), 1)
        path.write_text(text, encoding="utf-8")
    code, out, _ = _run("diff", old, new)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "- Støtten gives på hverdage mellem kl. 8 og [-20.-]" in lines  # the whole sentence
    assert "+ Støtten gives på hverdage mellem kl. 8 og {+18.+}" in lines
    assert not [line for line in lines if line.startswith(("- 8 og", "+ 8 og"))]


def test_identical_files_say_so(versions: tuple[Path, Path]) -> None:
    code, out, _ = _run("diff", versions[0], versions[0])
    assert code == 0 and "Der er ingen ændringer i teksten." in out


@pytest.mark.parametrize(("args", "message"), [
    (["diff", "a.yaml"], "angiv to filer"),
    (["diff", "--rev", "HEAD", "a.yaml", "b.yaml"], "angiv én fil sammen med --rev"),
    (["diff", "--rev", "..HEAD", "a.yaml"], "er ikke et interval"),
    (["diff", "--rev", "A...B", "a.yaml"], "er ikke et interval"),
    (["diff", "--format", "docx", "a.yaml", "b.yaml"], "--format docx kræver --out"),
    (["diff", "--out", "x.html", "a.yaml", "b.yaml"], "--out bruges kun med"),
    (["diff", "--author", "a\x01b", "a.yaml", "b.yaml"], "--author skal være et navn"),
])
def test_wrong_use_is_a_danish_usage_error(args: list[str], message: str) -> None:
    code, _, err = _run(*args)
    assert code == 2
    assert message in err


def test_an_invalid_version_is_a_located_error_and_nothing_is_written(
        versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    new.write_text(new.read_text(encoding="utf-8").replace("date: 2024-05-02",
                                                           "date: 2024-02-30"), encoding="utf-8")
    out = tmp_path / "changes.html"
    code, stdout, _ = _run("diff", "--format", "html", "--out", out, old, new)
    assert code == 1
    assert re.search(r"ny/aktivitets-og-samvaerstilbud\.yaml:\d+:\d+: fejl: .*2024-02-30", stdout)
    assert not out.exists()


# --- git revisions -----------------------------------------------------------------------------

def _git(folder: Path, *args: str) -> None:
    git = clients.require("git")
    subprocess.run([str(git), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=folder, check=True,
                   capture_output=True)


@pytest.fixture
def repo(standards_copy: Path) -> Path:
    clients.require("git")  # skips when git is missing, fails in CI
    folder = standards_copy
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "2023")
    _edit(folder / "aktivitets-og-samvaerstilbud.yaml")
    return folder


def test_rev_compares_one_file_at_two_revisions(repo: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.chdir(repo)
    file = "aktivitets-og-samvaerstilbud.yaml"
    code, uncommitted, _ = _run("diff", "--rev", "HEAD", file)
    assert code == 0 and "{+alle+}" in uncommitted
    _git(repo, "commit", "-q", "-am", "2024")
    code, committed, _ = _run("diff", "--rev", "HEAD~1..HEAD", file)
    assert code == 0
    assert committed == uncommitted


def test_a_bad_revision_is_a_located_danish_error(repo: Path, monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:
    monkeypatch.chdir(repo)
    code, out, _ = _run("diff", "--rev", "findes-ikke..HEAD", "aktivitets-og-samvaerstilbud.yaml")
    assert code == 1
    assert out == ("findes-ikke:aktivitets-og-samvaerstilbud.yaml:0:0: fejl: revisionen "
                   "'findes-ikke' findes ikke i git\n")
    shutil.copy(repo / "aktivitets-og-samvaerstilbud.yaml", repo / "ny.yaml")
    code, out, _ = _run("diff", "--rev", "HEAD", "ny.yaml")
    assert code == 1
    assert out == "HEAD:ny.yaml:0:0: fejl: filen fandtes ikke i revisionen 'HEAD'\n"
    code, out, _ = _run("diff", "--rev", "--output=x..HEAD", "ny.yaml")
    assert code == 1 and "'--output=x' er ikke en git-revision" in out


# --- HTML --------------------------------------------------------------------------------------

def test_html_change_summary(versions: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "changes.html"
    code, stdout, _ = _run("diff", "--format", "html", "--out", out, *versions)
    assert code == 0 and stdout == f"skrevet: {out}\n"
    page = out.read_text(encoding="utf-8")
    assert '<html lang="da">' in page
    assert "<h1>Ændringer i forhold til versionen godkendt 26. april 2023</h1>" in page
    assert "Udflugter &amp; &lt;ture&gt;" in page  # data, never markup
    assert re.search(r"<del>.*på </del><ins>.*alle </ins>hverdage", page)


@pytest.mark.client
def test_html_change_summary_is_valid(versions: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "changes.html"
    assert _run("diff", "--format", "html", "--out", out, *versions)[0] == 0
    assert clients.nu_check([out]) == []


@pytest.mark.client
def test_html_change_summary_passes_axe(versions: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "changes.html"
    assert _run("diff", "--format", "html", "--out", out, *versions)[0] == 0
    violations = clients.axe([out])[str(out)]
    assert violations == [], clients.describe_axe(violations)


# --- Word with tracked changes -----------------------------------------------------------------

def _revisions(docx: Path) -> list[tuple[str, str, str, str]]:
    from lxml import etree

    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    return [(element.tag.removeprefix(W), element.get(f"{W}author"), element.get(f"{W}date"),
             "".join(element.itertext()))
            for element in body.iter(f"{W}ins", f"{W}del") if element.getparent().tag != f"{W}rPr"]


def test_word_has_tracked_changes_with_author_and_date(versions: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    code, _, _ = _run("diff", "--format", "docx", "--out", out, "--author", "Politik & Plan",
                      *versions)
    assert code == 0
    revisions = _revisions(out)
    assert ("del", "Politik & Plan", "2024-05-02T00:00:00Z", "på ") in revisions
    assert ("ins", "Politik & Plan", "2024-05-02T00:00:00Z", "alle ") in revisions
    assert ("ins", "Politik & Plan", "2024-05-02T00:00:00Z", "Udflugter & <ture>") in revisions
    with zipfile.ZipFile(out) as package:
        document = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    assert "<w:delText xml:space=\"preserve\">på </w:delText>" in document
    assert 'w:val="da-DK"' in styles


def test_word_output_is_reproducible(versions: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert _run("diff", "--format", "docx", "--out", first, *versions)[0] == 0
    assert _run("diff", "--format", "docx", "--out", second, *versions)[0] == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.client
def test_libreoffice_lists_the_changes_as_revisions(versions: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    assert _run("diff", "--format", "docx", "--out", out, *versions)[0] == 0
    [fodt] = clients.libreoffice_convert([out], "fodt", tmp_path / "lo")
    xml = fodt.read_text(encoding="utf-8")
    regions = re.findall(r'<text:changed-region[^>]*text:id="([^"]+)">\s*'
                         r'<text:(insertion|deletion)>\s*<office:change-info>\s*'
                         r'<dc:creator>([^<]*)</dc:creator>', xml)
    kinds = {change_id: kind for change_id, kind, _ in regions}
    assert "<text:tracked-changes" in xml
    assert len(kinds) >= len(_revisions(out))
    assert {creator for _, _, creator in regions} == {"standardgen"}
    # LibreOffice keeps the changed text in place, between change-start and change-end marks
    spans = re.findall(r'<text:change-start text:change-id="([^"]+)"/>(.*?)'
                       r'<text:change-end text:change-id="\1"/>', xml)
    changed = {(kinds[change_id], text) for change_id, text in spans}
    assert {("deletion", "på "), ("insertion", "alle "), ("deletion", "de "),
            ("insertion", "det ")} <= changed


def _resolve(fodt: str, drop: str) -> set[str]:
    """The paragraphs LibreOffice shows once every change of kind ``drop`` is undone: dropping
    deletions is "accept all", dropping insertions is "reject all"."""
    import html as htmllib

    regions = dict(re.findall(r'<text:changed-region[^>]*text:id="([^"]+)">\s*'
                              r'<text:(insertion|deletion)>', fodt))
    body = fodt[fodt.index("</text:tracked-changes>"):]
    for change_id, kind in regions.items():
        if kind == drop:
            body = re.sub(rf'<text:change-start text:change-id="{change_id}"/>.*?'
                          rf'<text:change-end text:change-id="{change_id}"/>', "", body,
                          flags=re.S)
    body = re.sub(r"</text:[ph]>", "\n", body)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", body))
    return {line.strip() for line in text.splitlines() if line.strip()}


def _texts(path: Path) -> set[str]:
    from standardgen.approval.sources import load_version
    from standardgen.core.markup import to_plain
    from standardgen.standards.model import BulletList

    texts = set()
    for section in load_version(path).sections:
        texts.add(section.title)
        for block in section.content:
            items = block.list if isinstance(block, BulletList) else [
                block if isinstance(block, str) else block.text]
            texts.update(" ".join(to_plain(item).split()) for item in items)
    return texts


@pytest.mark.client
def test_accepting_all_changes_in_libreoffice_gives_the_new_version_rejecting_the_old(
        versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    text = new.read_text(encoding="utf-8")
    start, end = text.index("  - id: formaal"), text.index("  - id: afgoerelse")
    text = text[:start] + text[end:]  # a section removed, and one added:
    text = text.replace("  - id: aktiviteter\n", "  - id: transport\n    role: other\n"
                        "    title: Transport\n    content:\n      - Kørslen er gratis.\n\n"
                        "  - id: aktiviteter\n")
    new.write_text(text, encoding="utf-8")
    out = tmp_path / "changes.docx"
    assert _run("diff", "--format", "docx", "--out", out, old, new)[0] == 0
    [fodt] = clients.libreoffice_convert([out], "fodt", tmp_path / "lo")
    xml = fodt.read_text(encoding="utf-8")
    accepted, rejected = _resolve(xml, "deletion"), _resolve(xml, "insertion")
    old_texts, new_texts = _texts(old), _texts(new)
    assert {"Formål", "Transport", "Kørslen er gratis."} <= old_texts ^ new_texts
    assert new_texts <= accepted and not (old_texts - new_texts) & accepted
    assert old_texts <= rejected and not (new_texts - old_texts) & rejected


def test_rev_outside_git_and_without_git_are_danish_errors(
        standards_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = standards_copy / "aktivitets-og-samvaerstilbud.yaml"
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(standards_copy.parent))
    code, out, _ = _run("diff", "--rev", "HEAD", file)
    assert code == 1 and out.endswith("fejl: filen ligger ikke i et git-arkiv\n")
    monkeypatch.setenv("PATH", "")
    code, out, _ = _run("diff", "--rev", "HEAD", file)
    assert code == 1 and "programmet git findes ikke" in out
