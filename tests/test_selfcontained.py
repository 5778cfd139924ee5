"""The repository holds what its tests need: nothing in src/, tests/, benchmarks/, the Makefile
or .ci reads the workspace's ``shared/`` folder beside the clone (issue 9). CI proves it by
running the suite from a copy in an empty temporary folder (``.ci/selfcontained``); this test
names the offending line at once."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, SEED

# "../shared", a path built as parent / "shared", or a "shared/seed" path.
OUTSIDE = re.compile(r"""\.\./shared\b|/\s*["']shared["']|["']shared/|\bshared/seed\b""")


def _files() -> list[Path]:
    found = [ROOT / "Makefile", *sorted((ROOT / ".ci").iterdir())]
    for folder in ("src", "tests", "benchmarks"):
        found += sorted(p for p in (ROOT / folder).rglob("*")
                        if p.suffix in {".py", ".sh", ".toml", ".cfg", ".txt", ""} and p.is_file()
                        and "data" not in p.relative_to(ROOT).parts)
    return [p for p in found if p.is_file() and p.resolve() != Path(__file__).resolve()]


def test_nothing_reads_the_shared_folder_beside_the_clone() -> None:
    offending = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                 for path in _files()
                 for number, line in enumerate(
                     path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1)
                 if OUTSIDE.search(line) and not line.lstrip().startswith("#")]
    assert not offending, "\n".join(offending)


def test_the_seed_text_is_a_fixture_in_the_repository() -> None:
    assert SEED.is_file() and ROOT in SEED.resolve().parents
    assert SEED.read_text(encoding="utf-8").strip().startswith("Kvalitetsstandard")
