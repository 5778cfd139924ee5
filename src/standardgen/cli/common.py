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


# The default ports of `serve` and `desk`: never suggest one of them for the other.
DEFAULT_PORTS = (8000, 8001)


def require_paths(paths: Sequence[Path], default: Path = DEFAULT_STANDARDS) -> list[Path]:
    """The paths to read, or a usage error (exit 2) naming the first that does not exist; for
    the default folder, where it does exist one level down (run from the parent folder)."""
    chosen = list(paths) or [default]
    for path in chosen:
        if not path.exists():
            raise click.UsageError(f"stien findes ikke: {path}{_nearby(path, not paths)}")
    return chosen


def _nearby(path: Path, defaulted: bool) -> str:
    if not defaulted:
        return ""
    found = sorted(child / path for child in Path(".").iterdir()
                   if child.is_dir() and (child / path).is_dir())
    if not found:
        return ""
    folder = found[0].parent
    return (f"; mente du '{found[0]}'? Kør i kommunens arkiv ('cd {folder}'), eller giv stien: "
            f"'{found[0]}'")


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now (with SO_REUSEADDR, as uvicorn)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def port_taken(host: str, port: int, why: str) -> str:
    """The Danish message for a port in use, with a free port to try instead."""
    free = next((p for p in range(port + 1, min(port + 100, 65536))
                 if p not in DEFAULT_PORTS and port_is_free(host, p)), 0)
    return (f"porten {port} er optaget ({why}); vælg en anden med --port, fx --port {free}")


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
