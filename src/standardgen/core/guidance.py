"""The rule ``check`` applies to the guidance ``standardgen new`` leaves in a scaffold: every
``[[VEJLEDNING: ...]]`` marker left in a value is an error (a standard still containing guidance
must never be published). Its own module, so that the catalogue (which runs the rule) and the
scaffold (which reads the catalogue's profiles) do not import each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from standardgen.core.codes import Code
from standardgen.core.problems import Problem, Severity
from standardgen.core.yamlsource import YamlDocument

# Left by `standardgen new`/`init` for the author to replace. The one home of the marker:
# validation (which must not report a marker as a wrong type) imports it from here.
MARKER = "[[VEJLEDNING:"
GUIDANCE = re.compile(re.escape(MARKER) + r"\s*(.*?)\]\]", re.S)
_SHOWN = 60  # characters of the guidance quoted in a message


def guidance_problems(document: YamlDocument,
                      what: str = "standardens egen tekst") -> list[Problem]:
    """An error for every guidance marker left in a value, at its own line and column; ``what``
    names what replaces it (a standard's text, the municipality's facts)."""
    # repr() escapes none of the marker's characters, so a marker in any value shows in it:
    # one C-speed search instead of a walk of every value, for the many files without one.
    if MARKER not in repr(document.data) or not any(
            MARKER in text for text in _strings(document.data)):
        return []
    text = document.path.read_text(encoding="utf-8-sig")
    problems = []
    for match in GUIDANCE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start:match.start()].lstrip().startswith("#"):
            continue  # a comment explaining the markers is not a value
        line = text.count("\n", 0, match.start()) + 1
        problems.append(Problem(document.name, line, match.start() - line_start + 1,
                                Severity.ERROR, _message(match.group(1), what), Code.GUIDANCE))
    return problems


def _message(guidance: str, what: str) -> str:
    shown = " ".join(guidance.split())
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN].rsplit(" ", 1)[0] + " …"
    return f"vejledningen skal erstattes med {what}: '{shown}'"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
