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


# Names in usage lines and option values: a command added later gets these without a word.
_ARGUMENT_NAMES = {"paths": "STI", "path": "STI", "files": "FIL", "file": "FIL",
                   "filled": "FIL", "source": "FIL", "sources": "FIL", "folder": "MAPPE",
                   "directory": "MAPPE", "dir": "MAPPE", "slug": "SLUG"}
_TYPE_NAMES = {"path": "STI", "file": "FIL", "filename": "FIL", "directory": "MAPPE",
               "text": "TEKST", "integer": "TAL", "integer range": "TAL", "float": "TAL",
               "float range": "TAL", "boolean": "JA/NEJ", "datetime": "DATO"}
_HELP_EXTRA = re.compile(r"\s*\[([^\[\]]*)\]$")


def _danish_metavar(param: click.Parameter) -> str | None:
    if isinstance(param, click.Argument):
        name = _ARGUMENT_NAMES.get(param.name or "", (param.name or "").upper())
        name = name if param.required else f"[{name}]"
        return name + "..." if param.nargs != 1 else name
    if isinstance(param, click.Option) and not param.is_flag and param.nargs == 1 and not (
            isinstance(param.type, click.Choice)):
        return _TYPE_NAMES.get(param.type.name.lower(), param.type.name.upper())
    return None


def _danish_extra(extra: str) -> str:
    """click's '[default: x; x>=1; required]' as '[standard: x; mindst 1; påkrævet]'."""
    parts = []
    for part in (p.strip() for p in extra.split(";")):
        if part.startswith("default: "):
            parts.append("standard: " + part.removeprefix("default: ").strip("()"))
        elif part == "required":
            parts.append("påkrævet")
        elif match := re.fullmatch(r"(-?[\d.]+)<=x<=(-?[\d.]+)", part):
            parts.append(f"{match[1]}-{match[2]}")
        elif match := re.fullmatch(r"x>=(-?[\d.]+)", part):
            parts.append(f"mindst {match[1]}")
        elif match := re.fullmatch(r"x<=(-?[\d.]+)", part):
            parts.append(f"højst {match[1]}")
        else:
            parts.append(part)
    return f"[{'; '.join(parts)}]"


