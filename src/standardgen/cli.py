"""The command line. Thin on purpose: parse options, call the pipeline, print problems, exit.

Exit codes: 0 all good, 1 problems in the input, 2 wrong use of the command.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from standardgen import __version__
from standardgen.problems import Problem, Severity, errors, promote_warnings, to_json

if TYPE_CHECKING:
    from standardgen.publish.build import BuildResult

DEFAULT_STANDARDS = Path("standards")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standardgen")
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
def check(paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Kontrollér standarderne i PATHS (standard: standards/) uden at skrive noget."""
    from standardgen.catalogue import load_catalogue

    catalogue = load_catalogue(require_paths(paths))
    problems = promote_warnings(catalogue.problems) if strict else list(catalogue.problems)
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
