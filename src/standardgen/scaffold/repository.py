"""``standardgen init``: a municipality's own repository of standards, from an empty folder.

A municipality does not work inside a clone of standardgen: it keeps its standards in a
repository of its own, installs the tool, and publishes from CI. ``init`` lays that repository
out: the municipality file and one standard from the scaffolds (with guidance for the author),
the JSON Schemas and the editor settings that bind them to the YAML files, ``.gitignore``, a CI
file that installs exactly the standardgen that ran ``init`` (:mod:`standardgen.scaffold.origin`),
a git-ignored ``sager/`` folder for case files with a pre-commit hook that refuses CPR numbers
(:mod:`standardgen.core.gitguard`), and a short Danish README for policy staff. The wording of
those files lives in ``templates/init/`` and ``templates/new/``.

Everything is rendered and validated first; then the files are written, never over an existing
one; then, in a folder that is not yet in a git repository, ``git init`` with the hook switched
on, so the very first ``git add .`` is guarded.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from standardgen import __version__
from standardgen.core.codes import Code
from standardgen.core.patterns import SLUG
from standardgen.core.problems import InputError, Problem, Severity, display_path
from standardgen.scaffold import standard as scaffold
from standardgen.scaffold.origin import NOTE, Source

Ci = Literal["github", "gitlab", "ingen"]
STANDARDS = Path("standards")
_CI_FILES = {"github": Path(".github/workflows/kvalitetsstandarder.yml"),
             "gitlab": Path(".gitlab-ci.yml")}
_CI_TEMPLATES = {"github": "init/github-actions.yml", "gitlab": "init/gitlab-ci.yml"}
# Files copied as they are rendered: target in the new repository -> template.
_PLAIN = {Path("README.md"): "init/README.md", Path(".gitignore"): "init/gitignore",
          Path(".editorconfig"): "init/editorconfig",
          Path(".vscode/settings.json"): "init/vscode-settings.json",
          Path(".vscode/extensions.json"): "init/vscode-extensions.json",
          Path("sager/LÆS-MIG.md"): "init/sager-README.md"}
HOOKS = Path(".githooks")
_HOOK = HOOKS / "pre-commit"


@dataclass(frozen=True)
class InitRequest:
    folder: Path
    municipality: str  # as the user says it: "Aarhus" or "Aarhus Kommune"
    ci: Ci = "github"
    slug: str = "ny-standard"
    profile: str = scaffold.DEFAULT_PROFILE
    git: bool = True  # git init and switch the hook on, unless the folder is in a repository

    @property
    def name(self) -> str:
        name = " ".join(self.municipality.split())
        return name if name.lower().endswith("kommune") else f"{name} Kommune"

    @property
    def id(self) -> str:
        """The municipality's file name: 'Ærø Kommune' -> 'aeroe'."""
        text = re.sub(r"\s*kommune$", "", self.name.lower())
        for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
            text = text.replace(danish, ascii_)
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

    def usage_problem(self) -> str | None:
        if not self.municipality.strip() or not re.fullmatch(SLUG, self.id):
            return (f"'{self.municipality}' kan ikke bruges som kommunens navn; skriv fx "
                    "--municipality 'Aarhus'")
        if not re.fullmatch(SLUG, self.slug):
            return (f"'{self.slug}' kan ikke bruges som slug: brug små bogstaver a-z, tal og "
                    "bindestreger (fx 'praktisk-hjaelp')")
        if self.folder.exists() and not self.folder.is_dir():
            return f"{self.folder} er en fil, ikke en mappe"
        return None


def plan(request: InitRequest, day: dt.date, source: Source) -> dict[Path, str | bytes]:
    """Every file to write (path inside the new repository -> text or bytes), rendered and
    validated."""
    from standardgen.cases.schema import SCHEMAS
    from standardgen.cases.schema import render as render_schema

    town = scaffold.NewMunicipality(request.id, STANDARDS, request.name)
    municipality_text = scaffold.render_municipality(town)
    files: dict[Path, str | bytes] = {town.target: municipality_text}
    standard = scaffold.NewStandard(request.slug, STANDARDS, request.id, profile=request.profile)
    web = str(_yaml(municipality_text)["web"])
    files[standard.target] = scaffold.render(standard, day, web=web)
    for kind in SCHEMAS:
        files[Path("schema") / f"{kind}.schema.json"] = render_schema(kind)
    values = {"name": request.name, "id": request.id, "ci": request.ci, "version": __version__,
              "slug": request.slug, "install": source.install, "git": source.needs_git}
    for target, template in _PLAIN.items():
        files[target] = _render(template, values)
    files[_HOOK] = _render("init/pre-commit", values)
    if request.ci in _CI_FILES:
        files[_CI_FILES[request.ci]] = _render(_CI_TEMPLATES[request.ci], values)
    files.update(source.files)
    files[NOTE] = source.note()
    return files


def create(request: InitRequest, day: dt.date, source: Source) -> list[Path]:
    """Write the new repository; nothing at all if any of its files exists already."""
    from standardgen.core.fileio import write_atomic

    files = plan(request, day, source)
    existing = [request.folder / path for path in files if (request.folder / path).exists()]
    if existing:
        raise InputError([_exists(request.folder, existing)])
    written = []
    for path, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        write_atomic(request.folder / path, data, mode=0o755 if path == _HOOK else 0o644)
        written.append(request.folder / path)
    return written


def _exists(folder: Path, existing: list[Path]) -> Problem:
    """One line, however many files are in the way (init run twice wrote 16 identical ones)."""
    if len(existing) == 1:
        return Problem(display_path(existing[0]), 0, 0, Severity.ERROR,
                       "filen findes allerede; init skriver aldrig over en fil (vælg en tom "
                       "mappe)", Code.EXISTS)
    names = ", ".join(sorted(display_path(p) for p in existing)[:3])
    return Problem(display_path(folder), 0, 0, Severity.ERROR,
                   f"{len(existing)} af filerne, init skriver, findes allerede (fx {names}); "
                   "er arkivet oprettet før? init skriver aldrig over en fil (vælg en tom mappe)",
                   Code.EXISTS)


def start_git(folder: Path) -> str:
    """``git init`` with the hook switched on, in a folder outside any repository; what was
    done, in Danish, for the command to print."""
    from standardgen.core.gitguard import repository_root

    if shutil.which("git") is None:
        return ("git findes ikke på denne computer; slå git-krogen til med 'git config "
                f"core.hooksPath {HOOKS}', når arkivet er oprettet med git init")
    if repository_root(folder) is not None:
        return (f"mappen er allerede i et git-arkiv; slå git-krogen til med 'git config "
                f"core.hooksPath {HOOKS}'")
    for args in (["init", "--quiet"], ["config", "core.hooksPath", str(HOOKS)]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)
    return f"git-arkiv oprettet; krogen {_HOOK} afviser CPR-numre uden for sager/"


def _yaml(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def _render(template: str, values: dict[str, object]) -> str:
    # Plain text files (Markdown, YAML, JSON): nothing to escape, and CI files keep their own
    # ${{ }} in {% raw %}; still sandboxed and strict about a missing value.
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from standardgen.core.templates import template_folders

    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(folder) for folder in template_folders()]),
        autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template(template).render(**values)
