"""``standardgen import``: Word standards in, and revised Word files back
(:mod:`standardgen.importer`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from standardgen.cli.common import DEFAULT_STANDARDS, colour_wanted, report, require_paths
from standardgen.cli.i18n import DanishCommand


@click.command("import", cls=DanishCommand)
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--municipality", help="Kommunefilen i OUT/municipalities/, uden .yaml.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_STANDARDS,
              show_default=True, help="Mappen, den nye standard skrives til.")
@click.option("--onto", type=click.Path(path_type=Path),
              help="Opdatér denne standard (YAML) fra en revideret udgave af dens Word-fil.")
@click.option("--write", is_flag=True, help="Med --onto: skriv ændringerne (ellers vises de kun).")
@click.option("--accept-changes", is_flag=True,
              help="Acceptér registrerede ændringer i Word-filen, som Words 'Acceptér alle'.")
@click.option("--explain", is_flag=True,
              help="Vis hver overskrift med den rolle, den får, og hvor sikkert; skriv intet.")
def import_command(source: Path, municipality: str | None, out: Path, onto: Path | None,
                   write: bool, accept_changes: bool, explain: bool) -> None:
    """Importér en kvalitetsstandard fra Word (.docx) som YAML, eller opdatér en med --onto."""
    from standardgen.core.fileio import write_atomic
    from standardgen.importer import command
    from standardgen.standards.catalogue import load_catalogue

    if write and onto is None:
        raise click.UsageError("--write bruges kun med --onto")
    request = command.ImportRequest(require_paths([source])[0], out, municipality, onto, write,
                                    accept_changes)
    if explain:
        entries, warnings = command.explain(request)
        for entry in entries:
            click.echo(command.explained_line(entry))
        sys.exit(report(warnings, summary=f"{source.name}: {len(entries)} overskrifter"))
    if onto is not None:
        result = command.import_onto(request, colour=colour_wanted())
        click.echo(result.diff, nl=False, color=colour_wanted())
        if result.written:
            click.echo(f"skrevet: {onto}", err=True)
        elif result.changed:
            click.echo("intet skrevet; brug --write for at gemme ændringerne", err=True)
        sys.exit(report(result.problems, summary=f"{source.name} importeret på {onto}"))
    target, text, warnings = command.import_new(request)
    write_atomic(target, text.encode("utf-8"))
    click.echo(f"skrevet: {target}", err=True)
    checked = load_catalogue([target]).problems
    sys.exit(report([*warnings, *checked], summary=f"{source.name} importeret"))
