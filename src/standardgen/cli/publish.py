"""``standardgen build`` and ``standardgen serve``: the site, PDF and Word documents
(:mod:`standardgen.publish`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from standardgen.cli.common import count, port_taken, report, require_paths
from standardgen.cli.i18n import DanishCommand
from standardgen.cli.options import jobs_option, out_option, paths_argument

if TYPE_CHECKING:
    from standardgen.publish.build import BuildResult

_SITE_OUT = "Mappe til resultatet; hjemmesiden lægges i OUT/site."


@click.command(cls=DanishCommand)
@paths_argument()
@out_option(Path("output"), _SITE_OUT)
@click.option("--base-url", show_default="kommunens web-adresse + /kvalitetsstandarder/",
              help="Sidens offentlige adresse (sitemap, kanoniske links).")
@jobs_option("Antal processer til PDF.")
def build(paths: tuple[Path, ...], out: Path, base_url: str | None, jobs: int | None) -> None:
    """Udgiv standarderne i STI (standard: standards/) som hjemmeside, PDF, Word og JSON i
    OUT/site."""
    from standardgen.publish.build import build as build_site

    result = build_site(require_paths(paths), out, base_url=base_url, jobs=jobs)
    sys.exit(report(result.problems, summary=build_summary(result)))


def build_summary(result: BuildResult) -> str:
    if not result.ok:
        return "intet skrevet"
    written = count(len(result.written), "fil", "filer")
    kept = "intet var ændret" if not result.written else (
        f"{count(len(result.unchanged), 'del', 'dele')} var uændret")
    removed = f", {count(len(result.removed), 'fil', 'filer')} fjernet" if result.removed else ""
    return f"{result.site}: {written} skrevet ({kept}){removed}"


@click.command(cls=DanishCommand)
@paths_argument()
@out_option(Path("output"), _SITE_OUT)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Porten på denne maskine (0: en ledig port).")
@click.option("--bind", "host", default="127.0.0.1", show_default=True,
              help="Adressen serveren lytter på; kun denne maskine som standard.")
def serve(paths: tuple[Path, ...], out: Path, port: int, host: str) -> None:
    """Vis hjemmesiden lokalt og byg igen, når en standard eller skabelon i STI (standard:
    standards/) ændres."""
    from standardgen.publish.serve import PortInUse
    from standardgen.publish.serve import serve as serve_site

    def built(result: BuildResult) -> None:
        report(result.problems, summary=build_summary(result))

    def started(url: str) -> None:
        click.echo(f"Forhåndsvisning: {url}  (stop med Ctrl-C)", err=True)

    try:
        serve_site(require_paths(paths), out, host=host, port=port, on_build=built,
                   on_start=started)
    except PortInUse:
        raise click.ClickException(
            port_taken(host, port, "kører en anden forhåndsvisning?")) from None
