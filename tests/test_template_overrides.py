"""Template overrides (issue 20, defects 4 and 5): copying one built-in template into the
override folder, as the documentation advises, works for every template; a symbolic link in the
override folder never takes a file from outside it into the site or a letter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import NORDDJURS, ROOT, STANDARDS, edit, run

BUILTIN = ROOT / "templates"
CASE = ROOT / "examples" / "cases" / "bevilget.yaml"
# Templates this branch does not own (the desk's) and the scripts that make the .docx templates.
NOT_RENDERED = ("desk/", "make_docx_templates.py", "form/make_docx_template.py")
SECRET = "HEMMELIG-FIL-UDEN-FOR-SKABELONMAPPEN"


def templates() -> list[str]:
    names = [path.relative_to(BUILTIN).as_posix() for path in sorted(BUILTIN.rglob("*"))
             if path.is_file()]
    return [name for name in names if not name.startswith(NOT_RENDERED)]


@pytest.fixture
def override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "egne-skabeloner"
    folder.mkdir()
    monkeypatch.setenv("STANDARDGEN_TEMPLATES", str(folder))
    return folder


def use(override: Path, name: str) -> None:
    target = override / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUILTIN / name, target)


def render_with(name: str, tmp_path: Path) -> list[Path]:
    """Run the command that renders ``name``; the files it wrote."""
    out = tmp_path / "out"
    group = name.split("/", 1)[0]
    if group == "letter":
        result = run("letter", CASE, "--standards", STANDARDS, "--out", out)
    elif group == "form":
        result = run("form", CASE, "--standards", STANDARDS, "--out", out)
    elif group == "diff":
        new = tmp_path / "ny" / NORDDJURS.name
        new.parent.mkdir()
        shutil.copy(NORDDJURS, new)
        edit(new, "unit: Myndighedsafdelingen", "unit: Visitationen")
        out = tmp_path / "out" / "diff.html"
        result = run("diff", NORDDJURS, new, "--format", "html", "--out", out)
    elif group == "init":
        ci = "gitlab" if name.endswith("gitlab-ci.yml") else "github"
        result = run("init", out, "--municipality", "Bakkeby", "--ci", ci, "--source",
                     "git+https://git.example.dk/standardgen.git@v0.1.0")
    elif group == "new":
        shutil.copytree(STANDARDS / "municipalities", out / "municipalities")
        result = run("new", "en-ny-ydelse", "--out", out, "--municipality", "bakkeby")
    elif group == "serve":
        return _serve_pages(out)
    else:  # site/, standard/, standard.docx
        result = run("build", STANDARDS, "--out", out)
    assert result.exit_code == 0, result.output
    return [path for path in out.rglob("*") if path.is_file()] if out.is_dir() else [out]


def _serve_pages(out: Path) -> list[Path]:
    from standardgen.core.problems import Problem, Severity
    from standardgen.publish import serve

    banner = serve._banner([Problem("a.yaml", 1, 1, Severity.ERROR, "en fejl")])
    out.mkdir()
    (out / "empty.html").write_text(serve._with_banner(None, banner), encoding="utf-8")
    return [out / "empty.html"]


@pytest.mark.parametrize("name", [n for n in templates() if n.startswith(("letter/", "form/",
                                                                          "diff/", "init/",
                                                                          "new/", "serve/"))])
def test_one_copied_template_is_enough(name: str, override: Path, tmp_path: Path) -> None:
    use(override, name)
    assert render_with(name, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in templates() if n.startswith(("site/", "standard"))])
def test_one_copied_site_template_is_enough(name: str, override: Path, tmp_path: Path) -> None:
    use(override, name)
    assert render_with(name, tmp_path)


def test_a_letter_template_overridden_alone_writes_letters(override: Path, tmp_path: Path) -> None:
    """The Typst root was the override folder, so print.yaml beside the built-in template was
    "file not found" for every letter."""
    use(override, "letter/letter.typ")
    files = render_with("letter/letter.typ", tmp_path)
    assert sorted(path.suffix for path in files) == [".docx", ".pdf"]


def secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "uden-for" / "hemmelig.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def test_typst_never_reads_a_link_out_of_the_override_folder(override: Path,
                                                             tmp_path: Path) -> None:
    use(override, "letter/letter.typ")
    use(override, "letter/print.yaml")  # so that the letter renders but for the link
    (override / "letter" / "noter.txt").symlink_to(secret_file(tmp_path))
    edit(override / "letter" / "letter.typ", '#let geo = yaml("print.yaml")',
         '#let geo = yaml("print.yaml")\n#read("noter.txt")')
    result = run("letter", CASE, "--standards", STANDARDS, "--out", tmp_path / "out",
                 "--format", "pdf")
    assert result.exit_code == 1
    assert "PDF-skabelonen fejlede: file not found" in result.output
    assert "noter.txt" in result.output
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_jinja_never_includes_a_link_out_of_the_override_folder(override: Path,
                                                                tmp_path: Path) -> None:
    use(override, "site/standard.html")
    (override / "site" / "noter.html").symlink_to(secret_file(tmp_path))
    edit(override / "site" / "standard.html", "{% block content %}",
         "{% block content %}{% include 'site/noter.html' %}")
    result = run("build", STANDARDS, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "site/noter.html" in result.output
    pages = [p.read_text(encoding="utf-8", errors="replace")
             for p in (tmp_path / "out").rglob("*.html")]
    assert not any(SECRET in page for page in pages)


def test_check_names_a_link_out_of_the_override_folder(override: Path, tmp_path: Path) -> None:
    (override / "letter").mkdir()
    (override / "letter" / "wording.yaml").symlink_to(secret_file(tmp_path))
    result = run("check", STANDARDS)
    assert result.exit_code == 1
    assert (f"{override}/letter/wording.yaml:0:0: fejl: skabelonen er et symbolsk link ud af "
            "skabelonmappen og bruges ikke") in result.output


def test_check_says_which_templates_are_the_municipality_s_own(override: Path) -> None:
    use(override, "letter/letter.typ")
    result = run("check", STANDARDS)
    assert result.exit_code == 0, result.output
    assert (f"{override}/letter/letter.typ:0:0: info: kommunens egen skabelon bruges i stedet "
            "for standardgens") in result.output


def test_check_tries_an_overridden_letter_template(override: Path) -> None:
    """On main `check` said nothing about a letter.typ that broke every letter."""
    use(override, "letter/letter.typ")
    with (override / "letter" / "letter.typ").open("a", encoding="utf-8") as typ:
        typ.write("#let x = (\n")
    result = run("check", STANDARDS)
    assert result.exit_code == 1
    assert (f"{override}/letter/letter.typ:0:0: fejl: et prøvebrev (pdf, eksemplets sag "
            "2026-083-0001.yaml) kunne ikke laves med kommunens skabeloner: brevet kunne ikke "
            "skrives: PDF-skabelonen fejlede: unclosed delimiter") in result.output


def test_check_tries_an_overridden_word_letter_template(override: Path) -> None:
    use(override, "letter/document.xml")
    edit(override / "letter" / "document.xml", "</w:body>", "{{ ingen_saadan_vaerdi }}</w:body>")
    result = run("check", STANDARDS)
    assert result.exit_code == 1
    assert f"{override}/letter/document.xml:0:0: fejl: et prøvebrev (docx," in result.output
