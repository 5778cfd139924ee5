"""``standardgen diff`` and ``standardgen status``: the approval cycle (:mod:`standardgen.approval`,
:mod:`standardgen.standards.revision`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from standardgen.cli.common import colour_wanted, require_paths, today
from standardgen.cli.i18n import DanishCommand
from standardgen.cli.options import paths_argument
from standardgen.core.problems import errors


@click.command(cls=DanishCommand)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="GAMMEL NY | --rev A..B FIL")
@click.option("--rev", "revisions", metavar="A..B",
              help="Sammenlign én fil i to git-revisioner (B udeladt: filen, som den er nu).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "docx"]), default="text",
              show_default=True, help="Terminal, HTML-side eller Word med registrerede ændringer.")
@click.option("--out", type=click.Path(path_type=Path),
              help="Fil, som HTML eller Word skrives til (Word kræver --out).")
@click.option("--summary", is_flag=True, help="Skriv et kort resumé til history[].summary.")
@click.option("--author", default="standardgen", show_default=True,
              help="Forfatter på de registrerede ændringer i Word.")
def diff(files: tuple[Path, ...], revisions: str | None, fmt: str, out: Path | None,
         summary: bool, author: str) -> None:
    """Vis ændringerne fra GAMMEL til NY (to versioner af en standard), eller i FIL mellem
    to git-revisioner med --rev A..B."""
    from standardgen.approval import commands

    request = commands.DiffRequest(files, revisions, fmt, out, summary, author)
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    text = commands.run_diff(request, colour=colour_wanted())
    if text:
        click.echo(text, nl=False, color=colour_wanted())


@click.command(cls=DanishCommand)
@paths_argument()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Tabel i terminalen eller JSON.")
@click.option("--today", "today_option", metavar="DATO", show_default="i dag",
              help="Regn som om det er denne dag (ÅÅÅÅ-MM-DD), fx for at se næste års plan.")
def status(paths: tuple[Path, ...], fmt: str, today_option: str | None) -> None:
    """Vis godkendelse, næste revision og om revisionen forfalder, for hver standard i STI
    (standard: standards/)."""
    from standardgen.standards import revision
    from standardgen.standards.catalogue import load_catalogue

    day = today(today_option)
    catalogue = load_catalogue(require_paths(paths), day)
    rows = revision.status_rows(catalogue.standards, day)
    if fmt == "json":
        click.echo(revision.status_json(rows, day))
    else:
        click.echo(revision.status_table(rows, day), nl=False)
    broken: dict[str, int] = {}  # files with errors are not listed; say so, once per file
    for problem in errors(catalogue.problems):
        broken[problem.file] = broken.get(problem.file, 0) + 1
    for file, count in broken.items():
        click.echo(f"{file}: ikke med i oversigten: {count} fejl (se 'standardgen check "
                   f"{file}')", err=True)
    sys.exit(1 if broken else 0)
