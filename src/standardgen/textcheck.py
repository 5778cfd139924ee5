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


def _shown(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _SHOWN)


def _check(value: str, allowed: str = "") -> str:
    for position, char in enumerate(value, start=1):
        if char in allowed:
            continue
        where = f"U+{ord(char):04X}, tegn nr. {position}"
        if unicodedata.category(char) in _INVISIBLE:
            raise ValueError(f"indeholder et usynligt tegn eller styretegn ({where}), som ikke kan "
                             "stå i et brev; skriv feltet igen uden det")
        if not _shown(char):
            raise ValueError(f"indeholder et tegn, som brevets skrift ikke kan vise ({where}); "
                             "skriv det med latinske bogstaver, som i CPR-registret")
    return value


def one_line(value: str) -> str:
    """A name, an address line: refused if any character is invisible or cannot be shown."""
    return _check(value)


def free_text(value: Any) -> Any:
    """Line breaks become single spaces; then as :func:`one_line` (soft hyphens allowed)."""
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    return _check(_BREAKS.sub(" ", value), allowed=SOFT_HYPHEN)
