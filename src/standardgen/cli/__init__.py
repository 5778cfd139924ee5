"""The command line. Thin on purpose: parse options, call the pipeline, print problems, exit.

One module per command group (as MkDocs keeps ``commands/build.py``, ``commands/serve.py``);
click's Danish face lives in :mod:`standardgen.cli.i18n`, shared options in
:mod:`standardgen.cli.options`. Exit codes: 0 all good, 1 problems in the input, 2 wrong use of
the command.
"""

from __future__ import annotations

import click

from standardgen import __version__
from standardgen.cli import check, desk, diff, doctor, form, importing, letter, publish, scaffold
from standardgen.cli.i18n import MainGroup


@click.group(cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standardgen", message="%(prog)s %(version)s",
                      help="Vis versionen og afslut.")
def main() -> None:
    """Kvalitetsstandarder som YAML: kontrol, udgivelse, afgørelsesbreve og opfølgningsskemaer."""


for _command in (check.check, check.schema, diff.diff, diff.status, scaffold.new, scaffold.init,
                 importing.import_command, form.form, publish.build, publish.serve,
                 letter.letter, doctor.doctor, desk.desk):
    main.add_command(_command)

__all__ = ["main"]
