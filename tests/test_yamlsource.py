"""The YAML loader: every bad input is a located Danish problem, never a traceback or a hang."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import edit
from standardgen.cli import main
from standardgen.core import yamlsource
from standardgen.core.problems import InputError, Problem, Severity
from standardgen.core.yamlsource import MAX_BYTES, MAX_DEPTH, YamlDocument, load_yaml, parse_yaml
from standardgen.standards.catalogue import load_catalogue

# Words of PyYAML's English messages that must never reach a Danish author.
ENGLISH = re.compile(r"\b(expected|found|while|scanning|parsing|could not|mapping|Traceback)\b")


def write(tmp_path: Path, text: str | bytes, name: str = "standard.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> list[Problem]:
    """The problems of a file that cannot be loaded at all (load_yaml must raise)."""
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert time.perf_counter() - start < 2, "the loader must refuse bad input quickly"
    return info.value.problems


def only(problems: list[Problem] | tuple[Problem, ...]) -> Problem:
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def assert_danish(problem: Problem) -> None:
    assert problem.severity is Severity.ERROR
    assert not ENGLISH.search(problem.message), problem.message
    assert problem.format().startswith(f"{problem.file}:{problem.line}:{problem.column}: fejl: ")


def same_file(reported: str, path: Path) -> bool:
    return Path(reported).resolve() == path.resolve()


# --- files that load -----------------------------------------------------------------------


def test_values_and_their_positions(tmp_path: Path) -> None:
    path = write(tmp_path, "slug: a\nsections:\n  - id: x\n    content:\n      - tekst\n")
    doc = load_yaml(path)
    assert doc.data == {"slug": "a", "sections": [{"id": "x", "content": ["tekst"]}]}
    assert doc.problems == ()
    assert doc.mark(("slug",)) == (1, 7)
    assert doc.mark(("slug",), key=True) == (1, 1)
    assert doc.mark(("sections", 0, "content", 0)) == (5, 9)
    # Unknown elements (a missing field, pydantic's union tags) fall back to the nearest known.
    assert doc.mark(("sections", 0, "paragraph", "text")) == (3, 5)
    assert doc.mark(("nowhere",)) == (1, 1)


def test_dates_stay_text_for_the_model_to_check(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "a: 2023-04-26\nb: 2023-02-30\n"))
    assert doc.data == {"a": "2023-04-26", "b": "2023-02-30"}


def test_numbers_stay_as_written(tmp_path: Path) -> None:
    # PyYAML would read 030011 as octal (12297) and 1.10 as 1.1; codes and versions must survive.
    doc = load_yaml(write(tmp_path, "dst_code: 030011\nversion: 1.10\ndays: 3\nflag: true\n"))
    assert doc.data == {"dst_code": "030011", "version": "1.10", "days": "3", "flag": True}


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "\ufefftitle: Målgruppe\n".encode()))
    assert doc.data == {"title": "Målgruppe"}


def test_nesting_up_to_the_limit_is_accepted(tmp_path: Path) -> None:
    # The top-level mapping is one level; MAX_DEPTH - 1 sequences inside it reach the limit.
    inner = MAX_DEPTH - 1
    doc = load_yaml(write(tmp_path, "a: " + "[" * inner + "]" * inner + "\n"))
    assert "a" in doc.data


def test_file_of_exactly_the_size_limit_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 64)
    text = "title: x\n"
    path = write(tmp_path, text + "#" * (64 - len(text) - 1) + "\n")
    assert path.stat().st_size == 64
    assert load_yaml(path).data == {"title": "x"}
    path.write_text(text + "#" * (64 - len(text)) + "\n")
    assert only(load_error(path)).code == "size"


# --- files that cannot be used at all --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "needle"),
    [
        ("title: [a, b\nslug: x\n", 2, 5, "']'"),
        ('title: "Målgruppe\nslug: x\n', 3, 1, "anførselstegn"),
        ("title: Kvalitetsstandard: Aktivitet\n", 1, 25, "anførselstegn"),
        ("slug: a\n  title: b\n", 2, 8, "kolon"),
        ("sections:\n  - id: a\n   role: b\n", 3, 4, ""),
        ('title: "a\\qb"\n', 1, 11, "escape"),
        ("foo: [\n", 2, 1, "værdi"),
        ("a: b\n- c\n", 2, 1, "indrykningen"),
        ('a: "x" y\n', 1, 6, "afslutter den for tidligt"),  # the closing quote, not indentation
    ],
    ids=["unclosed-flow", "unclosed-quote", "colon-in-text", "bad-indent", "list-indent", "escape",
         "missing-value", "list-after-mapping", "text-after-quote"],
)
def test_syntax_error(
    tmp_path: Path, text: str, line: int, column: int, needle: str
) -> None:
    problem = only(load_error(write(tmp_path, text)))
    assert problem.code == "syntax"
    assert (problem.line, problem.column) == (line, column)
    assert needle in problem.message
    assert "teknisk" not in problem.message  # a known error gets a Danish sentence of its own
    assert_danish(problem)


def test_tab_indentation(tmp_path: Path) -> None:
    problem = only(load_error(write(tmp_path, "sections:\n\t- id: a\n")))
    assert (problem.line, problem.column) == (2, 1)
    assert "tabulator" in problem.message
    assert_danish(problem)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# kun en kommentar\n  # og en til\n"],
                         ids=["empty", "newlines", "spaces", "comments"])
def test_empty_or_comment_only_file(tmp_path: Path, text: str) -> None:
    problem = only(load_error(write(tmp_path, text)))
    assert problem.code == "empty"
    assert problem.message == "filen er tom"
    assert same_file(problem.file, tmp_path / "standard.yaml")


def test_latin1_file_names_line_and_column_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "slug: a\ntitle: Målgruppe\n".encode("latin-1"))
    problem = only(load_error(path))
    assert problem.code == "encoding"
    assert (problem.line, problem.column) == (2, 9)  # the å
    assert "UTF-8" in problem.message
    assert_danish(problem)


def test_binary_file(tmp_path: Path) -> None:
    problem = only(load_error(write(tmp_path, b"title: a\n\x00\x01\x02\xff")))
    assert problem.code == "binary"
    assert "binær" in problem.message


def test_control_character_is_located(tmp_path: Path) -> None:
    # Text pasted from Word can carry a vertical tab (a soft line break there).
    problem = only(load_error(write(tmp_path, "slug: a\ntitle: Mål\x0bgruppe\n")))
    assert (problem.line, problem.column) == (2, 11)
    assert "kontroltegn" in problem.message
    assert_danish(problem)


@pytest.mark.parametrize(
    ("text", "line"), [("- a\n- b\n", 1), ("# kommentar\nbare tekst\n", 2), ("42\n", 1)],
    ids=["list", "scalar", "number"],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, line: int) -> None:
    problem = only(load_error(write(tmp_path, text)))
    assert problem.code == "not-mapping"
    assert (problem.line, problem.column) == (line, 1)
    assert_danish(problem)


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 10_000, "a: " + "{a: " * 10_000, "a:\n" + "".join(
        "  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "x: 1\n"],
    ids=["flow-sequences", "flow-mappings", "block-mappings"],
)
def test_deep_nesting(tmp_path: Path, text: str) -> None:
    problem = only(load_error(write(tmp_path, text)))
    assert problem.code == "depth"
    assert problem.line >= 1
    assert str(MAX_DEPTH) in problem.message
    assert_danish(problem)


def test_one_level_too_deep(tmp_path: Path) -> None:
    inner = MAX_DEPTH
    problem = only(load_error(write(tmp_path, "a: " + "[" * inner + "]" * inner + "\n")))
    assert (problem.code, problem.line, problem.column) == ("depth", 1, 3 + inner)


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb(tmp_path: Path) -> None:
    problem = only(load_error(write(tmp_path, BILLION_LAUGHS)))
    assert (problem.code, problem.line, problem.column) == ("alias", 1, 4)
    assert_danish(problem)


def test_alias_without_anchor_in_file_is_also_refused(tmp_path: Path) -> None:
    problem = only(load_error(write(tmp_path, "title: x\nslug: *a\n")))
    assert (problem.code, problem.line) == ("alias", 2)


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object/new:os.system",
     "!!python/name:os.system", "!!binary", "!!set", "!eget"],
)
def test_foreign_tags_are_refused_and_never_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "was-run"
    text = f"title: x\nslug: {tag} ['touch {marker}']\n"
    problem = only(load_error(write(tmp_path, text)))
    assert (problem.code, problem.line, problem.column) == ("tag", 2, 7)
    assert_danish(problem)
    assert not marker.exists()


def test_python_tag_does_not_run_through_check(tmp_path: Path) -> None:
    marker = tmp_path / "was-run"
    path = write(tmp_path, f"slug: !!python/object/apply:os.system ['touch {marker}']\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "YAML-tagget" in result.stdout
    assert not marker.exists()


def test_the_tag_test_can_fail(tmp_path: Path) -> None:
    # The same payload through PyYAML's unsafe loader does create the file, so the check above
    # would notice if our loader ever constructed it.
    import yaml

    marker = tmp_path / "was-run"
    yaml.unsafe_load(f"!!python/object/apply:os.system ['touch {marker}']")
    assert marker.exists()


def test_file_over_two_mebibytes(tmp_path: Path) -> None:
    path = write(tmp_path, b"title: x\n" + b"#" * MAX_BYTES + b"\n")
    problem = only(load_error(path))
    assert problem.code == "size"
    assert "for stor" in problem.message
    # The size shown must not look like it is within the limit.
    shown, limit = (int(n) for n in re.findall(r"\d+", problem.message))
    assert shown > limit


def test_several_yaml_documents(tmp_path: Path) -> None:
    problem = only(load_error(write(tmp_path, "title: a\n---\ntitle: b\n")))
    assert (problem.code, problem.line, problem.column) == ("documents", 2, 1)
    assert "---" in problem.message


def test_a_leading_document_marker_is_fine(tmp_path: Path) -> None:
    assert load_yaml(write(tmp_path, "---\ntitle: a\n")).data == {"title": "a"}


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    problem = only(load_error(tmp_path / "findes-ikke.yaml"))
    assert problem.code == "not-found"
    assert problem.message == "filen findes ikke"
    assert same_file(problem.file, tmp_path / "findes-ikke.yaml")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert only(load_error(tmp_path)).code == "not-file"


# --- problems that leave usable data ---------------------------------------------------------


def test_duplicate_key_names_the_line_of_the_first(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "title: a\nslug: s\n\ntitle: b\n"))
    assert doc.data == {"title": "a", "slug": "s"}  # the first is kept, not silently the last
    problem = only(doc.problems)
    assert (problem.code, problem.line, problem.column) == ("duplicate-key", 4, 1)
    assert "'title'" in problem.message
    assert "linje 1" in problem.message


def test_duplicate_key_in_nested_mapping(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "approval:\n  body: a\n  date: 2023-04-26\n  body: b\n"))
    problem = only(doc.problems)
    assert (problem.line, problem.column) == (4, 3)
    assert "linje 2" in problem.message


@pytest.mark.parametrize(("key", "needle"), [("yes", "ja/nej"), ("~", "kort tekst"),
                                             ("[a, b]", "kort tekst")])
def test_keys_that_are_not_text(tmp_path: Path, key: str, needle: str) -> None:
    doc = load_yaml(write(tmp_path, f"title: a\n{key}: b\n"))
    assert doc.data == {"title": "a"}
    problem = only(doc.problems)
    assert (problem.code, problem.line) == ("key-type", 2)
    assert needle in problem.message


# --- the same inputs through load_catalogue and the command line -------------------------------

BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "syntax": lambda d: write(d, "title: [a\n", "syntax.yaml"),
    "tab": lambda d: write(d, "a:\n\tb: 1\n", "tab.yaml"),
    "empty": lambda d: write(d, "", "empty.yaml"),
    "comments": lambda d: write(d, "# intet\n", "comments.yaml"),
    "latin1": lambda d: write(d, "title: Målgruppe\n".encode("latin-1"), "latin1.yaml"),
    "binary": lambda d: write(d, b"\x00\x01", "binary.yaml"),
    "list": lambda d: write(d, "- a\n", "list.yaml"),
    "deep": lambda d: write(d, "[" * 10_000, "deep.yaml"),
    "bomb": lambda d: write(d, BILLION_LAUGHS, "bomb.yaml"),
    "tag": lambda d: write(d, "a: !!python/object/apply:os.system ['true']\n", "tag.yaml"),
    "big": lambda d: write(d, b"#" * (MAX_BYTES + 1), "big.yaml"),
    "documents": lambda d: write(d, "a: 1\n---\nb: 2\n", "documents.yaml"),
    "control": lambda d: write(d, "a: \x1b[31m\n", "control.yaml"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_catalogue_reports_unloadable_file(tmp_path: Path, kind: str) -> None:
    path = BAD_FILES[kind](tmp_path)
    catalogue = load_catalogue([path])
    assert not catalogue.ok
    assert catalogue.standards == ()
    problem = only(catalogue.problems)
    assert same_file(problem.file, path)
    assert_danish(problem)


def test_check_reports_every_bad_file_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    folder.mkdir()
    paths = [make(folder) for make in BAD_FILES.values()]
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert time.perf_counter() - start < 5
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(paths)
    for path in paths:
        assert any(line.startswith(f"{path}:") and ": fejl: " in line for line in lines), path
    assert f"Kontrollerede {len(paths)} standarder i " in result.stderr
    assert result.stderr.endswith(f": {len(paths)} fejl, 0 advarsler\n")


# --- content errors in a real standard, through load_catalogue -------------------------------


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, f"{needle!r} must occur exactly once"
    return text[: text.index(needle)].count("\n") + 1


def norddjurs(standards_copy: Path) -> Path:
    return standards_copy / "aktivitets-og-samvaerstilbud.yaml"


def test_unknown_key_with_suggestion(standards_copy: Path) -> None:
    path = norddjurs(standards_copy)
    text = edit(path, 'title: "Kvalitetsstandard', 'titel: "Kvalitetsstandard')
    problems: dict[str, Problem] = {p.code: p for p in load_catalogue([path]).problems}
    unknown = problems["unknown-key"]
    assert same_file(unknown.file, path)
    assert (unknown.line, unknown.column) == (line_of(text, "titel:"), 1)
    assert unknown.message == "ukendt felt 'titel'; mente du 'title'?"
    assert problems["missing"].message == "mangler det påkrævede felt 'title'"


def test_unknown_key_without_a_close_match_has_no_suggestion(standards_copy: Path) -> None:
    path = norddjurs(standards_copy)
    text = edit(path, "  unit: Myndighedsafdelingen\n",
                "  unit: Myndighedsafdelingen\n  kaffemaskine: ja\n")
    problem = only(load_catalogue([path]).problems)
    assert (problem.line, problem.column) == (line_of(text, "kaffemaskine"), 3)
    assert problem.message == "ukendt felt 'kaffemaskine'"


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('version: "2023"', "version: [2023]", "version: [", "'version' skal være tekst"),
        ("contact:\n  unit: Myndighedsafdelingen", "contact: Myndighedsafdelingen",
         "contact: M", "'contact' skal være en gruppe af nøgler med værdier"),
        ("  - id: maalgruppe\n    role: target_group\n    title: Målgruppe\n    content:\n",
         "  - id: maalgruppe\n    role: target_group\n    title: Målgruppe\n    content: x\n"
         "    old_content:\n", "content: x",
         "'content' skal være en liste (linjer, der begynder med '- ')"),
        ("  - id: kvalitetskrav\n    role: quality", "  - id: kvalitetskrav\n    role: kvalitet",
         "role: kvalitet", "'role' 'kvalitet' er ikke tilladt; brug en af: 'legal_basis'"),
        ("slug: aktivitets-og-samvaerstilbud", "slug: Aktivitets_Tilbud", "slug: A",
         "'slug' må kun indeholde små bogstaver a-z, tal og bindestreger"),
        ("title: Sagsbehandlingsfrister\n    url: https://", "title: ''\n    url: https://",
         "title: ''", "'title' må ikke være tom"),
    ],
    ids=["list-for-text", "text-for-mapping", "text-for-list", "enum", "pattern", "empty"],
)
def test_wrong_type_is_located_at_the_value(
    standards_copy: Path, old: str, new: str, needle: str, message: str
) -> None:
    path = norddjurs(standards_copy)
    text = edit(path, old, new)
    problems = [p for p in load_catalogue([path]).problems if p.code != "unknown-key"]
    problem = only(problems)
    assert problem.line == line_of(text, needle)
    assert problem.message.startswith(message), problem.message


@pytest.mark.parametrize("date", ["2023-02-30", "2023-13-01", "26-04-2023", "26. april 2023"])
def test_impossible_date(standards_copy: Path, date: str) -> None:
    path = norddjurs(standards_copy)
    text = edit(path, "  date: 2023-04-26", f"  date: {date}")
    problem = only(load_catalogue([path]).problems)
    assert (problem.line, problem.column) == (line_of(text, f"date: {date}"), 9)
    assert problem.message == (
        f"'date' '{date}' er ikke en gyldig dato (skriv ÅÅÅÅ-MM-DD, fx 2023-04-26)")


def test_all_problems_in_a_file_are_collected(standards_copy: Path) -> None:
    path = norddjurs(standards_copy)
    text = edit(path, "slug: aktivitets-og-samvaerstilbud\n",
                "slug: aktivitets-og-samvaerstilbud\nkommune: norddjurs\n")
    text = edit(path, 'version: "2023"', 'version: "2023"\nslug: igen')
    text = edit(path, "  date: 2023-04-26", "  date: [2023]")
    catalogue = load_catalogue([path])
    found = [(p.code, p.line) for p in catalogue.problems]
    assert found == sorted([
        ("unknown-key", line_of(text, "kommune:")),
        ("duplicate-key", line_of(text, "slug: igen")),
        ("invalid-value", line_of(text, "date: [")),
    ], key=lambda item: item[1])
    duplicate = next(p for p in catalogue.problems if p.code == "duplicate-key")
    assert f"linje {line_of(text, 'slug: aktivitets')}" in duplicate.message
    assert catalogue.standards == ()


ROOT = Path(__file__).resolve().parent.parent
# What hands and pasting put into YAML files: indentation, quotes, colons, anchors, tags, control
# characters, brackets that are not closed.
MUTATIONS = ("\t", ": ", '"', "'", "- ", "&a ", "*a", "!!python/name:x ", "\x0b", "{", "[",
             "\n  ", " #", "---\n", "\\", "\r", "\x85", "\u2028", "\ufeff", "? ", "|", ">",
             "@", "`", "%", "!x ", "<<: ", "\x00", "\x7f", ", ", "]", "}", "\n\t", "\ud800")


def _every_yaml_file() -> list[Path]:
    folders = ["standards", "examples", "templates", "src/standardgen/data", "tests"]
    return sorted(path for folder in folders for pattern in ("*.yaml", "*.yml")
                  for path in (ROOT / folder).rglob(pattern))


def _mutants() -> list[str]:
    """The example case with each of ``MUTATIONS`` put in at many places: most are broken."""
    text = (ROOT / "examples" / "cases" / "bevilget.yaml").read_text(encoding="utf-8")
    return [text[:at] + mutation + text[at:] for at in range(0, len(text), 17)
            for mutation in MUTATIONS]


def _outcome(read: Callable[[], YamlDocument]) -> tuple[object, ...]:
    try:
        document = read()
    except InputError as exc:
        return ("refused", [(p.line, p.column, p.message) for p in exc.problems])
    return (document.data, document.value_marks, document.key_marks,
            [(p.line, p.column, p.message) for p in document.problems])


def test_libyaml_and_pyyaml_read_every_file_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The C parser is only a faster way to the same result: same data, same lines and columns,
    same problems, for every YAML file in the repository and over a thousand broken variants
    of a case file."""
    files, mutants = _every_yaml_file(), _mutants()
    assert len(files) > 30 and len(mutants) > 2000
    assert yamlsource._FAST_LOADER is not None, "PyYAML was built without libyaml"
    name = Path("sag.yaml")

    def everything() -> list[tuple[object, ...]]:
        return ([_outcome(functools.partial(load_yaml, path)) for path in files]
                + [_outcome(functools.partial(parse_yaml, text, name)) for text in mutants])

    fast = everything()
    monkeypatch.setattr(yamlsource, "_FAST_LOADER", None)
    slow = everything()
    for index, (one, other) in enumerate(zip(fast, slow, strict=True)):
        assert one == other, files[index] if index < len(files) else mutants[index - len(files)]
    refused = sum(1 for outcome in slow if outcome[0] == "refused")
    assert refused > len(mutants) // 3, "too few broken variants were compared"
