"""``standardgen new`` and ``standardgen init``: a new standard, a municipality's new repository
(:mod:`standardgen.scaffold`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from standardgen.cli.common import DEFAULT_STANDARDS, require_paths
from standardgen.cli.i18n import DanishCommand
from standardgen.core.codes import Code

F = TypeVar("F", bound=Callable[..., Any])


def paragraph_option(f: F) -> F:
    return click.option("--paragraph", metavar="PARAGRAF", show_default="104",
                        help="Ydelsens paragraf (fx 85) eller profil (fx sel-85): afsnit, blokke "
                             "og vejledning følger den.")(f)


def _profile(paragraph: str | None) -> str:
    from standardgen.scaffold import standard

    if paragraph is None:
        return standard.DEFAULT_PROFILE
    problem = standard.paragraph_problem(paragraph)
    if problem:
        raise click.BadParameter(problem, param_hint="'--paragraph'")
    return standard.profile_named(paragraph) or standard.DEFAULT_PROFILE


@click.command(cls=DanishCommand)
@click.argument("slug", required=False)
@click.option("--municipality", help="Kommunen: filen OUT/municipalities/ID.yaml, uden .yaml; "
              "findes den ikke, oprettes den med vejledning.")
@click.option("--title", help="Standardens titel, fx 'Kvalitetsstandard: Praktisk hjælp'.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_STANDARDS,
              show_default=True, help="Mappen med standarderne; med --case sagsfilen (standard: "
                                      "sager/SLUG-RESULTAT.yaml), med --examples mappen "
                                      "(standard: eksempel).")
@paragraph_option
@click.option("--case", "kind", metavar="RESULTAT",
              help="Skriv en sag med vejledning i stedet for en standard: brevtypen (bevilget, "
                   "delvis_bevilget, afslag, aendring eller ophoer) til standarden --standard.")
@click.option("--standard", "standard_slug", metavar="SLUG",
              help="Med --case: standarden (i standards/), hvis serviceprofil sagen følger.")
@click.option("--examples", is_flag=True,
              help="Skriv de medfølgende eksempler: en færdig sag for hver brevtype med de "
                   "standarder og den kommunefil, de bruger.")
@click.pass_context
def new(ctx: click.Context, slug: str | None, municipality: str | None, title: str | None,
        out: Path, paragraph: str | None, kind: str | None, standard_slug: str | None,
        examples: bool) -> None:
    """Opret OUT/SLUG.yaml med alle afsnit og vejledning, der skal erstattes (og kommunefilen,
    hvis den mangler); eller en sag med --case, eller eksemplerne med --examples."""
    given = ctx.get_parameter_source("out") is not click.core.ParameterSource.DEFAULT
    if examples:
        _new_examples(out if given else Path("eksempel"))
    elif kind is not None:
        _new_case(kind, standard_slug, out if given else None)
    elif slug is None:
        raise click.UsageError("angiv SLUG for en ny standard, --case for en sag eller "
                               "--examples for eksemplerne")
    else:
        _new_standard(slug, out, municipality, title, paragraph)


def _new_standard(slug: str, out: Path, municipality: str | None, title: str | None,
                  paragraph: str | None) -> None:
    from standardgen.scaffold import standard
    from standardgen.standards import revision
    from standardgen.standards.catalogue import load_catalogue

    request = standard.NewStandard(slug, out, municipality, title, _profile(paragraph))
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


def _new_case(kind: str, slug: str | None, out: Path | None) -> None:
    from standardgen.cases.check import case_schema
    from standardgen.cases.letter_kinds import get_kind, kind_names
    from standardgen.core.fileio import private_dir, write_atomic
    from standardgen.scaffold.case import render_case
    from standardgen.standards.catalogue import load_catalogue

    if kind not in kind_names():
        raise click.BadParameter(f"ukendt brevtype '{kind}'; brug en af: "
                                 f"{', '.join(kind_names())}", param_hint="'--case'")
    catalogue = load_catalogue(require_paths([]))
    known = {item.slug: item for item in catalogue.standards if item.profile is not None
             and item.profile.letters}
    if slug not in known:
        choices = ", ".join(sorted(known)) or "ingen standarder med breve i standards/"
        raise click.BadParameter(f"angiv standarden, sagen hører til; kendte: {choices}",
                                 param_hint="'--standard'")
    target = out or Path("sager") / f"{slug}-{kind}.yaml"
    if target.exists():
        raise click.UsageError(f"filen findes allerede: {target}; vælg en anden med --out")
    text = render_case(case_schema(known[slug], kind), get_kind(kind).label)
    if not target.parent.exists():
        private_dir(target.parent)  # a folder for personal data is private (0700)
    write_atomic(target, text.encode("utf-8"), mode=0o600)
    click.echo(f"skrevet: {target}")
    click.echo(f"Erstat vejledningen, og skriv brevet med 'standardgen letter {target}'.")


def _new_examples(target: Path) -> None:
    from standardgen.scaffold.case import copy_examples

    for path in copy_examples(target):
        click.echo(f"skrevet: {path}")
    click.echo(f"Prøv: standardgen letter {target}/cases --standards {target}/standards "
               f"--out {target}/breve")


@click.command(cls=DanishCommand)
@click.argument("folder", required=False, default=Path("."), type=click.Path(path_type=Path))
@click.option("--municipality", required=True, help="Kommunens navn, fx 'Aarhus' eller "
              "'Aarhus Kommune'.")
@click.option("--ci", type=click.Choice(["github", "gitlab", "ingen"]), default="github",
              show_default=True, help="CI-fil, der kontrollerer og udgiver ved hver ændring.")
@click.option("--standard", "slug", default="ny-standard", show_default=True,
              help="Slug (filnavn) for den første standard.")
@paragraph_option
@click.option("--source", metavar="KILDE", show_default="det kørende hjul",
              help="Hvad CI installerer: et hjul (.whl) eller en Git-adresse med fast version "
                   "(git+https://...@v0.1.0).")
@click.option("--git/--no-git", default=True, show_default=True,
              help="Kør git init og slå git-krogen mod CPR-numre til (kun uden for et "
                   "git-arkiv).")
def init(folder: Path, municipality: str, ci: str, slug: str, paragraph: str | None,
         source: str | None, git: bool) -> None:
    """Opret et arkiv til kommunens kvalitetsstandarder i MAPPE (standard: denne mappe):
    kommunefil, en standard med vejledning, skemaer, editorindstillinger, CI, git-krog, sager/
    og en README."""
    from standardgen.scaffold import origin, repository
    from standardgen.standards import revision

    request = repository.InitRequest(folder, municipality, ci, slug,  # type: ignore[arg-type]
                                     _profile(paragraph), git)
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    try:
        installed = origin.resolve(source)
    except origin.SourceError as exc:
        raise click.BadParameter(str(exc), param_hint="'--source'") from None
    for path in repository.create(request, revision.today(), installed):
        click.echo(f"skrevet: {path}")
    if git:
        click.echo(repository.start_git(folder))
    where = "" if folder == Path(".") else f"cd {folder}, "
    click.echo(f"Næste skridt: {where}erstat teksterne i [[VEJLEDNING: ...]] i standards/, "
               "kontrollér med 'standardgen check', og se siden med 'standardgen serve'.")
