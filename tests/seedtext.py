"""The sentences of the seed text (Norddjurs' published standard, as extracted from its PDF), and
a check that each of them is present in a text extracted from our HTML, PDF or Word output.

The seed comes from a two-column PDF: a section's heading stands on the same line as the first
line of its text, every line ends in a space and a blank line, and the link annotations repeat
the deadline URL after the last section. We split the headings off as units of their own, keep a
line that is only a URL apart, and split the rest into sentences. A sentence is found in a document
when it occurs there with all white space removed: line breaks, page layout and the gap between a
heading and its text then do not matter, but every word and every character must be there, in
order. Bullets ("•") and the kind of quotation marks are not compared.
"""

from __future__ import annotations

import re
from pathlib import Path

SEED_NAME = "000_d3fb43508b105a39.txt"


def seed_path() -> Path:
    """``shared/seed/`` beside the checkout (CI), or beside one of its parents (a worktree)."""
    here = Path(__file__).resolve().parent.parent
    for folder in here.parents:
        candidate = folder / "shared" / "seed" / SEED_NAME
        if candidate.is_file():
            return candidate
    return here.parent / "shared" / "seed" / SEED_NAME


# The headings of the seed document, as it prints them (the standard's title and section titles).
SEED_HEADINGS = (
    "Kvalitetsstandard: Aktivitets- og samværstilbud",
    "Målgruppe", "Kriterier og omfang", "Formål", "Afgørelse", "Levering", "Aktiviteter",
    "Kvalitetskrav", "Opfølgning", "Klage og ankemuligheder", "Lovgrundlag",
    "Kontaktinformationer",
)
_URL_LINE = re.compile(r"^https?://\S+[^-\s]$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_QUOTES = str.maketrans({"”": '"', "“": '"', "„": '"', "»": '"', "«": '"', "’": "'"})


def seed_units(text: str) -> list[str]:
    """Headings, URL lines and sentences of the seed, in order."""
    units: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            units.extend(s for s in _SENTENCE_END.split(" ".join(current)) if s.strip())
            current.clear()

    for raw in text.splitlines():
        line = " ".join(raw.replace("•", " ").split())
        if not line:
            continue
        heading = next((h for h in SEED_HEADINGS if line == h or line.startswith(h + " ")), None)
        if heading:
            flush()
            units.append(heading)
            line = line[len(heading):].strip()
            if not line:
                continue
        if _URL_LINE.match(line):
            flush()
            units.append(line)
            continue
        current.append(line)
    flush()
    return units


def squeeze(text: str) -> str:
    """Text with all white space and bullets removed and quotation marks made alike."""
    return re.sub(r"[\s•\u00ad]+", "", text.translate(_QUOTES))


def missing_units(seed: Path, document_text: str) -> list[str]:
    """The seed's units that ``document_text`` does not contain."""
    haystack = squeeze(document_text)
    return [unit for unit in seed_units(seed.read_text(encoding="utf-8"))
            if squeeze(unit) not in haystack]
