"""Jinja environments: sandboxed, strict about missing values, autoescaping.

Template authors edit wording and layout, so they must not be able to run Python (sandbox), a
missing value must be an error rather than a blank in a letter (StrictUndefined), and citizen
values are always data, never markup (autoescape).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from standardgen import markup
from standardgen.problems import InputError, Problem, Severity
from standardgen.render.dates import long_date, short_date

_REPO_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def templates_dir() -> Path:
    """``templates/`` of this checkout, or ``$STANDARDGEN_TEMPLATES`` (a municipality's own).

    The templates are not inside the Python package (they are the municipality's to edit), so an
    installation outside a checkout must name them; say so rather than fail on a missing file.
    """
    folder = Path(os.environ.get("STANDARDGEN_TEMPLATES", _REPO_TEMPLATES))
    if not folder.is_dir():
        raise InputError([Problem(
            str(folder), 0, 0, Severity.ERROR,
            "skabelonmappen findes ikke; peg på den med miljøvariablen STANDARDGEN_TEMPLATES",
            "templates")])
    return folder


def _configure(env: SandboxedEnvironment) -> SandboxedEnvironment:
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["inline"] = markup.to_html
    env.filters["plain"] = markup.to_plain
    return env


@lru_cache(maxsize=4)
def environment(folder: Path | None = None) -> SandboxedEnvironment:
    """The environment for HTML templates under ``folder`` (default: ``templates_dir()``)."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder or templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _configure(env)


@lru_cache(maxsize=1)
def docx_environment() -> SandboxedEnvironment:
    """The environment docxtpl renders Word XML with (no loader: the .docx is the template)."""
    return _configure(SandboxedEnvironment(autoescape=True, undefined=StrictUndefined))
