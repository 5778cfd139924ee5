"""The Jinja environments templates are rendered with.

Template authors edit wording and layout, so they must not be able to run Python (sandbox), a
missing value must be an error rather than a blank in a letter (StrictUndefined), and citizen
values are always data, never markup (autoescape).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from standardgen.core import markup
from standardgen.core.cpr import mask_in_text
from standardgen.core.dates import long_date, short_date
from standardgen.core.templates import chain_of, confined, templates_dir


def _configure(env: SandboxedEnvironment, typeset: bool = False) -> SandboxedEnvironment:
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["inline"] = markup.to_html
    env.filters["plain"] = markup.to_plain
    env.filters["typeset"] = markup.typeset  # for one value (a preview), where finalize is off
    env.filters["masked"] = mask_in_text  # a CPR number as DDMMÅÅ-XXXX: all but a letter
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


class ConfinedLoader(FileSystemLoader):
    """Jinja's file loader, blind to a file that is a symbolic link out of its folder: an
    override's ``{% include %}`` of a link to ``/etc/passwd`` must not publish that file."""

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder).joinpath(*pieces)
            if path.is_file() and confined(Path(folder), path):
                return FileSystemLoader([folder], self.encoding).get_source(environment, template)
        raise TemplateNotFound(template)


def environment(folder: Path | None = None, *, typeset: bool = False) -> SandboxedEnvironment:
    """The environment for HTML templates under ``folder`` (default: ``templates_dir()``);
    ``typeset`` for documents people read (not forms, whose fields are read back)."""
    # Cached by the folder itself, so that a changed set of overrides gets a new environment.
    return _environment(folder or templates_dir(), typeset)


@lru_cache(maxsize=8)
def _environment(folder: Path, typeset: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ConfinedLoader([str(path) for path in chain_of(folder)]),
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
