"""The problem codes: one table (standardgen.core.codes), every code used, none spelled out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from standardgen.cases.letter_kinds import letter_kinds
from standardgen.core.codes import DESCRIPTIONS, Code, markdown_table

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "standardgen"
# Codes built from data rather than named in the source: a kind's required fields
# (cases/rules.py) and a profile's requirement levels (standards/catalogue.py).
DYNAMIC = {Code(f"missing-{name}") for kind in letter_kinds() for name in kind.requires} | {
    Code.MISSING_REQUIRED, Code.MISSING_RECOMMENDED}


def sources() -> list[Path]:
    return [path for path in sorted(SOURCE.rglob("*.py")) if path.name != "codes.py"]


def test_every_code_says_what_it_is_about() -> None:
    assert set(DESCRIPTIONS) == set(Code)
    for code in Code:
        assert code.description.endswith((".", ")")), code
        assert "\n" not in code.description


def test_every_code_is_used() -> None:
    named = {match for path in sources()
             for match in re.findall(r"\bCode\.([A-Z_]+)\b", path.read_text(encoding="utf-8"))}
    unused = [code.value for code in Code if code.name not in named and code not in DYNAMIC]
    assert unused == []
    assert named <= {code.name for code in Code}


def _code_arguments(tree: ast.AST) -> list[ast.expr]:
    """The expressions given as a problem's code: code=..., Problem's sixth argument,
    Finding's third."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        found += [keyword.value for keyword in node.keywords if keyword.arg == "code"]
        if name == "Problem" and len(node.args) >= 6:
            found.append(node.args[5])
        if name == "Finding" and len(node.args) >= 3:
            found.append(node.args[2])
    return found


def test_no_code_is_spelled_out_as_a_string() -> None:
    spelled = [f"{path.relative_to(ROOT)}:{arg.lineno}: {arg.value!r}"
               for path in sources()
               for arg in _code_arguments(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(arg, ast.Constant) and arg.value != ""]
    assert spelled == []


def test_the_scan_finds_code_arguments() -> None:
    """The scan itself: it sees the codes given in the case rules."""
    tree = ast.parse((SOURCE / "cases" / "rules.py").read_text(encoding="utf-8"))
    assert len(_code_arguments(tree)) >= 5


def test_the_reference_page_is_generated_from_the_table() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    assert markdown_table() in page, (
        "docs/problem-codes.md is out of date: python -m standardgen.core.codes > the table")
