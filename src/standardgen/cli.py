"""The command line. Thin on purpose: parse options, call the pipeline, print problems, exit.

Exit codes: 0 all good, 1 problems in the input, 2 wrong use of the command.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from standardgen import __version__
from standardgen.problems import InputError, Problem, Severity, errors, promote_warnings, to_json

if TYPE_CHECKING:
    from standardgen.publish.build import BuildResult

DEFAULT_STANDARDS = Path("standards")

# click's own messages are English; the users are not. The common ones are translated here.
_CLICK_MESSAGES: list[tuple[str, str]] = [
    (r"No such option '(.+?)'\. Did you mean '(.+?)'\?", r"ukendt tilvalg '\1'; mente du '\2'?"),
    (r"No such option '(.+?)'\.?", r"ukendt tilvalg '\1'"),
    (r"No such command '(.+?)'\.?", r"ukendt kommando '\1'"),
    (r"Missing argument '(.+?)'\.?", r"mangler argumentet \1"),
    (r"Missing option '(.+?)'\.?", r"mangler tilvalget \1"),
    (r"Option '(.+?)' requires an argument\.?", r"tilvalget '\1' skal have en værdi"),
    (r"Invalid value for '(.+?)': '(.*?)' is not one of (.+)\.",
     r"ugyldig værdi for '\1': '\2'; brug en af: \3"),
    (r"Invalid value for '(.+?)': (.+)", r"ugyldig værdi for '\1': \2"),
    (r"Got unexpected extra arguments? \((.+)\)", r"uventede argumenter: \1"),
]


def danish(message: str) -> str:
    for pattern, replacement in _CLICK_MESSAGES:
        translated, count = re.subn(pattern, replacement, message)
        if count:
            return translated
    return message


class _DanishHelp(click.Command):
    """--help in Danish: the headings and the help option's own text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Brug: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [record for param in self.get_params(ctx)
                if not isinstance(param, click.Argument)
                and (record := param.get_help_record(ctx)) is not None]
        if rows:
            with formatter.section("Tilvalg"):
                formatter.write_dl(rows)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Vis denne hjælp og afslut."
        return option


class _DanishGroup(_DanishHelp, click.Group):
    command_class = _DanishHelp
    group_class = type  # subgroups are of the same class as their parent

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, command) for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) and not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Kommandoer"):
                formatter.write_dl([(name, command.get_short_help_str(limit))
                                    for name, command in commands])


