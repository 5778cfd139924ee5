"""Hostile files (issue 20): no command writes outside its folder, reads outside its repository
or template folder, hangs, or answers with a traceback or an English message.

The hostile inputs live in ``tests/data/hostile`` (``make_docx.py`` there writes the Word ones).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, STANDARDS, run

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A municipality repository four folders down, so that ``../../../..`` stays in tmp_path."""
    root = tmp_path / "a" / "b" / "c" / "repo"
    shutil.copytree(STANDARDS / "municipalities", root / "standards" / "municipalities")
    return root


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


# --- 1. import writes only inside --out ----------------------------------------------------------

@pytest.mark.parametrize("name", ["slug-parent", "slug-workflow", "slug-absolute"])
def test_import_never_writes_outside_out(name: str, repo: Path, tmp_path: Path) -> None:
    out = repo / "standards"
    before = files_under(tmp_path)
    absolute = Path("/tmp/standardgen-escaped.yaml")  # slug-absolute's slug
    stamp = absolute.stat().st_mtime_ns if absolute.exists() else None
    result = run("import", HOSTILE / f"{name}.docx", "--out", out)
    written = files_under(tmp_path) - before
    assert result.exit_code == 0, result.output
    assert written == {out / "aktivitets-og-samvaerstilbud.yaml"}
    assert (absolute.stat().st_mtime_ns if absolute.exists() else None) == stamp
    assert "advarsel: den skjulte egenskab standardgen.slug" in result.output
    assert "den bruges ikke" in result.output


def test_import_never_reads_a_municipality_file_outside_municipalities(repo: Path) -> None:
    secret = repo.parent.parent / "secret"
    secret.mkdir()
    (secret / "town.yaml").write_text("name: Hemmelig Kommune\n", encoding="utf-8")
    result = run("import", HOSTILE / "municipality-parent.docx", "--out", repo / "standards")
    assert result.exit_code == 0, result.output
    text = (repo / "standards" / "aktivitets-og-samvaerstilbud.yaml").read_text(encoding="utf-8")
    assert "municipality: norddjurs" in text
    assert "standardgen.municipality '../../secret/town'" in result.output


def test_import_refuses_a_municipality_option_that_leaves_the_folder(repo: Path) -> None:
    result = run("import", HOSTILE / "slug-parent.docx", "--out", repo / "standards",
                 "--municipality", "../../secret/town")
    assert result.exit_code == 1
    assert result.output.startswith("--municipality:0:0: fejl: kommunens id må kun")
    assert not (repo / "standards" / "aktivitets-og-samvaerstilbud.yaml").exists()


def test_a_bookmark_id_of_the_wrong_shape_is_generated_again() -> None:
    from standardgen.standards.wordmeta import parse_mark

    assert parse_mark("_sgc_et_afsnit") is not None
    assert parse_mark("_sgc___") is None  # would be the id "---"
    assert parse_mark("_sgc_a__b") is None  # "a--b"


def test_inside_refuses_every_way_out(tmp_path: Path) -> None:
    from standardgen.core.fileio import inside
    from standardgen.core.problems import InputError

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    assert inside(tmp_path / "out", "a.yaml") == tmp_path / "out" / "a.yaml"
    for name in ("../a.yaml", "/etc/a.yaml", "link/a.yaml", "."):
        with pytest.raises(InputError) as caught:
            inside(tmp_path / "out", name)
        assert "peger uden for mappen" in caught.value.problems[0].message


# --- 14. a deeply nested JSON property -----------------------------------------------------------

def test_a_deeply_nested_json_property_is_a_located_warning(repo: Path) -> None:
    result = run("import", HOSTILE / "service-deep-json.docx", "--out", repo / "standards")
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert ("service-deep-json.docx:0:0: advarsel: den skjulte egenskab standardgen.service er "
            "ikke gyldig JSON") in result.output


# --- 3. the logo: the repository's own, a real PNG, an SVG without code --------------------------

def logo_check(standards: Path, name: str) -> str:
    """``check`` of ``standards`` with the municipality's logo set to ``name``."""
    town = standards / "municipalities" / "norddjurs.yaml"
    town.write_text(town.read_text(encoding="utf-8") + f"logo: {name}\n", encoding="utf-8")
    result = run("check", standards)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return str(result.output)


