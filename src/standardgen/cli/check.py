"""``standardgen check`` and ``standardgen schema``: validate the sources, describe their format."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from standardgen.cli.common import count, report, require_paths
from standardgen.cli.i18n import DanishCommand
from standardgen.cli.options import paths_argument
from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity, promote_warnings


@click.command(cls=DanishCommand)
@paths_argument()
@click.option("--strict", is_flag=True, help="Gør advarsler til fejl.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "gitlab"]),
              default="text", show_default=True,
              help="Linjer (fil:linje:kolonne), JSON, GitHub-annotationer eller GitLab Code "
                   "Quality-rapport.")
@click.option("--lix-sections", is_flag=True,
              help="Vis også LIX (klarsprog) for hvert afsnit, ikke kun for hele standarden.")
@click.option("--staged", is_flag=True,
              help="Kontrollér kun filerne, der er klar til commit, for CPR-numre (git-krogen "
                   "pre-commit bruger det).")
def check(paths: tuple[Path, ...], strict: bool, fmt: str, lix_sections: bool,
          staged: bool) -> None:
    """Kontrollér standarderne i STI (filer eller mapper med undermapper; standard:
    standards/) og kommunens egne skabeloner, uden at skrive noget. I kommunens arkiv
    kontrolleres også, at ingen fil i git uden for sager/ har et CPR-nummer."""
    from standardgen.standards import plain_language, revision
    from standardgen.standards.catalogue import load_catalogue

    if staged:
        sys.exit(_staged(fmt))
    catalogue = load_catalogue(require_paths(paths), revision.today())
    found = [*catalogue.problems, *override_problems(), *_personal_data()]
    problems = promote_warnings(found) if strict else found
    readability = plain_language.check_problems(catalogue.standards, per_section=lix_sections)
    problems += promote_warnings(readability) if strict else readability
    sys.exit(report(problems, fmt, summary=checked_where(catalogue.files)))


def _staged(fmt: str) -> int:
    """The pre-commit hook: only what is about to be committed, in any repository."""
    from standardgen.core import gitguard

    root = gitguard.repository_root(Path.cwd())
    if root is None:
        raise click.UsageError("--staged kræver et git-arkiv (kør i kommunens arkiv)")
    return report(gitguard.index_problems(root, staged_only=True), fmt,
                  summary="Kontrollerede filerne til commit for CPR-numre")


def _personal_data() -> list[Problem]:
    """In a municipality's repository: no file in git may hold personal data."""
    from standardgen.core import gitguard

    root = gitguard.repository_root(Path.cwd())
    if root is None or not gitguard.is_municipality_repository(root):
        return []
    return gitguard.index_problems(root)


def override_problems() -> list[Problem]:
    """A municipality's own wording files are validated as strictly as ours."""
    from standardgen.core.templates import builtin_templates, escaping_links, override_folders

    problems: list[Problem] = escaping_links()
    builtin = builtin_templates().resolve()
    for folder in override_folders():
        if folder == builtin:  # run from this repository: its templates/ are the built-in ones
            continue
        problems += _own_templates(folder, builtin)
        if any((folder / "letter").glob("*")):
            problems += _trial_letters()
        if (folder / "letter" / "wording.yaml").is_file():
            problems.extend(_letter_wording(folder))
        if (folder / "diff" / "wording.yaml").is_file():
            problems.extend(_diff_wording(folder / "diff" / "wording.yaml"))
    return problems


def _own_templates(folder: Path, builtin: Path) -> list[Problem]:
    """Which built-in templates the municipality's folder replaces: said, so that a letter or
    page that looks different can be traced to its file (`check` does not render a letter)."""
    from standardgen.core.templates import confined

    return [Problem(str(path), 0, 0, Severity.INFO,
                    "kommunens egen skabelon bruges i stedet for standardgens", Code.TEMPLATE)
            for path in sorted(folder.rglob("*"))
            if path.is_file() and confined(folder, path)
            and (builtin / path.relative_to(folder)).is_file()]


# The letter templates a trial letter goes through, per format.
_LETTER_TEMPLATES = {"pdf": "letter/letter.typ", "docx": "letter/document.xml"}


def _trial_letters() -> list[Problem]:
    """The municipality's letter templates tried on the first case of the examples that ship
    with standardgen (a fictitious town and citizen), as PDF and as Word, in a private
    temporary folder that is removed: a template that breaks every letter is named here, not by
    the first real batch."""
    import tempfile

    from standardgen.core.templates import template_file, templates_dir
    from standardgen.letters.batch import Format
    from standardgen.letters.run import write_letters
    from standardgen.scaffold.case import examples_folder

    examples = examples_folder()
    case = sorted((examples / "cases").glob("*.yaml"))[0]
    problems = []
    for fmt, name in _LETTER_TEMPLATES.items():
        with tempfile.TemporaryDirectory(prefix="standardgen-check-") as out:
            outcome = write_letters([case], [examples / "standards"], Path(out), (Format(fmt),),
                                    jobs=1, templates=templates_dir())
        problems += [Problem(str(template_file(name)), 0, 0, Severity.ERROR,
                             f"et prøvebrev ({fmt}, eksemplets sag {case.name}) kunne ikke "
                             f"laves med kommunens skabeloner: {problem.message}", Code.TEMPLATE)
                     for problem in outcome.problems if problem.severity is Severity.ERROR]
    return problems


def _letter_wording(folder: Path) -> list[Problem]:
    from standardgen.cases.wording import load_wording

    try:
        load_wording.__wrapped__(folder)  # read afresh: the user may just have saved
    except InputError as exc:
        return list(exc.problems)
    return []


def _diff_wording(path: Path) -> list[Problem]:
    from standardgen.approval.wording import Wording
    from standardgen.core.validation import load

    try:
        load(path, Wording)
    except InputError as exc:
        return list(exc.problems)
    return []


def checked_where(files: Sequence[Path]) -> str:
    """'Kontrollerede 3 standarder (2 i standards, 1 i standards/handicap)'."""
    from standardgen.core.problems import display_path

    folders: dict[str, int] = {}
    for path in files:
        folder = display_path(path.parent) if str(path.parent) != "." else "."
        folders[folder] = folders.get(folder, 0) + 1
    checked = f"Kontrollerede {count(len(files), 'standard', 'standarder')}"
    if len(folders) == 1:
        return f"{checked} i {next(iter(folders))}"
    where = ", ".join(f"{n} i {folder}" for folder, n in folders.items())
    return f"{checked} ({where})" if where else checked


@click.command(cls=DanishCommand)
@click.option("--out", type=click.Path(path_type=Path), default=Path("schema"), show_default=True,
              help="Mappe, som JSON-skemaerne skrives til.")
def schema(out: Path) -> None:
    """Skriv JSON-skemaerne for YAML-formaterne (til editorens autofuldførelse)."""
    from standardgen.cases.schema import write_all

    for path in write_all(out):
        click.echo(f"skrevet: {path}")
