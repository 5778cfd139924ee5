"""`standardgen diff` on the Norddjurs standard, side by side with a plain line diff.

Then the comparison alone on a standard grown to 300 and 600 extra sections, every one renamed
(new ids): the growth from 300 to 600 shows the order of the section matcher (issue 20: 5.4 s and
37 s before, about 2x for 2x now).

Baseline: `difflib.unified_diff` of the two YAML texts (what `git diff` shows a reviewer), which
knows nothing of sections, sentences or words. Measured: loading and validating both versions,
the structured comparison, and each renderer. Prints medians (ms) and the ratio to the baseline.
"""

from __future__ import annotations

import difflib
import functools
import sys
import tempfile
from pathlib import Path

from timing import median_ms, print_ratio_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.approval import compare, html, terminal, word  # noqa: E402
from standardgen.approval.sources import load_version  # noqa: E402
from standardgen.approval.wording import load_wording  # noqa: E402
from standardgen.standards.model import Section, Standard  # noqa: E402

OLD = ROOT / "standards" / "aktivitets-og-samvaerstilbud.yaml"
RUNS = 30


def main() -> None:
    text = OLD.read_text(encoding="utf-8")
    changed = text.replace("tilbydes på hverdage", "tilbydes alle hverdage").replace(
        "- Socialt samvær", "- Socialt samvær\n          - Udflugter")
    with tempfile.TemporaryDirectory() as folder:
        new_path = Path(folder) / OLD.name
        new_path.write_text(changed, encoding="utf-8")
        wording = load_wording()
        old, new = load_version(OLD), load_version(new_path)
        result = compare.compare(old, new)
        rows = {
            "baseline: difflib.unified_diff of the YAML": lambda: list(difflib.unified_diff(
                text.splitlines(), changed.splitlines())),
            "load + validate both versions": lambda: (load_version(OLD), load_version(new_path)),
            "compare (sections, sentences, words)": lambda: compare.compare(old, new),
            "render terminal": lambda: terminal.render(result, wording),
            "render html": lambda: html.render(result, wording),
            "render docx (tracked changes)": lambda: word.render(result, wording,
                                                                  author="standardgen"),
        }
        medians = {name: median_ms(work, RUNS) for name, work in rows.items()}
    print_ratio_table(medians, width=46, ratio="x baseline", digits=2, ratio_digits=1)
    print()
    grown()


def with_sections(standard: Standard, count: int, tag: str) -> Standard:
    extra = tuple(Section.model_validate({
        "id": f"{tag}-afsnit-{n}", "role": "other", "title": f"Afsnit {n} {tag}",
        "content": [f"Tekst nummer {n} om ydelsen, version {tag}. Den er lang nok til at ligne "
                    "et rigtigt afsnit i en standard."]}) for n in range(count))
    return standard.model_copy(update={"sections": (*standard.sections, *extra)})


def grown() -> None:
    """compare.compare on 300 and 600 extra sections, all of them renamed."""
    base = load_version(OLD)
    medians = {}
    for count in (300, 600):
        old, new = with_sections(base, count, "a"), with_sections(base, count, "b")
        medians[f"compare, {count} renamed sections"] = median_ms(
            functools.partial(compare.compare, old, new), 7)
    print_ratio_table(medians, width=46, ratio="x 300", digits=1, ratio_digits=2)


if __name__ == "__main__":
    main()