@pytest.mark.parametrize(("name", "found"), [
    ("logo-script.svg", "logoet indeholder <script>"),
    ("logo-onload.svg", "logoet indeholder hændelsen onload="),
    ("logo-external-image.svg", "logoet indeholder en henvisning til 'https://tracker.example"),
    ("logo-entity.svg", "logoet må ikke have en DOCTYPE med entiteter"),
    ("logo-not-png.png", "logoet er ikke en PNG-fil"),
])
def test_a_logo_with_code_or_the_wrong_content_is_refused(name: str, found: str,
                                                          standards_copy: Path) -> None:
    shutil.copy(HOSTILE / name, standards_copy / "municipalities" / name)
    output = logo_check(standards_copy, name)
    assert "municipalities/norddjurs.yaml:" in output
    assert f": fejl: {found}" in output


def test_a_logo_outside_the_repository_is_refused(standards_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.svg"
    shutil.copy(HOSTILE / "logo-clean.svg", outside)
    (standards_copy / "municipalities" / "link.svg").symlink_to(outside)
    output = logo_check(standards_copy, "link.svg")
    assert "elsewhere.svg' ligger uden for kommunens arkiv" in output, output


def test_an_absolute_logo_path_is_refused(standards_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.svg"
    shutil.copy(HOSTILE / "logo-clean.svg", outside)
    assert "ligger uden for kommunens arkiv" in logo_check(standards_copy, str(outside))


def test_a_clean_logo_passes(standards_copy: Path) -> None:
    shutil.copy(HOSTILE / "logo-clean.svg", standards_copy / "municipalities" / "logo.svg")
    assert "logoet" not in logo_check(standards_copy, "logo.svg")


# --- 8. form read: cycles, values that are not text, fields the form does not have --------------

def form_read(name: str) -> subprocess.CompletedProcess[str]:
    """``form read`` in a child process with a time limit: a cycle must not hang the test run."""
    import standardgen

    # The child runs the code this test process imported (src/ of this checkout).
    env = {**os.environ, "PYTHONPATH": str(Path(standardgen.__file__).parents[1])}
    return subprocess.run([sys.executable, "-m", "standardgen", "form", "read", HOSTILE / name],
                          capture_output=True, text=True, timeout=60, check=False, env=env)


def test_form_read_stops_at_a_field_that_holds_itself() -> None:
    result = form_read("form-kids-cycle.pdf")
    assert result.returncode == 1
    assert result.stderr.count("feltet indeholder sig selv (/Kids)") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "message"), [
    ("form-dictionary-value.pdf",
     "side 2, feltet 'provider_status': værdien er ikke tekst (men en ordbog)"),
    ("form-huge-value.pdf",
     "side 2, feltet 'overall_assessment': værdien er for lang (60000 tegn; højst 10000)"),
    ("form-unknown-field.pdf", "feltet 'goal_57_description': feltet hører ikke til standardgens "
                               "opfølgningsskema"),
    ("form-unknown-field.pdf", "feltet 'bankkonto': feltet hører ikke til"),
    # 200 MiB of spaces in a 200 KB stream: decompressed only as far as the limit needs.
    ("form-stream-bomb.pdf",
     "side 2, feltet 'provider_status': værdien er for lang (40004 tegn; højst 10000)"),
])
def test_form_read_refuses_values_and_fields_the_form_cannot_have(name: str,
                                                                   message: str) -> None:
    result = form_read(name)
    assert result.returncode == 1
    assert f"{name}:0:0: fejl: {message}" in result.stderr
    assert "pikepdf" not in result.stdout + result.stderr
    assert result.stdout == ""


def test_form_read_decodes_a_text_stream() -> None:
    result = form_read("form-stream-value.pdf")
    assert result.returncode == 0, result.stderr
    assert "provider_status: Leverandøren oplyser, at borgeren kommer fast." in result.stdout


def test_form_read_accepts_bytes_before_the_pdf_header() -> None:
    result = form_read("form-junk-before-header.pdf")
    assert result.returncode == 0, result.stderr
    assert "case_number: 2026-104-0001" in result.stdout