class _DanishHelp(click.Command):
    """--help in Danish: headings, argument and value names, defaults and ranges, and the help
    option's own text. Every command of the group gets it (``command_class``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None:
                param.metavar = _danish_metavar(param)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Brug: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(names, _HELP_EXTRA.sub(lambda m: "  " + _danish_extra(m[1]), text))
                for param in self.get_params(ctx)
                if not isinstance(param, click.Argument)
                and (record := param.get_help_record(ctx)) is not None
                for names, text in [record]]
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
        click.echo(f"{summary}: {tally(n_errors, n_warnings)}", err=True)
    return 1 if n_errors else 0


def count(n: int, one: str, many: str) -> str:
    """'1 fil', '2 filer', 'ingen filer'."""
    return f"ingen {many}" if n == 0 else f"1 {one}" if n == 1 else f"{n} {many}"


def tally(n_errors: int, n_warnings: int) -> str:
    if not n_errors and not n_warnings:
        return "ingen fejl eller advarsler"
    return f"{n_errors} fejl, {count(n_warnings, 'advarsel', 'advarsler').replace('ingen', '0')}"


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
    """Kontrollér standarderne i STI (filer eller mapper med undermapper; standard:
    standards/) og kommunens egne skabeloner, uden at skrive noget."""
    from standardgen import klarsprog, revision
    from standardgen.catalogue import load_catalogue
    from standardgen.render.templating import override_problems

    catalogue = load_catalogue(require_paths(paths), revision.today())
    found = [*catalogue.problems, *override_problems()]
    problems = promote_warnings(found) if strict else found
    readability = klarsprog.check_problems(catalogue.standards, per_section=lix_sections)
    problems += promote_warnings(readability) if strict else readability
    sys.exit(report(problems, fmt, summary=checked_where(catalogue.files)))


def checked_where(files: Sequence[Path]) -> str:
    """'Kontrollerede 3 standarder (2 i standards, 1 i standards/handicap)'."""
    from standardgen.problems import display_path

    folders: dict[str, int] = {}
    for path in files:
        folder = display_path(path.parent) if str(path.parent) != "." else "."
        folders[folder] = folders.get(folder, 0) + 1
    checked = f"Kontrollerede {count(len(files), 'standard', 'standarder')}"
    if len(folders) == 1:
        return f"{checked} i {next(iter(folders))}"
    where = ", ".join(f"{n} i {folder}" for folder, n in folders.items())
    return f"{checked} ({where})" if where else checked


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
@click.option("--today", metavar="DATO", show_default="i dag",
              help="Regn som om det er denne dag (ÅÅÅÅ-MM-DD), fx for at se næste års plan.")
def status(paths: tuple[Path, ...], fmt: str, today: str | None) -> None:
    """Vis godkendelse, næste revision og om revisionen forfalder, for hver standard i STI
    (standard: standards/)."""
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
@click.option("--municipality", help="Kommunen: filen OUT/municipalities/ID.yaml, uden .yaml; "
              "findes den ikke, oprettes den med vejledning.")
@click.option("--title", help="Standardens titel, fx 'Kvalitetsstandard: Praktisk hjælp'.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_STANDARDS,
              show_default=True, help="Mappen med standarderne.")
def new(slug: str, municipality: str | None, title: str | None, out: Path) -> None:
    """Opret OUT/SLUG.yaml med alle afsnit og vejledning, der skal erstattes (og kommunefilen,
    hvis den mangler)."""
    from standardgen import revision, scaffold
    from standardgen.catalogue import load_catalogue

    request = scaffold.NewStandard(slug, out, municipality, title)
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    written = scaffold.create(request, revision.today())
    for path in written:
        click.echo(f"skrevet: {path}")
    target = written[-1]
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
    """Opfølgningsskemaer: 'form STI...' laver skemaer, 'form read FIL.pdf' læser et udfyldt."""


@form.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both",
              show_default=True, help="PDF-formular, Word-dokument eller begge.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/forms"),
              show_default=True, help="Mappe, skemaerne skrives til.")
@click.option("--due-before", type=_DateParam(), default=None,
              help="Kun sager, hvis opfølgning (follow_up.due) ligger før denne dato.")
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              show_default="standards/", help="Standarder (fil eller mappe; kan gentages).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, show_default="antal kerner",
              help="Processer, der laver PDF-skemaer samtidig.")
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
    sys.exit(report(plan.problems,
                    summary=f"{count(len(plan.jobs), 'skema', 'skemaer')} til {out} "
                            f"fra {count(plan.read, 'sag', 'sager')}{not_due}"))


@form.command("read")
@click.argument("filled", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              show_default="YAML udskrives", help="YAML-fil, der skrives.")
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
@click.option("--base-url", show_default="kommunens web-adresse + /kvalitetsstandarder/",
              help="Sidens offentlige adresse (sitemap, kanoniske links).")
@click.option("--jobs", type=click.IntRange(min=1), show_default="antal kerner",
              help="Antal processer til PDF.")
def build(paths: tuple[Path, ...], out: Path, base_url: str | None, jobs: int | None) -> None:
    """Udgiv standarderne i STI (standard: standards/) som hjemmeside, PDF, Word og JSON i
    OUT/site."""
    from standardgen.publish.build import build as run_build

    result = run_build(require_paths(paths), out, base_url=base_url, jobs=jobs)
    sys.exit(report(result.problems, summary=_build_summary(result)))


def _build_summary(result: BuildResult) -> str:
    if not result.ok:
        return "intet skrevet"
    written = count(len(result.written), "fil", "filer")
    kept = "intet var ændret" if not result.written else (
        f"{count(len(result.unchanged), 'del', 'dele')} var uændret")
    removed = f", {count(len(result.removed), 'fil', 'filer')} fjernet" if result.removed else ""
    return f"{result.site}: {written} skrevet ({kept}){removed}"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Mappe til resultatet; hjemmesiden lægges i OUT/site.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Porten på denne maskine (0: en ledig port).")
@click.option("--bind", "host", default="127.0.0.1", show_default=True,
              help="Adressen serveren lytter på; kun denne maskine som standard.")
def serve(paths: tuple[Path, ...], out: Path, port: int, host: str) -> None:
    """Vis hjemmesiden lokalt og byg igen, når en standard eller skabelon i STI (standard:
    standards/) ændres."""
    from standardgen.publish.serve import PortInUse
    from standardgen.publish.serve import serve as run_serve

    def built(result: BuildResult) -> None:
        report(result.problems, summary=_build_summary(result))

    def started(url: str) -> None:
        click.echo(f"Forhåndsvisning: {url}  (stop med Ctrl-C)", err=True)

    try:
        run_serve(require_paths(paths), out, host=host, port=port, on_build=built,
                  on_start=started)
    except PortInUse:
        raise click.ClickException(
            f"porten {port} er optaget (kører en anden forhåndsvisning?); vælg en anden med "
            f"--port, fx --port {port + 1 if port < 65535 else 8000}") from None


# --- standardgen letter: decision letters ------------------------------------------------------

@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="both",
              show_default=True, help="PDF/A-2a og PDF/UA-1, redigerbar Word eller begge.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output/letters"),
              show_default=True, help="Mappe til brevene (<sagsnummer>.pdf/.docx).")
@click.option("--standards", "standards", multiple=True, type=click.Path(path_type=Path),
              show_default="standards/", help="Standarder (filer eller mapper; kan gentages).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, show_default="antal kerner",
              help="Antal processer.")
@click.option("--check", "check_pdfs", is_flag=True,
              help="Kontrollér færdige PDF-breve i STI til rudekuvert og fjernprint (A4, "
                   "adressen i ruden, tekst i det printbare område, indlejrede skrifter) i "
                   "stedet for at skrive breve.")
def letter(paths: tuple[Path, ...], fmt: str, out: Path, standards: tuple[Path, ...],
           jobs: int | None, check_pdfs: bool) -> None:
    """Skriv afgørelsesbreve for sagerne i STI (sags-YAML-filer eller en CSV-fil), eller
    kontrollér færdige breve med --check."""
    from standardgen.letters.batch import Format
    from standardgen.letters.run import write_letters

    if check_pdfs:
        from standardgen.letters.preflight import check_files

        problems = check_files(paths)
        checked = count(len(paths), "brev", "breve")
        sys.exit(report(problems, summary=f"Kontrollerede {checked} til print"))

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


# --- standardgen init and doctor: a municipality's own repository (issue 11) -------------------

@main.command()
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
    from standardgen import revision, starter

    request = starter.InitRequest(folder, municipality, ci, slug)  # type: ignore[arg-type]
    problem = request.usage_problem()
    if problem:
        raise click.UsageError(problem)
    for path in starter.create(request, revision.today()):
        click.echo(f"skrevet: {path}")
    where = "" if folder == Path(".") else f"cd {folder}, "
    click.echo(f"Næste skridt: {where}erstat teksterne i [[VEJLEDNING: ...]] i standards/, "
               "kontrollér med 'standardgen check', og se siden med 'standardgen serve'.")


@main.command()
def doctor() -> None:
    """Kontrollér, at biblioteker og skrifttyper, som kommandoerne bruger, er installeret."""
    from standardgen.doctor import examine

    lines, code = examine()
    for line in lines:
        click.echo(line)
    sys.exit(code)


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
