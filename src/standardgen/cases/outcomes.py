"""The follow-up's closed vocabularies: who took part in the meeting, and its result (FFB).

Kept apart from the record's model, with no imports, because a form worker needs only these
names and must not pay for importing the models (~0.1 s).
"""

from enum import StrEnum


class Participant(StrEnum):
    citizen = "borger"
    caseworker = "sagsbehandler"
    provider = "tilbud"
    relative = "paaroerende"


class Outcome(StrEnum):
    """The three FFB follow-up results (``opfoelgningsresultat``), in the order of ffb.yaml."""

    continued = "fortsaettelse"
    ended = "afslutning"
    ended_and_referred = "afslutning_ny_indsats"
