"""Where templates are found, and the Jinja environments they are rendered with.

Lookup (as MkDocs ``custom_dir`` and Sphinx ``templates_path``): a municipality's own folders
first, holding only the files it changes, then the built-in templates. The override folders are
``$STANDARDGEN_TEMPLATES`` (when set) and ``templates/`` in the folder standardgen runs in (a
municipality repository's own). The built-in templates ship inside the package
(``standardgen/templates``, copied there from the repository's ``templates/`` when the wheel is
built); in a source checkout they are read from ``templates/`` directly.

Renderers join file names onto one folder (``templates_dir() / "letter" / "wording.yaml"``), so
when there are overrides ``templates_dir()`` returns a merged view: a private folder of symbolic
links, each to the file that wins. Jinja itself searches the real folders, so an error in a
template names the municipality's own file.

An override folder is confined: a file in it that is a symbolic link out of it is never read
(not by Jinja, not by Typst, not by the wording loaders), see :func:`confined`.
"""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity
from standardgen.core.tempdirs import private_tempdir, remove_tempdir

ENV_VARIABLE = "STANDARDGEN_TEMPLATES"
OVERRIDE_DIR = "templates"  # a municipality repository's own, beside its standards/
_PACKAGED = Path(__file__).resolve().parents[1] / "templates"  # an installed wheel
_CHECKOUT = Path(__file__).resolve().parents[3] / "templates"  # a source checkout
_CHAIN_FILE = ".standardgen-chain"  # in a merged view: the real folders, one a line
VIEW_PREFIX = "standardgen-templates-"  # a merged view's folder (a killed run's is swept)
_IGNORED = ("__pycache__", ".git")


def builtin_templates() -> Path:
    """The templates that come with standardgen."""
    folder = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, 0, Severity.ERROR,
                                  "standardgens egne skabeloner mangler; installér standardgen "
                                  "igen", Code.TEMPLATES)])
    return folder


def override_folders() -> list[Path]:
    """The municipality's own template folders, most important first."""
    folders = []
    named = os.environ.get(ENV_VARIABLE)
    if named:
        folder = Path(named)
        if not folder.is_dir():
            raise InputError([Problem(
                str(folder), 0, 0, Severity.ERROR,
                f"skabelonmappen findes ikke; ret eller fjern miljøvariablen {ENV_VARIABLE}",
                Code.TEMPLATES)])
        folders.append(folder.resolve())
    local = Path(OVERRIDE_DIR)
    if local.is_dir():
        folders.append(local.resolve())
    return folders


def template_folders() -> tuple[Path, ...]:
    """Every folder a template is looked up in, first match wins; the built-in folder last."""
    chain: list[Path] = []
    for folder in [*override_folders(), builtin_templates()]:
        resolved = folder.resolve()
        if resolved not in chain:
            chain.append(resolved)
    return tuple(chain)


def templates_dir() -> Path:
    """One folder holding every template, the municipality's own where it has one.

    Without overrides this is the built-in folder itself; with them, a merged view (see the
    module's docstring) that lives as long as this process.
    """
    chain = template_folders()
    if len(chain) == 1:
        return chain[0]
    return _merged(chain)


def template_file(name: str) -> Path:
    """The file that wins for ``name`` (``letter/wording.yaml``): the municipality's own if it
    has one, else the built-in one. Used to name the file a problem is in."""
    for folder in template_folders():
        if (folder / name).is_file() and confined(folder, folder / name):
            return folder / name
    return builtin_templates() / name


def confined(folder: Path, path: Path) -> bool:
    """Whether ``path``, all symbolic links followed, lies inside ``folder``. An override folder
    holds wording and layout: a link in it to a file elsewhere (``/etc/passwd``, a citizen's
    letter) would let a template print that file into the site or a letter, so such a file is
    treated as absent (`check` names it, :func:`escaping_links`)."""
    return path.resolve().is_relative_to(folder.resolve())


def escaping_links() -> list[Problem]:
    """A located error for every file in an override folder that leads out of it."""
    problems = []
    for folder in override_folders():
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() and not confined(folder, path):
                problems.append(Problem(
                    str(path), 0, 0, Severity.ERROR,
                    "skabelonen er et symbolsk link ud af skabelonmappen og bruges ikke; kopiér "
                    "filen ind i mappen i stedet", Code.TEMPLATE_LINK))
    return problems


def chain_of(folder: Path) -> tuple[Path, ...]:
    """The real folders behind ``folder``: those of a merged view, else ``folder`` alone."""
    listing = folder / _CHAIN_FILE
    if listing.is_file():
        return tuple(Path(line) for line in listing.read_text(encoding="utf-8").splitlines())
    return (folder,)


_views: dict[tuple[tuple[str, str], ...], Path] = {}


def _merged(chain: tuple[Path, ...]) -> Path:
    """A folder of links to the winning file of every name; made again only when the set of
    files or their owners change (serve asks on every rebuild)."""
    winners: dict[str, Path] = {}
    for folder in reversed(chain):
        for path in folder.rglob("*"):
            if path.is_file() and not set(path.relative_to(folder).parts) & set(_IGNORED) \
                    and confined(folder, path):
                winners[path.relative_to(folder).as_posix()] = path
    key = tuple(sorted((name, str(path)) for name, path in winners.items()))
    if key in _views and _views[key].is_dir():
        return _views[key]
    view = private_tempdir(VIEW_PREFIX)
    atexit.register(remove_tempdir, view)
    for name, path in winners.items():
        target = view / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.symlink_to(path)
        except OSError:  # no symbolic links (Windows without the right): a copy does
            shutil.copy2(path, target)
    (view / _CHAIN_FILE).write_text("".join(f"{folder}\n" for folder in chain), encoding="utf-8")
    _views[key] = view
    return view
