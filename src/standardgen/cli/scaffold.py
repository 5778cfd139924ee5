"""``standardgen new`` and ``standardgen init``: a new standard, a municipality's new repository
(:mod:`standardgen.scaffold`)."""

from __future__ import annotations

from pathlib import Path

import click

from standardgen.cli.common import DEFAULT_STANDARDS
from standardgen.cli.i18n import DanishCommand
from standardgen.core.codes import Code


@click.command(cls=DanishCommand)
@click.argument("slug")
@click.option("--municipality", help="Kommunen: filen OUT/municipalities/ID.yaml, uden .yaml; "
              "findes den ikke, oprettes den med vejledning.")
@click.option("--title", help="Standardens titel, fx 'Kvalitetsstandard: Praktisk hjælp'.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_STANDARDS,
              show_default=True, help="Mappen med standarderne.")
def new(slug: str, municipality: str | None, title: str | None, out: Path) -> None:
    """Opret OUT/SLUG.yaml med alle afsnit og vejledning, der skal erstattes (og kommunefilen,
    hvis den mangler)."""
    from standardgen.scaffold import standard
    from standardgen.standards import revision
    from standardgen.standards.catalogue import load_catalogue

    request = standard.NewStandard(slug, out, municipality, title)
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    written = standard.create(request, revision.today())
    for path in written:
        click.echo(f"skrevet: {path}")
    target = written[-1]
    todo = [p for p in load_catalogue([target]).problems if p.code == Code.GUIDANCE]
    click.echo(f"{len(todo)} vejledningstekster skal erstattes; se dem med "
               f"'standardgen check {target}'.")


@click.command(cls=DanishCommand)
@click.argument("folder", required=False, default=Path("."), type=click.Path(path_type=Path))
@click.option("--municipality", required=True, help="Kommunens navn, fx 'Aarhus' eller "
              "'Aarhus Kommune'.")
@click.option("--ci", type=click.Choice(["github", "gitlab", "ingen"]), default="github",
              show_default=True, help="CI-fil, der kontrollerer og udgiver ved hver ændring.")
@click.option("--standard", "slug", default="ny-standard", show_default=True,
              help="Slug (filnavn) for den første standard.")
def init(folder: Path, municipality: str, ci: str, slug: str) -> None:
    """Opret et arkiv til kommunens kvalitetsstandarder i MAPPE (standard: denne mappe):
    kommunefil, en standard med vejledning, skemaer, editorindstillinger, CI og en README."""
    from standardgen.scaffold import repository
    from standardgen.standards import revision

    request = repository.InitRequest(folder, municipality, ci, slug)  # type: ignore[arg-type]
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    for path in repository.create(request, revision.today()):
        click.echo(f"skrevet: {path}")
    where = "" if folder == Path(".") else f"cd {folder}, "
    click.echo(f"Næste skridt: {where}erstat teksterne i [[VEJLEDNING: ...]] i standards/, "
               "kontrollér med 'standardgen check', og se siden med 'standardgen serve'.")
