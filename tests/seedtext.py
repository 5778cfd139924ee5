"""The seed text: Norddjurs' approved standard as extracted from its published PDF, read two ways.

The seed is a text extraction of a two-column table: a heading on the left and its text on the
right, so each heading starts the line that holds the first line of its text. The extraction
breaks lines mid-sentence, ends every line in a space and a blank line, splits the deadlines
address over two lines (``...generel-information-om-`` / ``norddjurs/sagsbehandlingsfrister``)
and repeats that address on lines of its own near the end (an artefact of the link annotations,
not content). ``seed_lines`` undoes all that and ``seed_sections`` splits the lines into the
title and the sections. On top of them:

- ``parse_seed`` gives the model of the seed that test_seed compares with the YAML, piece by
  piece: title, headings, sentences, bullets and address lines, and all the running text.
- ``seed_units`` and ``missing_units`` check an output (text extracted from our HTML, PDF or
  Word): the title, each heading and each sentence (bullets and address lines run on into the
  text around them) must occur in it once all white space is removed. Line breaks, page layout
  and the gap between a heading and its text then do not matter, but every word and every
  character must be there, in order. Bullets ("•") and the kind of quotation marks are not
  compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_NAME = "000_d3fb43508b105a39.txt"
ROOT = Path(__file__).resolve().parent.parent

# The left column of the seed's table, in the order of the PDF.
SEED_HEADINGS = (
    "Målgruppe", "Kriterier og omfang", "Formål", "Afgørelse", "Levering", "Aktiviteter",
    "Kvalitetskrav", "Opfølgning", "Klage og ankemuligheder", "Lovgrundlag",
    "Kontaktinformationer",
)
# The contact block is an address, one fact a line; its "Tlf.:" label is template wording.
ADDRESS_HEADING = "Kontaktinformationer"
PHONE_LABEL = "Tlf.:"
URL = re.compile(r"https?://\S+")
# Where parse_seed ends a sentence: after . ! ? or :, before a capital letter.
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ])")
QUOTE = "”"  # the quoted paragraph of the law; the quotation marks are typography
BULLET = "•"

# Where seed_units ends a unit: after . ! or ? (a colon runs on, so units are longer).
_UNIT_END = re.compile(r"(?<=[.!?])\s+")
_QUOTES = str.maketrans({"”": '"', "“": '"', "„": '"', "»": '"', "«": '"', "’": "'"})


def seed_path() -> Path:
    """The seed text, kept in the repository as a test fixture (``tests/data/seed/``)."""
    path = ROOT / "tests" / "data" / "seed" / SEED_NAME
    assert path.is_file(), f"the seed text is missing from the repository: {path}"
    return path


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- the lines and sections of the seed ------------------------------------------------------


def seed_lines(raw: str) -> list[str]:
    """The non-blank lines, the split address rejoined and repeated address lines dropped."""
    lines: list[str] = []
    for line in (normalise(line) for line in raw.splitlines()):
        if not line:
            continue
        if lines and re.fullmatch(r"https?://\S+-", lines[-1]):
            lines[-1] += line
        else:
            lines.append(line)
    seen: set[str] = set()
    kept = []
    for line in lines:
        if URL.fullmatch(line) and line in seen:
            continue
        seen.update(URL.findall(line))
        kept.append(line)
    return kept


def seed_sections(raw: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The title (the first line) and each section: its heading and the lines of its text (the
    first is what follows the heading on its line, possibly "")."""
    lines = seed_lines(raw)
    sections: list[tuple[str, list[str]]] = []
    for line in lines[1:]:
        heading = next((h for h in SEED_HEADINGS if line == h or line.startswith(h + " ")), None)
        if heading:
            sections.append((heading, [line[len(heading):].strip()]))
        else:
            assert sections, f"text before the first heading: {line!r}"
            sections[-1][1].append(line)
    return lines[0], sections


# --- the model of the seed, for the YAML -----------------------------------------------------


@dataclass
class Seed:
    title: str = ""
    headings: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    address_lines: list[str] = field(default_factory=list)
    body: str = ""  # all running text, normalised, for the reverse check


def parse_seed(raw: str) -> Seed:
    title, sections = seed_sections(raw)
    seed = Seed(title=title)
    for heading, body in sections:
        seed.headings.append(heading)
        if heading == ADDRESS_HEADING:
            seed.address_lines += [b.removeprefix(PHONE_LABEL).strip() for b in body if b]
            continue
        text = URL.sub(lambda m: m.group() + "\n", " ".join(body))  # an address ends a sentence
        for part in re.split(f"[{QUOTE}\n]", text):
            first, *bullets = part.split(BULLET)
            seed.sentences += [s for s in SENTENCE_END.split(normalise(first)) if s]
            seed.bullets += [normalise(b) for b in bullets]
    seed.body = normalise(" ".join(
        line.replace(QUOTE, "").replace(BULLET, "") for line in seed_lines(raw)))
    return seed


# --- the seed in an output --------------------------------------------------------------------


def seed_units(raw: str) -> list[str]:
    """The title, headings and sentences of the seed, in order."""
    title, sections = seed_sections(raw)
    units = [title]
    for heading, body in sections:
        units.append(heading)
        text = normalise(" ".join(body).replace(BULLET, " "))
        units += [s for s in _UNIT_END.split(text) if s.strip()]
    return units


def squeeze(text: str) -> str:
    """Text with all white space and bullets removed and quotation marks made alike."""
    return re.sub(r"[\s•\u00ad]+", "", text.translate(_QUOTES))


def missing_units(seed: Path, document_text: str) -> list[str]:
    """The seed's units that ``document_text`` does not contain."""
    haystack = squeeze(document_text)
    return [unit for unit in seed_units(seed.read_text(encoding="utf-8"))
            if squeeze(unit) not in haystack]
