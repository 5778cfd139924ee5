"""The change summary as one accessible HTML page (``templates/diff/changes.html``)."""

from __future__ import annotations

from standardgen.approval.compare import StandardDiff
from standardgen.approval.wording import Wording
from standardgen.render.templating import environment

TEMPLATE = "diff/changes.html"


def render(diff: StandardDiff, wording: Wording) -> str:
    template = environment().get_template(TEMPLATE)
    return template.render(diff=diff, words=wording, heading=wording.heading_for(diff),
                           intro=wording.intro_for(diff))