# --- 10. two runs into one folder ----------------------------------------------------------------

def standardgen_child(*args: str | Path) -> subprocess.Popen[str]:
    import standardgen

    env = {**os.environ, "PYTHONPATH": str(Path(standardgen.__file__).parents[1])}
    return subprocess.Popen([sys.executable, "-m", "standardgen", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["letter", "form"])
def test_two_runs_into_one_folder_keep_each_other_s_files(command: str, tmp_path: Path) -> None:
    from standardgen.letters.sample import multiply_csv

    rows = 300 if command == "letter" else 40
    batches = []
    for prefix in ("A", "B"):
        batch = multiply_csv(ROOT / "examples" / "cases" / "batch.csv",
                             tmp_path / f"{prefix}.csv", rows)
        batch.write_text(batch.read_text(encoding="utf-8").replace("B-0", f"{prefix}-0"),
                         encoding="utf-8")
        batches.append(batch)
    out = tmp_path / "out"
    runs = [standardgen_child(command, batch, "--standards", STANDARDS, "--out", out,
                              "--format", "pdf", "--jobs", "1") for batch in batches]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    written = [path.name for path in out.iterdir()]
    first = {name[1:] for name in written if name.startswith("A-")}
    second = {name[1:] for name in written if name.startswith("B-")}
    assert first == second  # every file of both runs, none removed by the other
    assert len(written) == 2 * len(first) >= (2 * rows if command == "letter" else rows)
    assert sum("venter: en anden kørsel skriver i" in err for _, err in outputs) <= 1


@pytest.mark.parametrize("command", ["letter", "form"])
def test_a_run_waits_for_the_run_that_writes_in_its_folder(command: str, tmp_path: Path) -> None:
    """The other run is this test: it holds the folder's lock with a temporary file of its own
    half written, which the new run must neither remove nor race."""
    out = tmp_path / "out"
    out.mkdir()
    pending = out / f".C-1{'-opfoelgning' if command == 'form' else ''}.pdf.0a1b2c3d.tmp"
    pending.write_bytes(b"%PDF-1.7 half written")
    folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(folder, fcntl.LOCK_EX)
    try:
        child = standardgen_child(command, ROOT / "examples" / "cases" / "bevilget.yaml",
                                  "--standards", STANDARDS, "--out", out, "--format", "pdf")
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=8)  # it waits for the lock
        assert pending.exists()
    finally:
        os.close(folder)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "venter: en anden kørsel skriver i" in err
    assert not pending.exists()  # removed as stale once the other run was gone


# --- 14. diff on hundreds of sections ------------------------------------------------------------

def with_sections(count: int, tag: str, roles: tuple[str, ...] = ("other",)) -> Any:
    from standardgen.approval.sources import load_version
    from standardgen.standards.model import Section

    base = load_version(STANDARDS / "aktivitets-og-samvaerstilbud.yaml")
    extra = tuple(Section.model_validate({
        "id": f"{tag}-afsnit-{n}", "role": roles[n % len(roles)], "title": f"Afsnit {n} {tag}",
        "content": [f"Tekst {n}, version {tag}."]}) for n in range(count))
    return base.model_copy(update={"sections": (*base.sections, *extra)})


