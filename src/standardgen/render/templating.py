"""The Jinja environments templates are rendered with.

Template authors edit wording and layout, so they must not be able to run Python (sandbox), a
missing value must be an error rather than a blank in a letter (StrictUndefined), and citizen
values are always data, never markup (autoescape).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from standardgen.core import markup
from standardgen.core.dates import long_date, short_date
from standardgen.core.templates import chain_of, templates_dir


def _configure(env: SandboxedEnvironment, typeset: bool = False) -> SandboxedEnvironment:
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["inline"] = markup.to_html
    env.filters["plain"] = markup.to_plain
    env.filters["typeset"] = markup.typeset  # for one value (a preview), where finalize is off
    if typeset:
        # Every value a template prints gets Danish typography (markup.typeset); markup the
        # templates make themselves (inline text, JSON-LD) is left alone or typeset before.
        env.finalize = typeset_value
        env.filters["inline"] = lambda text: markup.to_html(markup.typeset(text))
    return env


def typeset_value(value: Any) -> Any:
    """Jinja ``finalize``: plain strings typeset, markup and other values as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return markup.typeset(value)
    return value


@lru_cache(maxsize=8)
def environment(folder: Path | None = None, *, typeset: bool = False) -> SandboxedEnvironment:
    """The environment for HTML templates under ``folder`` (default: ``templates_dir()``);
    ``typeset`` for documents people read (not forms, whose fields are read back)."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(path) for path in chain_of(folder or templates_dir())]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _configure(env, typeset)


@lru_cache(maxsize=2)
def docx_environment(*, typeset: bool = False) -> SandboxedEnvironment:
    """The environment docxtpl renders Word XML with (no loader: the .docx is the template)."""
    return _configure(SandboxedEnvironment(autoescape=True, undefined=StrictUndefined), typeset)


__all__ = ["docx_environment", "environment", "typeset_value"]
