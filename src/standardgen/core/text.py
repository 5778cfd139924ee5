"""Which characters a citizen's value may hold before it reaches a letter or a form.

A vertical tab (Word's Shift+Enter) is not allowed in XML, so a .docx holding one does not open
in Word; a bidi override or a zero-width character changes what a name looks like without
showing itself; a Chinese or Thai character, or an emoji, has no glyph in the letter's fonts and
would print as an empty box. So, per field:

- free text (facts, considerations, reasons): every line-breaking character (line feed, vertical
  tab, form feed, U+0085, U+2028, U+2029, tab) becomes one space; the text is one paragraph;
- names, addresses, phone numbers, e-mail: one line; a line break there is refused, since it
  would split an address block;
- then, in both: any other control or format character (C0, C1, bidi controls, zero-width
  characters, a byte order mark), and any character outside the scripts the letter's fonts
  cover (Latin, Greek, Cyrillic and common punctuation), is refused with a message that names
  its code point and position, never the character itself.

The refusal is a pydantic ``ValueError``, so the problem is located on the field like any other.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# What the letter fonts (IBM Plex Sans, DejaVu Sans, Libertinus Serif; see letters/pdf.py) and
# the form font (DejaVu Sans) all show. Names in the CPR register are written in Latin script.
_SHOWN = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0300, 0x036F),  # combining diacritical marks (a decomposed å)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2010, 0x2027),  # dashes, quotation marks, bullet, ellipsis
    (0x2030, 0x205E),  # per mille, primes, guillemets
    (0x20A0, 0x20BF),  # currency signs
    (0x2116, 0x2116),  # numero sign
    (0x2122, 0x2122),  # trade mark sign
)
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
SOFT_HYPHEN = "\u00ad"  # Word's optional hyphen: harmless in free text
_BREAKS = re.compile(r" *[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+ *")


def _class(extra: str = "") -> re.Pattern[str]:
    """A pattern matching the first character that is not allowed: built once from the ranges
    (less the invisible characters among them), so a value is checked at the speed of ``re``."""
    allowed = {chr(point) for low, high in _SHOWN for point in range(low, high + 1)
               if unicodedata.category(chr(point)) not in _INVISIBLE} | set(extra)
    points = sorted(ord(char) for char in allowed)
    runs: list[tuple[int, int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], point)
        else:
            runs.append((point, point))
    return re.compile("[^" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in runs) + "]")


_NOT_IN_LINE = _class()
_NOT_IN_TEXT = _class(SOFT_HYPHEN)


def _check(value: str, refused: re.Pattern[str]) -> str:
    found = refused.search(value)
    if found is None:
        return value
    char = found.group()
    where = f"U+{ord(char):04X}, tegn nr. {found.start() + 1}"
    if unicodedata.category(char) in _INVISIBLE:
        raise ValueError(f"indeholder et usynligt tegn eller styretegn ({where}), som ikke kan "
                         "stå i et brev; skriv feltet igen uden det")
    raise ValueError(f"indeholder et tegn, som brevets skrift ikke kan vise ({where}); "
                     "skriv det med latinske bogstaver, som i CPR-registret")


def one_line(value: str) -> str:
    """A name, an address line: refused if any character is invisible or cannot be shown."""
    return _check(value, _NOT_IN_LINE)


def free_text(value: Any) -> Any:
    """Line breaks become single spaces; then as :func:`one_line` (soft hyphens allowed)."""
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    return _check(_BREAKS.sub(" ", value), _NOT_IN_TEXT)
