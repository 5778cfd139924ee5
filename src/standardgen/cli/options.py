"""Options several commands share, declared once (as MkDocs and Pelican do), so ``--standards``,
``--jobs``, ``--out`` and the paths argument read the same in every command's help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def paths_argument(*, required: bool = False) -> Callable[[F], F]:
    """STI...: standards, cases or folders holding them."""
    return click.argument("paths", nargs=-1, required=required, type=click.Path(path_type=Path))


def standards_option(f: F) -> F:
    """--standards, repeatable; the commands that read cases look the standards up here."""
    return click.option("--standards", "standards", multiple=True,
                        type=click.Path(path_type=Path), show_default="standards/",
                        help="Standarder (filer eller mapper; kan gentages).")(f)


def jobs_option(help_text: str) -> Callable[[F], F]:
    """--jobs: processes for a batch; the cores this process may use when not given."""
    return click.option("--jobs", type=click.IntRange(min=1), default=None,
                        show_default="antal kerner", help=help_text)


def out_option(default: Path | None, help_text: str, **extra: Any) -> Callable[[F], F]:
    """--out: the folder (or file) a command writes to."""
    settings: dict[str, Any] = {"type": click.Path(path_type=Path), "default": default,
                                "help": help_text}
    if default is not None:
        settings["show_default"] = True
    settings.update(extra)
    return click.option("--out", **settings)


def document_format_option(help_text: str) -> Callable[[F], F]:
    """--format pdf|docx|both, for letters and follow-up forms."""
    return click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]),
                        default="both", show_default=True, help=help_text)