def test_diff_matches_sections_without_comparing_them_pairwise(monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """Speed is measured in benchmarks/bench_diff.py; here the work is counted: matching 300
    renamed sections compared sections ~48,000 times with ``==`` (each a pydantic comparison;
    cubic growth, 37 s for 600)."""
    from standardgen.approval import compare
    from standardgen.standards.model import Section

    old, new = with_sections(300, "a"), with_sections(300, "b")
    calls = 0
    equal = Section.__eq__

    def counting(self: Section, other: object) -> bool:
        nonlocal calls
        calls += 1
        return equal(self, other)

    monkeypatch.setattr(Section, "__eq__", counting)
    result = compare.compare(old, new)
    assert calls < 1_000
    assert len(result.sections) == 13 + 600  # 300 added, 300 removed, the rest unchanged


@pytest.mark.parametrize("seed", range(20))
def test_diff_places_removed_sections_as_before(seed: int) -> None:
    """The linear matcher gives the pairs the pairwise one gave (kept here as the reference)."""
    import random

    from standardgen.approval.compare import _align_sections
    from standardgen.standards.model import Role

    rng = random.Random(seed)
    roles = ("other", "purpose", "activities", "delivery")
    old = list(with_sections(12, "a", roles).sections[-12:])
    new = rng.sample(old, rng.randint(0, 12)) + list(with_sections(4, "b", roles).sections[-4:])
    rng.shuffle(new)

    def reference() -> list[tuple[Any, Any]]:
        match: dict[int, int] = {}
        by_id = {s.id: i for i, s in enumerate(old)}
        for j, section in enumerate(new):
            if section.id in by_id:
                match[j] = by_id[section.id]
        free = [i for i in range(len(old)) if i not in match.values()]
        for j, section in enumerate(new):
            if j in match or section.role is Role.other:
                continue
            same_role = next((i for i in free if old[i].role is section.role), None)
            if same_role is not None:
                match[j] = same_role
                free.remove(same_role)
        pairs: list[tuple[Any, Any]] = [
            (old[match[j]] if j in match else None, s) for j, s in enumerate(new)]
        for i in free:
            before = [k for k, (o, _) in enumerate(pairs) if o is not None and old.index(o) < i]
            pairs.insert(before[-1] + 1 if before else 0, (old[i], None))
        return pairs

    assert _align_sections(old, new) == reference()


# --- 13. a YAML case has the CSV's limits -------------------------------------------------------

@pytest.mark.parametrize(("name", "where", "message"), [
    ("case-long-applied-for.yaml", ":9:14: fejl: teksten er for lang (12145 tegn; højst 10000, "
                                   "som i en CSV-celle)", ""),
    ("case-many-facts.yaml", ":27:3: fejl: listen er for lang (3002 punkter, ", "højst 10000 tegn"),
])
def test_a_yaml_case_has_the_limits_of_a_csv_row(name: str, where: str, message: str,
                                                  tmp_path: Path) -> None:
    result = run("letter", HOSTILE / name, "--standards", STANDARDS, "--out", tmp_path)
    assert result.exit_code == 1
    assert f"{name}{where}" in result.output
    assert message in result.output
    assert not list(tmp_path.glob("*.pdf"))


def test_the_desk_s_case_check_has_the_same_limits() -> None:
    from standardgen.cases.check import check_case
    from standardgen.standards.catalogue import load_catalogue

    standards = {item.slug: item for item in load_catalogue([STANDARDS]).standards}
    text = (HOSTILE / "case-many-facts.yaml").read_text(encoding="utf-8")
    checked = check_case(text, "upload.yaml", standards)
    assert not checked.ok
    assert [p.code for p in checked.problems] == ["case-size"]


def test_a_file_full_of_unknown_keys_stops_after_50_problems(tmp_path: Path) -> None:
    result = run("letter", HOSTILE / "case-unknown-keys.yaml", "--standards", STANDARDS,
                 "--out", tmp_path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": fejl: " in line]
    assert len(lines) == 51
    assert lines[0].endswith(":0:0: fejl: kontrollen af filen stoppede efter de første 50 fejl; "
                             "150 fejl mere er ikke vist (ret de viste, og kør igen)")


# --- 11. import: text boxes, footnotes and altChunks are named, not dropped silently -------------

def test_import_names_text_it_leaves_out(repo: Path) -> None:
    result = run("import", HOSTILE / "hidden-text.docx", "--out", repo / "standards")
    assert result.exit_code == 0, result.output
    name = f"{HOSTILE / 'hidden-text.docx'}"
    for line in (
        ":3:1: advarsel: afsnit 3: teksten i et tekstfelt 'Husk at medbringe madpakke.' "
        "importeres ikke",
        ":4:1: advarsel: afsnit 4: fodnoten 'Takster for 2024 står på kommunens hjemmeside.' "
        "importeres ikke",
        ":4:1: advarsel: afsnit 4: et indsat dokument (altChunk) med teksten 'Tekst fra et "
        "indsat HTML-dokument.' importeres ikke",
    ):
        assert line in result.output.replace(name, ""), result.output
    assert result.output.count("tekstfelt") == 1  # the box's VML fallback is not a second box
    text = (repo / "standards" / "aktivitets-og-samvaerstilbud.yaml").read_text(encoding="utf-8")
    assert "Tilbuddet har åbent på hverdage." in text  # the paragraph around the box is kept


# --- weak messages: line endings and encodings -----------------------------------------------

def test_a_file_with_cr_only_line_endings_is_read(tmp_path: Path) -> None:
    result = run("letter", HOSTILE / "case-cr-only.yaml", "--standards", STANDARDS, "--out",
                 tmp_path, "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert "filen er tom" not in result.output
    assert len(list(tmp_path.glob("*.pdf"))) == 1


def test_a_standard_with_cr_only_line_endings_is_checked(standards_copy: Path) -> None:
    standard = standards_copy / "aktivitets-og-samvaerstilbud.yaml"
    standard.write_bytes(standard.read_bytes().replace(b"\n", b"\r"))
    result = run("check", standards_copy)
    assert result.exit_code == 0, result.output
    assert "filen er tom" not in result.output


@pytest.mark.parametrize(("name", "message"), [
    ("case-utf16.yaml", "fejl: filen er gemt som UTF-16; gem den igen med tegnsættet UTF-8"),
    ("case-utf32be.yaml", "fejl: filen er gemt som UTF-32; gem den igen med tegnsættet UTF-8"),
    ("batch-utf16.csv", "fejl: filen er gemt som UTF-16 (fx Excels 'Unicode-tekst'); gem den som "
                        "'CSV UTF-8'"),
])
def test_utf16_and_utf32_are_named_not_called_binary(name: str, message: str,
                                                     tmp_path: Path) -> None:
    result = run("letter", HOSTILE / name, "--standards", STANDARDS, "--out", tmp_path)
    assert result.exit_code == 1
    assert f"{name}:0:0: {message}" in result.output
    assert "binær" not in result.output


# --- weak messages: Word files ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "message"), [
    ("password.docx", "Word-filen er beskyttet med adgangskode; fjern adgangskoden"),
    ("deep-tables.docx", "Word-dokumentet har elementer (fx tabeller i tabeller) indlejret i mere "
                         "end 256 niveauer"),
])
def test_word_files_that_cannot_be_read_say_why(name: str, message: str, repo: Path) -> None:
    result = run("import", HOSTILE / name, "--out", repo / "standards")
    assert result.exit_code == 1
    assert f"{name}:0:0: fejl: {message}" in result.output
    assert "ikke et Word-dokument" not in result.output and "beskadiget" not in result.output


