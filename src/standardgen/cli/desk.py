"""``standardgen desk``: the caseworker's desk in the browser (:mod:`standardgen.desk`)."""

from __future__ import annotations

from pathlib import Path

import click

from standardgen.cli.common import port_is_free, port_taken, require_paths
from standardgen.cli.i18n import DanishCommand


@click.command(cls=DanishCommand)
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              help="Standarder (filer eller mapper); standard: standards/.")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Porten på denne maskine.")
@click.option("--bind", "host", default="127.0.0.1", show_default=True,
              help="Adressen, skrivebordet lytter på. Andre adresser end denne computer kræver "
                   "en adgangsnøgle i miljøvariablen STANDARDGEN_DESK_TOKEN.")
@click.option("--proxy-name", default=None, metavar="NAVN",
              help="Navnet, skrivebordet nås under gennem en omvendt proxy med TLS på denne "
                   "computer (fx skrivebord.kommune.dk). Se docs/it/skrivebord-drift.md.")
def desk(standards: tuple[Path, ...], port: int, host: str, proxy_name: str | None) -> None:
    """Start skrivebordet: afgørelsesbreve og opfølgningsskemaer i browseren, intet gemmes."""
    from standardgen.desk.server import run

    def started(url: str) -> None:
        click.echo(f"Skrivebordet: {url}  (stop med Ctrl-C)", err=True)

    # Said before anything is loaded, in Danish and with exit code 1 (uvicorn would print an
    # English errno and exit 3 once the desk had started).
    if not port_is_free(host, port):
        raise click.ClickException(port_taken(host, port, "kører skrivebordet allerede?"))
    run(require_paths(standards), host, port, started, proxy_name)
