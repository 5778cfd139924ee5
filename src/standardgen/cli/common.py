"""What every command shares: the paths it reads, how problems are printed, Danish counts."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from standardgen.core.problems import Problem, Severity, errors, to_json

DEFAULT_STANDARDS = Path("standards")


def require_paths(paths: Sequence[Path], default: Path = DEFAULT_STANDARDS) -> list[Path]:
    """The paths to read, or a usage error (exit 2) naming the first that does not exist."""
    chosen = list(paths) or [default]
    for path in chosen:
        if not path.exists():
            raise click.UsageError(f"stien findes ikke: {path}")
    return chosen


def report(problems: Iterable[Problem], fmt: str = "text", *, summary: str = "") -> int:
    """Print problems (stdout) and a summary (stderr); return the exit code."""
    problems = list(problems)
    if fmt == "json":
        click.echo(to_json(problems))
    elif fmt in ("github", "gitlab"):
        from standardgen.publish import annotations

        if problems or fmt == "gitlab":
            click.echo(annotations.render(fmt, problems))
    else:
        for problem in problems:
            click.echo(problem.format())
    n_errors = len(errors(problems))
    n_warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    if summary and fmt not in ("json", "gitlab"):
        click.echo(f"{summary}: {tally(n_errors, n_warnings)}", err=True)
    return 1 if n_errors else 0


def count(n: int, one: str, many: str) -> str:
    """'1 fil', '2 filer', 'ingen filer'."""
    return f"ingen {many}" if n == 0 else f"1 {one}" if n == 1 else f"{n} {many}"


def tally(n_errors: int, n_warnings: int) -> str:
    if not n_errors and not n_warnings:
        return "ingen fejl eller advarsler"
    return f"{n_errors} fejl, {count(n_warnings, 'advarsel', 'advarsler').replace('ingen', '0')}"


def colour_wanted() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def today(option: str | None) -> dt.date:
    """--today, else $STANDARDGEN_TODAY, else today (InputError for a date that is not one)."""
    from standardgen.standards import revision

    return revision.parse_day(option, "--today") if option else revision.today()


class DateParam(click.ParamType["dt.date"]):
    """A day on the command line: ISO (2026-05-04) or Danish (04.05.2026)."""

    name = "DATO"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(str(value), fmt).date()
            except ValueError:
                continue
        self.fail(f"'{value}' er ikke en dato (skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)", param, ctx)