def test_a_zip_bomb_with_understated_headers_is_read_in_bounded_memory(repo: Path) -> None:
    """400 MiB in a 450 KB file whose headers say 15 KB: ZipFile.read decompressed it in one
    call (~870 MB of memory) before it found the size wrong."""
    import standardgen

    # VmHWM, not ru_maxrss: the latter keeps the forking test process's size across exec.
    script = ("import runpy, sys\n"
              "sys.argv = ['standardgen', *sys.argv[1:]]\n"
              "try:\n    runpy.run_module('standardgen', run_name='__main__')\n"
              "except SystemExit:\n    pass\n"
              "peak = [line.split()[1] for line in open('/proc/self/status')\n"
              "        if line.startswith('VmHWM:')][0]\n"
              "print('maxrss', peak, file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(standardgen.__file__).parents[1])}
    result = subprocess.run([sys.executable, "-c", script, "import",
                             HOSTILE / "understated-bomb.docx", "--out", repo / "standards"],
                            capture_output=True, text=True, timeout=120, check=False, env=env)
    kib = int(result.stderr.rsplit("maxrss ", 1)[1])
    assert kib < 200 * 1024, f"{kib // 1024} MiB"
    assert "understated-bomb.docx:0:0: fejl: filen er ikke et Word-dokument (.docx), eller den " \
           "er beskadiget" in result.stdout + result.stderr


# --- weak messages: a file where the output folder should be ------------------------------------

@pytest.mark.parametrize("command", [
    ["letter", ROOT / "examples" / "cases" / "bevilget.yaml", "--standards", STANDARDS],
    ["form", ROOT / "examples" / "cases" / "bevilget.yaml", "--standards", STANDARDS],
    ["build", STANDARDS],
])
@pytest.mark.parametrize(("below", "message"), [
    ("", "der ligger en fil med det navn, hvor standardgen skal lave en mappe"),
    ("under", "en del af stien er en fil, ikke en mappe"),
])
def test_a_file_where_the_output_folder_should_be_is_said_in_danish(
        command: list[str | Path], below: str, message: str, tmp_path: Path) -> None:
    blocker = tmp_path / "ud"
    blocker.write_text("en fil, ikke en mappe\n", encoding="utf-8")
    result = run(*command, "--out", blocker / below if below else blocker)
    assert result.exit_code == 1
    assert f":0:0: fejl: {message}" in result.output
    assert "File exists" not in result.output and "Not a directory" not in result.output


# --- weak messages: a full disk during build ------------------------------------------------------

def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_a_full_disk_during_build_names_the_file_and_leaves_the_last_site(
        standards_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk is full after two files (the write is made to fail as a full disk fails: an
    OSError with ENOSPC naming the file): the site stays as the last build left it."""
    import errno

    from standardgen.core import fileio

    out = tmp_path / "output"
    assert run("build", standards_copy, "--out", out).exit_code == 0
    before = site_files(out / "site")
    standard = standards_copy / "aktivitets-og-samvaerstilbud.yaml"
    standard.write_text(standard.read_text(encoding="utf-8").replace(
        "Myndighedsafdelingen", "Visitationen"), encoding="utf-8")
    written: list[Path] = []
    real = fileio.write_atomic

    def filling(target: Path, data: bytes, mode: int = 0o644) -> None:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        written.append(target)
        real(target, data, mode)

    monkeypatch.setattr("standardgen.publish.build.write_atomic", filling)
    result = run("build", standards_copy, "--out", out)
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "disken er fuld" in line)
    assert line.startswith(f"{out / 'site'}/")
    assert line.endswith(f":0:0: fejl: disken er fuld; frigør plads, og kør igen; intet er "
                         f"ændret i {out / 'site'}")
    assert site_files(out / "site") == before
    assert sorted(path.name for path in out.iterdir()) == [".standardgen-cache.json", "site"]


def test_a_full_disk_during_form_counts_forms_not_files(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """After the first form's two files the disk is full (each later write fails as a full disk
    fails). The summary said "N skemaer" and one error per file."""
    import errno

    from standardgen.core import fileio
    from standardgen.forms import worker
    from standardgen.letters.sample import multiply_csv

    batch = multiply_csv(ROOT / "examples" / "cases" / "batch.csv", tmp_path / "b.csv", 12)
    real = fileio.write_all_atomic
    room = [2]

    def filling(files: Any, mode: int = 0o644) -> list[OSError | None]:
        fits, rest = list(files[:room[0]]), list(files[room[0]:])
        room[0] -= len(fits)
        full = OSError(errno.ENOSPC, "No space left on device")
        return [*real(fits, mode), *([full] * len(rest))]

    monkeypatch.setattr(worker, "write_all_atomic", filling)
    result = run("form", batch, "--standards", STANDARDS, "--out", tmp_path / "out",
                 "--format", "both", "--jobs", "1")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if "kunne ikke skrives" in line]
    planned = len(failed) + 1
    assert all(line.endswith("-opfoelgning.docx): disken er fuld; frigør plads, og kør igen")
               for line in failed), failed
    assert result.output.splitlines()[-1].startswith(
        f"1 af {planned} skemaer til {tmp_path / 'out'} fra 12 sager: {len(failed)} fejl")


def test_a_letter_s_file_name_cannot_leave_its_folder(tmp_path: Path) -> None:
    from standardgen.core.fileio import child

    assert child(tmp_path, "2026-1.pdf") == tmp_path / "2026-1.pdf"
    for name in ("../x.pdf", "/etc/x.pdf", "..", "a\\b.pdf", ""):
        with pytest.raises(ValueError, match="unsafe file name"):
            child(tmp_path, name)


def test_a_csv_with_cr_only_line_endings_is_read(tmp_path: Path) -> None:
    result = run("letter", HOSTILE / "batch-cr-only.csv", "--standards", STANDARDS, "--out",
                 tmp_path, "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.pdf"))) == 3
