"""KL's Fælles Faglige Begreber (``data/ffb.yaml``): the codes a follow-up form offers."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from standardgen.core import validation
from standardgen.standards.model import Frozen


class Concept(Frozen):
    code: str
    display: str
    lovhjemmel: str | None = None


class Level(Frozen):
    niveau: int | None
    code: str
    display: str


class Ffb(Frozen):
    tilbud: tuple[Concept, ...]
    ydelser: tuple[Concept, ...]
    funktionsevneniveau: tuple[Level, ...]
    maaltype: tuple[Concept, ...]
    stoettebehov: tuple[Concept, ...]
    opfoelgningsresultat: tuple[Concept, ...]
    temaer_aktivitet_og_deltagelse: tuple[Concept, ...]


@lru_cache(maxsize=1)
def load_ffb() -> Ffb:
    """The FFB reference data shipped with the package (a broken file is our bug: raise)."""
    with resources.as_file(resources.files("standardgen") / "data" / "ffb.yaml") as path:
        return validation.load(path, Ffb)
