"""CVR numbers: the eight digits that identify a Danish legal entity, such as a municipality.

The last digit is a check digit: with the weights 2, 7, 6, 5, 4, 3, 2, 1 the weighted sum of the
eight digits is divisible by 11 (Erhvervsstyrelsen's modulus-11 rule for CVR numbers; unlike CPR
numbers, every CVR number satisfies it). A municipality's CVR number is public, so it is never
masked.
"""

from __future__ import annotations

import re

_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
_DIGITS = re.compile(r"^\d{8}$")


def valid_cvr(value: str) -> bool:
    """Whether ``value`` is eight digits that pass the modulus-11 check."""
    if not _DIGITS.match(value):
        return False
    return sum(int(d) * w for d, w in zip(value, _WEIGHTS, strict=True)) % 11 == 0


def check_cvr(value: str) -> str:
    """The CVR number, or a Danish ValueError saying what is wrong (for pydantic)."""
    digits = value.strip()
    if not _DIGITS.match(digits):
        raise ValueError("CVR-nummeret skal være otte cifre, fx '12345674'")
    if not valid_cvr(digits):
        raise ValueError("CVR-nummeret består ikke modulus 11-kontrollen; tjek cifrene")
    return digits