class _Group(_DanishGroup):
    """Prints usage errors in Danish on one line (plus a pointer to --help), exit code 2, and
    turns file-system errors into a one-line message with exit code 1 instead of a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "standardgen"
            click.echo(f"{command}: fejl: {danish(exc.format_message())}", err=True)
            click.echo(f"Se '{command} --help'.", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"standardgen: fejl: {danish(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("standardgen: afbrudt", err=True)
            sys.exit(130)
        except InputError as exc:  # input that cannot be used: its located problems, exit 1
            sys.exit(report(exc.problems))
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"standardgen: fejl: {exc.strerror or exc}{where}", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standardgen", message="%(prog)s %(version)s",
                      help="Vis versionen og afslut.")
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
    elif fmt in ("github", "gitlab"):
        from standardgen.publish import annotations

        if problems or fmt == "gitlab":
            click.echo(annotations.render(fmt, problems))
    else:
        for problem in problems:
            click.echo(problem.format())
    n_errors = len(errors(problems))
    n_warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    if summary and fmt not in ("json", "gitlab"):
        click.echo(f"{summary}: {n_errors} fejl, {n_warnings} advarsler", err=True)
    return 1 if n_errors else 0


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Gør advarsler til fejl.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "gitlab"]),
              default="text", show_default=True,
              help="Linjer (fil:linje:kolonne), JSON, GitHub-annotationer eller GitLab Code "
                   "Quality-rapport.")
@click.option("--lix-sections", is_flag=True,
              help="Vis også LIX (klarsprog) for hvert afsnit, ikke kun for hele standarden.")
def check(paths: tuple[Path, ...], strict: bool, fmt: str, lix_sections: bool) -> None:
    """Kontrollér standarderne i PATHS (standard: standards/) uden at skrive noget."""
    from standardgen import klarsprog, revision
    from standardgen.catalogue import load_catalogue

    catalogue = load_catalogue(require_paths(paths), revision.today())
    problems = promote_warnings(catalogue.problems) if strict else list(catalogue.problems)
    readability = klarsprog.check_problems(catalogue.standards, per_section=lix_sections)
    problems += promote_warnings(readability) if strict else readability
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


# --- the approval cycle: diff, status, new (issue 6) -------------------------------------------

@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    """Vis ændringerne fra OLD til NEW (to filer) eller i én fil med --rev A..B."""
    from standardgen.approval import commands

    request = commands.DiffRequest(files, revisions, fmt, out, summary, author)
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    text = commands.run_diff(request, colour=_colour_wanted())
    if text:
        click.echo(text, nl=False, color=_colour_wanted())


def _colour_wanted() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _today(option: str | None) -> dt.date:
    """--today, else $STANDARDGEN_TODAY, else today (InputError for a date that is not one)."""
    from standardgen import revision

    return revision.parse_day(option, "--today") if option else revision.today()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Tabel i terminalen eller JSON.")
@click.option("--today", hidden=True, help="Dagens dato (ÅÅÅÅ-MM-DD), til test.")
def status(paths: tuple[Path, ...], fmt: str, today: str | None) -> None:
    """Vis godkendelse, næste revision og om revisionen forfalder, for hver standard."""
    from standardgen import revision
    from standardgen.catalogue import load_catalogue

    day = _today(today)
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


@main.command()
@click.argument("slug")
@click.option("--municipality", help="Kommunefilen i OUT/municipalities/, uden .yaml.")
@click.option("--title", help="Standardens titel, fx 'Kvalitetsstandard: Praktisk hjælp'.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_STANDARDS,
              show_default=True, help="Mappen med standarderne.")
def new(slug: str, municipality: str | None, title: str | None, out: Path) -> None:
    """Opret standards/SLUG.yaml med alle afsnit og vejledning, der skal erstattes."""
    from standardgen import revision, scaffold
    from standardgen.catalogue import load_catalogue

    request = scaffold.NewStandard(slug, out, municipality, title)
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    target = scaffold.create(request, revision.today())
    click.echo(f"skrevet: {target}")
    todo = [p for p in load_catalogue([target]).problems if p.code == "guidance"]
    click.echo(f"{len(todo)} vejledningstekster skal erstattes; se dem med "
               f"'standardgen check {target}'.")


# --- standardgen import: Word standards in and revised Word files back (issue 14) ------------

@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--municipality", help="Kommunefilen i OUT/municipalities/, uden .yaml.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_STANDARDS,
              show_default=True, help="Mappen, den nye standard skrives til.")
@click.option("--onto", type=click.Path(path_type=Path),
              help="Opdatér denne standard (YAML) fra en revideret udgave af dens Word-fil.")
@click.option("--write", is_flag=True, help="Med --onto: skriv ændringerne (ellers vises de kun).")
@click.option("--accept-changes", is_flag=True,
              help="Acceptér registrerede ændringer i Word-filen, som Words 'Acceptér alle'.")
def import_command(source: Path, municipality: str | None, out: Path, onto: Path | None,
                   write: bool, accept_changes: bool) -> None:
    """Importér en kvalitetsstandard fra Word (.docx) som YAML, eller opdatér en med --onto."""
    from standardgen.catalogue import load_catalogue
    from standardgen.fileio import write_atomic
    from standardgen.importer import command

    if write and onto is None:
        raise click.UsageError("--write bruges kun med --onto")
    request = command.ImportRequest(require_paths([source])[0], out, municipality, onto, write,
                                    accept_changes)
    if onto is not None:
        result = command.import_onto(request, colour=_colour_wanted())
        click.echo(result.diff, nl=False, color=_colour_wanted())
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


# --- standardgen form: follow-up forms ---------------------------------------------------------

class _FormGroup(_DanishGroup):
    """``standardgen form PATH...`` is short for ``standardgen form render PATH...``; the other
    subcommand is ``read``. (A case file literally named ``read`` is given as ``./read``.)"""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["render", *args]
        return super().parse_args(ctx, args)


class _DateParam(click.ParamType["dt.date"]):
    name = "DATO"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(str(value), fmt).date()
            except ValueError:
                continue
        self.fail(f"'{value}' er ikke en dato (skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)", param, ctx)


@main.group(cls=_FormGroup)
def form() -> None:
    """Opfølgningsskemaer: 'form PATH...' laver skemaer, 'form read FIL.pdf' læser et udfyldt."""


@form.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both",
              show_default=True, help="PDF-formular, Word-dokument eller begge.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/forms"),
              show_default=True, help="Mappe, skemaerne skrives til.")
@click.option("--due-before", type=_DateParam(), default=None,
              help="Kun sager, hvis opfølgning (follow_up.due) ligger før denne dato.")
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              help="Standarder (fil eller mappe; standard: standards/).")
def form_render(paths: tuple[Path, ...], fmt: str, out: Path, due_before: dt.date | None,
                standards: tuple[Path, ...]) -> None:
    """Lav et opfølgningsskema pr. sag i PATHS (sags-YAML eller CSV)."""
    from jinja2 import TemplateError

    from standardgen.forms.build import Format, plan_forms, write_forms
    from standardgen.forms.render import TemplateContractError

    plan = plan_forms(list(paths), require_paths(standards), due_before)
    try:
        written = write_forms(plan, out, Format(fmt))
    except (TemplateContractError, TemplateError) as exc:
        click.echo(f"standardgen: fejl: skabelonen til opfølgningsskemaet: {exc}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"skrevet: {path}")
    not_due = f", {plan.not_due} ikke forfaldne" if due_before is not None else ""
    sys.exit(report(plan.problems,
                    summary=f"{len(plan.jobs)} skema(er) til {out} fra {plan.read} sager"
                            f"{not_due}"))


@form.command("read")
@click.argument("filled", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="YAML-fil, der skrives (standard: udskriv YAML).")
def form_read(filled: Path, out: Path | None) -> None:
    """Læs et udfyldt opfølgningsskema (PDF) som YAML: status til sagsbehandleren."""
    from standardgen.cpr import mask_in_text
    from standardgen.fileio import private_dir, write_atomic
    from standardgen.forms.readback import read_filled
    from standardgen.forms.record import to_yaml

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


# --- standardgen build and serve: publishing ---------------------------------------------------

@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Mappe til resultatet; hjemmesiden lægges i OUT/site.")
@click.option("--base-url", help="Sidens offentlige adresse (sitemap, kanoniske links); "
              "standard: kommunens web-adresse + /kvalitetsstandarder/.")
@click.option("--jobs", type=click.IntRange(min=1), help="Antal processer til PDF (standard: "
              "antal kerner).")
def build(paths: tuple[Path, ...], out: Path, base_url: str | None, jobs: int | None) -> None:
    """Udgiv standarderne i PATHS som hjemmeside, PDF, Word og JSON i OUT/site."""
    from standardgen.publish.build import build as run_build

    result = run_build(require_paths(paths), out, base_url=base_url, jobs=jobs)
    sys.exit(report(result.problems, summary=_build_summary(result)))


def _build_summary(result: BuildResult) -> str:
    if not result.ok:
        return "intet skrevet"
    return (f"{result.site}: {len(result.written)} fil(er) skrevet, "
            f"{len(result.unchanged)} uændrede grupper, {len(result.removed)} fjernet")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Mappe til resultatet; hjemmesiden lægges i OUT/site.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Porten på denne maskine (0: en ledig port).")
@click.option("--bind", "host", default="127.0.0.1", show_default=True,
              help="Adressen serveren lytter på; kun denne maskine som standard.")
def serve(paths: tuple[Path, ...], out: Path, port: int, host: str) -> None:
    """Vis hjemmesiden lokalt og byg igen, når en standard eller skabelon ændres."""
    from standardgen.publish.serve import serve as run_serve
    from standardgen.render.templating import templates_dir

    def built(result: BuildResult) -> None:
        report(result.problems, summary=_build_summary(result))

    def started(url: str) -> None:
        click.echo(f"Forhåndsvisning: {url}  (stop med Ctrl-C)", err=True)

    run_serve(require_paths(paths), out, host=host, port=port, templates=templates_dir(),
              on_build=built, on_start=started)


# --- standardgen letter: decision letters ------------------------------------------------------

@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both",
              show_default=True, help="PDF/A-2a og PDF/UA-1, redigerbar Word eller begge.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/letters"),
              show_default=True, help="Mappe til brevene (<sagsnummer>.pdf/.docx).")
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              help="Standarder (filer eller mapper); standard: standards/.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Antal processer (standard: antal kerner).")
@click.option("--check", "check_pdfs", is_flag=True,
              help="Kontrollér færdige PDF-breve i PATHS til rudekuvert og fjernprint (A4, "
                   "adressen i ruden, tekst i det printbare område, indlejrede skrifter) i "
                   "stedet for at skrive breve.")
def letter(paths: tuple[Path, ...], fmt: str, out: Path, standards: tuple[Path, ...],
           jobs: int | None, check_pdfs: bool) -> None:
    """Skriv afgørelsesbreve for sagerne i PATHS (sags-YAML-filer eller en CSV-fil)."""
    from standardgen.letters.batch import Format
    from standardgen.letters.run import write_letters

    if check_pdfs:
        from standardgen.letters.preflight import check_files

        problems = check_files(paths)
        sys.exit(report(problems, summary=f"{len(paths)} PDF-fil(er) kontrolleret til print"))

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

        # A case path that does not exist is a problem, reported with the others (exit 1).
        outcome = write_letters(list(paths), require_paths(standards), out, formats,
                                jobs, progress, start)
    refused = outcome.cases - outcome.written
    summary = f"{outcome.written} af {outcome.cases} breve skrevet til {out}, {refused} afvist"
    sys.exit(report(outcome.problems, summary=summary))


# --- standardgen desk: the caseworker's desk (issue 12) ----------------------------------------

@main.command()
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              help="Standarder (filer eller mapper); standard: standards/.")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Porten på denne maskine.")
@click.option("--bind", "host", default="127.0.0.1", show_default=True,
              help="Adressen, skrivebordet lytter på. Andre adresser end denne computer kræver "
                   "en adgangsnøgle i miljøvariablen STANDARDGEN_DESK_TOKEN.")
def desk(standards: tuple[Path, ...], port: int, host: str) -> None:
    """Start skrivebordet: afgørelsesbreve og opfølgningsskemaer i browseren, intet gemmes."""
    from standardgen.desk.server import run

    def started(url: str) -> None:
        click.echo(f"Skrivebordet: {url}  (stop med Ctrl-C)", err=True)

    run(require_paths(standards), host, port, started)
