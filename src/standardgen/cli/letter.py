"""``standardgen letter``: decision letters, and the print check of finished ones
(:mod:`standardgen.letters`)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from standardgen.cli.common import count, report, require_paths
from standardgen.cli.i18n import DanishCommand
from standardgen.cli.options import (
    jobs_option,
    out_option,
    paths_argument,
    standards_option,
)


@click.command(cls=DanishCommand)
@paths_argument(required=True)
@click.option("--format", "fmts", multiple=True, default=("both",), show_default=True,
              type=click.Choice(["pdf", "docx", "both", "memo"]),
              help="PDF/A-2a og PDF/UA-1, redigerbar Word, begge, eller memo: en Digital "
                   "Post-besked (MeMo) med PDF'en, <sagsnummer>.memo.xml ved siden af PDF'en. "
                   "Kan gentages, fx --format both --format memo.")
@out_option(Path("output/letters"), "Mappe til brevene (<sagsnummer>.pdf/.docx).")
@standards_option
@jobs_option("Antal processer.")
@click.option("--check", "check_pdfs", is_flag=True,
              help="Kontrollér færdige PDF-breve i STI til rudekuvert og fjernprint (A4, "
                   "adressen i ruden, tekst i det printbare område, indlejrede skrifter) i "
                   "stedet for at skrive breve.")
def letter(paths: tuple[Path, ...], fmts: tuple[str, ...], out: Path, standards: tuple[Path, ...],
           jobs: int | None, check_pdfs: bool) -> None:
    """Skriv afgørelsesbreve for sagerne i STI (sags-YAML-filer eller en CSV-fil), eller
    kontrollér færdige breve med --check."""
    from standardgen.letters.run import write_letters

    if check_pdfs:
        from standardgen.letters.preflight import check_files

        problems = check_files(paths)
        checked = count(len(paths), "brev", "breve")
        sys.exit(report(problems, summary=f"Kontrollerede {checked} til print"))

    formats = letter_formats(fmts)
    with ExitStack() as stack:
        bars: list[Any] = []

        def start(total: int) -> None:
            if total and sys.stderr.isatty():  # a bar on a terminal; nothing in logs and pipes
                bars.append(stack.enter_context(
                    click.progressbar(length=total, label="Skriver breve", file=sys.stderr)))

        def progress(done: int) -> None:
            for bar in bars:
                bar.update(done)

        # A case path that does not exist is a problem, reported with the others (exit 1).
        outcome = write_letters(list(paths), require_paths(standards), out, formats,
                                jobs, progress, start)
    refused = outcome.cases - outcome.written
    summary = f"{outcome.written} af {outcome.cases} breve skrevet til {out}, {refused} afvist"
    sys.exit(report(outcome.problems, summary=summary))


def letter_formats(names: tuple[str, ...]) -> list[Any]:
    """The formats asked for, in a fixed order; a MeMo message holds the PDF, so memo writes the
    PDF beside it."""
    from standardgen.letters.batch import Format

    asked = {Format(n) for name in names
             for n in (("pdf", "docx") if name == "both" else (name,))}
    if Format.memo in asked:
        asked.add(Format.pdf)
    return [fmt for fmt in Format if fmt in asked]
