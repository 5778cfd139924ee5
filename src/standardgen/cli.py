"""The command line. Thin on purpose: parse options, call the pipeline, print problems, exit.

Exit codes: 0 all good, 1 problems in the input, 2 wrong use of the command.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from standardgen import __version__
from standardgen.problems import Problem, Severity, errors, promote_warnings, to_json

DEFAULT_STANDARDS = Path("standards")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standardgen")
def main() -> None:
    """Kvalitetsstandarder som YAML: kontrol, udgivelse, afgørelsesbreve og opfølgningsskemaer."""


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
    else:
        for problem in problems:
            click.echo(problem.format())
    n_errors = len(errors(problems))
    n_warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    if summary and fmt != "json":
        click.echo(f"{summary}: {n_errors} fejl, {n_warnings} advarsler", err=True)
    return 1 if n_errors else 0


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Gør advarsler til fejl.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Udskrift som linjer (fil:linje:kolonne) eller JSON.")
def check(paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Kontrollér standarderne i PATHS (standard: standards/) uden at skrive noget."""
    from standardgen.catalogue import load_catalogue

    catalogue = load_catalogue(require_paths(paths))
    problems = promote_warnings(catalogue.problems) if strict else list(catalogue.problems)
    count = len(catalogue.files)
    sys.exit(report(problems, fmt, summary=f"{count} fil(er) kontrolleret"))


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("schema"), show_default=True,
              help="Mappe, som JSON-skemaerne skrives til.")
def schema(out: Path) -> None:
    """Skriv JSON-skemaerne for YAML-formaterne (til editorens autofuldførelse)."""
    from standardgen.schema import write_all

    for path in write_all(out):
        click.echo(f"skrevet: {path}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both",
              show_default=True, help="Tagget PDF (PDF/UA-1), redigerbar Word eller begge.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/letters"),
              show_default=True, help="Mappe til brevene (<sagsnummer>.pdf/.docx).")
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              help="Standarder (filer eller mapper); standard: standards/.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Antal processer (standard: antal kerner).")
def letter(paths: tuple[Path, ...], fmt: str, out: Path, standards: tuple[Path, ...],
           jobs: int | None) -> None:
    """Skriv afgørelsesbreve for sagerne i PATHS (sags-YAML-filer eller en CSV-fil)."""
    from standardgen.letters.batch import Format
    from standardgen.letters.run import write_letters

    formats = [Format.pdf, Format.docx] if fmt == "both" else [Format(fmt)]
    with ExitStack() as stack:
        bars: list[Any] = []

        def start(total: int) -> None:
            if total and sys.stderr.isatty():  # a bar on a terminal; nothing in logs and pipes
                bars.append(stack.enter_context(
                    click.progressbar(length=total, label="Skriver breve", file=sys.stderr)))

        def progress(count: int) -> None:
            for bar in bars:
                bar.update(count)

        outcome = write_letters(require_paths(paths), require_paths(standards), out, formats,
                                jobs, progress, start)
    summary = f"{outcome.written} af {outcome.cases} breve skrevet til {out}"
    sys.exit(report(outcome.problems, summary=summary))
