"""``standardgen form``: follow-up forms out (``form STI...``) and filled ones read back
(``form read``) (:mod:`standardgen.forms`)."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import click

from standardgen.cli.common import DateParam, count, report, require_paths
from standardgen.cli.i18n import DanishGroup
from standardgen.cli.options import (
    document_format_option,
    jobs_option,
    out_option,
    paths_argument,
    standards_option,
)
from standardgen.core.problems import errors


class FormGroup(DanishGroup):
    """``standardgen form PATH...`` is short for ``standardgen form render PATH...``; the other
    subcommand is ``read``. (A case file literally named ``read`` is given as ``./read``.)"""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["render", *args]
        return super().parse_args(ctx, args)


@click.group(cls=FormGroup)
def form() -> None:
    """Opfølgningsskemaer: 'form STI...' laver skemaer, 'form read FIL.pdf' læser et udfyldt."""


@form.command("render")
@paths_argument(required=True)
@document_format_option("PDF-formular, Word-dokument eller begge.")
@out_option(Path("output/forms"), "Mappe, skemaerne skrives til.")
@click.option("--due-before", type=DateParam(), default=None,
              help="Kun sager, hvis opfølgning (follow_up.due) ligger før denne dato.")
@standards_option
@jobs_option("Processer, der laver PDF-skemaer samtidig.")
def form_render(paths: tuple[Path, ...], fmt: str, out: Path, due_before: dt.date | None,
                standards: tuple[Path, ...], jobs: int | None) -> None:
    """Lav et opfølgningsskema pr. sag i STI (sags-YAML, CSV eller mapper med dem)."""
    from jinja2 import TemplateError

    from standardgen.forms.build import Format, plan_forms, write_forms
    from standardgen.forms.render import TemplateContractError

    plan = plan_forms(list(paths), require_paths(standards), due_before)
    try:
        written = write_forms(plan, out, Format(fmt), jobs=jobs)
    except (TemplateContractError, TemplateError) as exc:
        click.echo(f"standardgen: fejl: skabelonen til opfølgningsskemaet: {exc}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"skrevet: {path}")
    not_due = f", {plan.not_due} ikke forfaldne" if due_before is not None else ""
    # Counted from the files written, a form when all its files are: a full disk must not
    # report forms that were not written.
    files = Counter(path.with_suffix("") for path in written)
    forms = sum(1 for n in files.values() if n == len(Format(fmt).extensions))
    made = count(forms, "skema", "skemaer") if forms == len(plan.jobs) else (
        f"{forms} af {count(len(plan.jobs), 'skema', 'skemaer')}")
    sys.exit(report(plan.problems, summary=f"{made} til {out} "
                                           f"fra {count(plan.read, 'sag', 'sager')}{not_due}"))


@form.command("read")
@click.argument("filled", type=click.Path(path_type=Path))
@out_option(None, "YAML-fil, der skrives.", show_default="YAML udskrives")
def form_read(filled: Path, out: Path | None) -> None:
    """Læs et udfyldt opfølgningsskema (PDF) som YAML: status til sagsbehandleren."""
    from standardgen.cases.record import to_yaml
    from standardgen.core.cpr import mask_in_text
    from standardgen.core.fileio import private_dir, write_atomic
    from standardgen.forms.readback import read_filled

    record, problems = read_filled(require_paths([filled])[0])
    for problem in problems:
        click.echo(problem.format(), err=True)
    if record is None:
        sys.exit(1)
    # Nothing from the input file's name: a name may hold a newline and inject a key. Every
    # value below is written by the YAML emitter.
    text = to_yaml(record, header="# Opfølgning læst fra et udfyldt opfølgningsskema\n")
    if out is None:
        click.echo(mask_in_text(text), nl=False)
    else:
        if not out.parent.exists():
            private_dir(out.parent)  # a new folder for personal data is private (0700)
        write_atomic(out, mask_in_text(text).encode("utf-8"), mode=0o600)
        click.echo(f"skrevet: {out}", err=True)
    sys.exit(1 if errors(problems) else 0)
