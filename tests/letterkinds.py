"""Every kind of decision letter the code declares, with an example case of each to render.

The kinds come from the code (so a kind added there is covered at once), the cases from every
``examples/**/cases`` folder (YAML files, and CSV rows), rendered with the standards beside that
folder (``examples/<x>/standards``) or else ``standards/``. A kind without an example is reported
by the tests that use this, naming the kind.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def declared_kinds() -> list[str]:
    """The letter kinds (the case's ``result`` values) in the order the code declares them."""
    try:
        from standardgen.cases.letter_kinds import kind_names  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # before letter kinds were declared as data, the Result enum held them
        from standardgen.cases.model import Result  # type: ignore[attr-defined, unused-ignore]

        return [result.value for result in Result]
    return list(kind_names())


@dataclass(frozen=True)
class Example:
    kind: str
    source: Path  # a case YAML file, or the CSV file the row comes from
    standards: Path
    row: str | None = None  # the CSV row (with the header line), for a CSV example


def _standards_for(cases: Path) -> Path:
    beside = cases.parent / "standards"
    return beside if beside.is_dir() else ROOT / "standards"


def examples() -> dict[str, Example]:
    """The first example case of each kind (YAML before CSV, folders in name order)."""
    found: dict[str, Example] = {}
    for cases in sorted(EXAMPLES.glob("**/cases")):
        standards = _standards_for(cases)
        for path in sorted(cases.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "result" in data:
                found.setdefault(str(data["result"]), Example(str(data["result"]), path,
                                                              standards))
        for path in sorted(cases.glob("*.csv")):
            text = path.read_text(encoding="utf-8-sig")
            lines = text.splitlines()
            for number, row in enumerate(csv.DictReader(io.StringIO(text), delimiter=";"), 1):
                kind = row.get("result") or ""
                found.setdefault(kind, Example(kind, path, standards,
                                               f"{lines[0]}\n{lines[number]}\n"))
    return found


def render(example: Example, out: Path, *extra: str) -> Path:
    """The PDF letter of ``example``, rendered by the command line into the empty folder ``out``."""
    from click.testing import CliRunner

    from standardgen.cli import main

    source = example.source
    if example.row is not None:
        out.mkdir(parents=True)
        source = out / "case.csv"
        source.write_text(example.row, encoding="utf-8")
    result = CliRunner().invoke(main, ["letter", str(source), "--standards",
                                       str(example.standards), "--out", str(out / "letters"),
                                       "--format", "pdf", "--jobs", "1", *extra])
    assert result.exit_code == 0, result.output
    [pdf] = sorted((out / "letters").glob("*.pdf"))
    return pdf
