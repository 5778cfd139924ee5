"""``standardgen build``: every standard into a web root, incrementally, reproducibly, atomically.

The build reads and validates everything first and writes nothing when anything is wrong. Each
group of files (one standard's page, PDF, Word and JSON; the catalogue and sitemap; the static
assets) is keyed by a hash of everything it is made from: the parsed standard and municipality,
the templates, the package's own code and the site address. ``output/.standardgen-cache.json``
remembers the keys, so a rebuild with nothing changed renders nothing, and a changed standard
re-renders its own files and the catalogue only. No file holds the time it was made, and only the
catalogue its day (``$STANDARDGEN_TODAY`` fixes it), so two builds of the same sources are
byte-identical.

Several municipalities in one build each get a web root of their own, ``site/<municipality id>/``
(catalogue, sitemap, static files and their standards), so that no file of one names another; a
build of one municipality's standards keeps ``site/`` itself as the web root.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from standardgen import __version__
from standardgen.core.codes import Code
from standardgen.core.fileio import inside, os_error_message, write_atomic
from standardgen.core.pool import cores
from standardgen.core.problems import InputError, Problem, Severity, display_path, errors
from standardgen.core.yamlsource import iter_standard_files

if TYPE_CHECKING:
    import jinja2

    from standardgen.publish.documents import Renderer
    from standardgen.standards.catalogue import LoadedStandard

MANIFEST = ".standardgen-cache.json"
SITE = "site"
MANIFEST_FORMAT = 2
PACKAGE = Path(__file__).resolve().parents[1]
STATIC = Path("site") / "static"
# Below this many standards a process pool costs more than it saves.
POOL_THRESHOLD = 4
# WeasyPrint's memory grows over many documents in one process: recycle the workers (cheap:
# they are forked from a parent that has already loaded WeasyPrint, the fonts and the templates).
TASKS_PER_WORKER = 25


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    site: Path | None = None

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


@dataclass(frozen=True)
class Site:
    """One municipality's web root: ``prefix`` below ``out/site`` ("" when it is alone) and the
    public address it is published at."""

    municipality: str
    prefix: str
    base: str
    items: tuple[LoadedStandard, ...]


@dataclass
class _Plan:
    """What the manifest says each group of files was made from, and which groups are stale."""

    keys: dict[str, str]
    files: dict[str, tuple[str, ...]]
    stale: list[str] = field(default_factory=list)


def build(paths: Iterable[Path], out: Path, *, base_url: str | None = None,
          templates: Path | None = None, jobs: int | None = None,
          today: dt.date | None = None) -> BuildResult:
    """Render the standards in ``paths`` into ``out/site``; see the module docstring. ``today``
    (by default the clock's, or ``$STANDARDGEN_TODAY``) decides the revision warnings."""
    from standardgen.core.templates import templates_dir
    from standardgen.standards import revision
    from standardgen.standards.catalogue import load_catalogue, standards_in_tree

    try:
        day = today or revision.today()  # read here, once per build: serve rebuilds for days
    except InputError as exc:
        return BuildResult(tuple(exc.problems))
    paths = standards_in_tree(paths)
    templates = templates or templates_dir()
    old = _read_manifest(out)
    # Hashed before anything is parsed: a file saved during the build then makes the next build
    # see a change, instead of the manifest claiming bytes that were never rendered.
    old_sources = old.get("sources", [])
    inputs = _inputs_digest(paths, old_sources, templates, base_url, day)
    replay = _problems_from(old)
    if old.get("inputs") == inputs and replay is not None and _all_exist(out, _manifest_files(old)):
        # The very bytes that validated and rendered last time, with the same code, on the same
        # day (the revision warnings count the days): skip parsing, and repeat the warnings.
        return BuildResult(replay, unchanged=tuple(sorted(old["groups"])), site=out / SITE)
    catalogue = load_catalogue(paths, day)
    problems = list(catalogue.problems)
    problems += _shared_ids(catalogue.standards)
    if errors(problems):
        return BuildResult(tuple(problems))
    items = catalogue.standards
    sites = split_sites(base_url, items)
    plan = _plan(sites, templates)
    groups = old.get("groups", {})
    plan.stale = [group for group, key in plan.keys.items()
                  if groups.get(group, {}).get("key") != key
                  or not _all_exist(out, plan.files[group])]
    try:
        rendered = _render(plan.stale, sites, templates, jobs)
    except _TemplateFailure as failure:
        return BuildResult((*problems, failure.problem))
    site = out / SITE
    try:
        removed = _write_site(out, rendered, groups, plan, sites)
    except OSError as exc:
        return BuildResult((*problems, _write_problem(exc, out)))
    sources = sorted({str(path) for item in items
                      for path in (item.municipality_file, item.logo_file) if path})
    if sources != old_sources:
        inputs = _inputs_digest(paths, sources, templates, base_url, day)
    _write_manifest(out, plan, inputs, sources, problems)
    unchanged = tuple(sorted(group for group in plan.keys if group not in plan.stale))
    return BuildResult(tuple(problems), tuple(sorted(rendered)), removed, unchanged, site)


def split_sites(base_url: str | None, items: Sequence[LoadedStandard]) -> list[Site]:
    """One web root per municipality. Alone, it is ``site/`` at ``base_url``; with others, it is
    ``site/<id>/`` at ``base_url + <id>/``, or without ``base_url`` at its own default address."""
    by_town: dict[str, list[LoadedStandard]] = {}
    for item in items:
        by_town.setdefault(item.standard.municipality, []).append(item)
    if len(by_town) <= 1:
        town = next(iter(by_town), "")
        return [Site(town, "", site_address(base_url, items), tuple(items))]
    root = _slashed(base_url) if base_url else None
    return [Site(town, f"{town}/", f"{root}{town}/" if root else site_address(None, own),
                 tuple(own)) for town, own in sorted(by_town.items())]


def site_address(base_url: str | None, items: Sequence[LoadedStandard]) -> str:
    """The absolute address the site is published at (for the sitemap, canonical links and
    JSON-LD); by default ``<municipality web>/kvalitetsstandarder/``."""
    from standardgen.publish.documents import site_item

    if base_url:
        return _slashed(base_url)
    first = site_item(items)
    assert first is not None, "a build has at least one standard"
    return first.municipality.web.rstrip("/") + "/kvalitetsstandarder/"


def _slashed(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _shared_ids(items: Sequence[LoadedStandard]) -> list[Problem]:
    """Two municipality files with the same id would publish into one web root."""
    files: dict[str, list[Path]] = {}
    for item in items:
        own = files.setdefault(item.standard.municipality, [])
        if item.municipality_file not in own:
            own.append(item.municipality_file)
    return [Problem(display_path(path), 1, 1, Severity.ERROR,
                    f"kommune-id'et '{town}' bruges også af {display_path(paths[0])}; giv hver "
                    "kommune sit eget id (filnavn), så de får hver sin hjemmeside",
                    Code.MUNICIPALITY_ID)
            for town, paths in sorted(files.items()) for path in paths[1:]]


# --- planning -----------------------------------------------------------------------------------

def _inputs_digest(paths: Sequence[Path], sources: Iterable[str], templates: Path,
                   base_url: str | None, day: dt.date) -> str:
    """Every byte the output and its warnings are made from: the standards, the municipality
    files the last build used, the templates, the package's code, the site address given and
    the day (a warning says "om 20 dage")."""
    files = [f for path in paths
             for f in (iter_standard_files(path) if path.is_dir() else [path])]
    files += [Path(source) for source in sources]
    hasher = hashlib.sha256()
    for part in (__version__, _code_digest(), _tree_digest(templates), base_url or "",
                 day.isoformat()):
        hasher.update(part.encode() + b"\0")
    for path in files:
        hasher.update(str(path.resolve()).encode() + b"\0")
        try:
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            hasher.update(b"missing")
    return hasher.hexdigest()


def _plan(sites: Sequence[Site], templates: Path) -> _Plan:
    from standardgen.publish.documents import CATALOGUE_FILES, logo_files, standard_files

    code = _digest(__version__, _code_digest(), _tree_digest(templates))
    static = templates / STATIC
    assets = tuple(f"static/{p.relative_to(static).as_posix()}"
                   for p in sorted(static.rglob("*")) if p.is_file())
    keys: dict[str, str] = {}
    files: dict[str, tuple[str, ...]] = {}
    for site in sites:
        common, own = _digest(code, site.base), []
        for item in site.items:
            group = f"standard:{item.slug}"
            keys[group] = _digest(common, item.standard.model_dump_json(),
                                  item.municipality.model_dump_json())
            files[group] = _under(site, standard_files(item.slug))
            own.append(keys[group])
        catalogue, static_group = _site_groups(site, sites)
        keys[catalogue] = _digest(common, *sorted(own))
        files[catalogue] = _under(site, CATALOGUE_FILES)
        logos = logo_files(site.items)
        keys[static_group] = _digest(_tree_digest(static), *(
            f"{name}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
            for name, path in logos.items()))
        files[static_group] = _under(site, (*assets, *logos))
    return _Plan(keys, files)


def _site_groups(site: Site, sites: Sequence[Site]) -> tuple[str, str]:
    """The catalogue's and the static files' groups: named as before when the site is alone."""
    if len(sites) == 1:
        return "catalogue", "static"
    return f"catalogue:{site.municipality}", f"static:{site.municipality}"


def _under(site: Site, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(site.prefix + name for name in names)


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def _tree_digest(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The package's own code and data: a changed renderer must re-render everything. Cached:
    the code a running process uses cannot change under it (a preview server rebuilds often)."""
    hasher = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml")]):
        hasher.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _all_exist(out: Path, names: Iterable[str]) -> bool:
    return all((out / SITE / name).is_file() for name in names)


# --- rendering ----------------------------------------------------------------------------------

class _TemplateFailure(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def _render(stale: Sequence[str], sites: Sequence[Site], templates: Path,
            jobs: int | None) -> dict[str, bytes]:
    """Every stale group's files in memory: nothing is written unless all of them rendered."""
    from standardgen.publish.documents import Renderer

    global _worker
    bases = {site.municipality: site.base for site in sites}
    prefixes = {site.municipality: site.prefix for site in sites}
    renderer = Renderer(templates, bases)
    _worker = (renderer, templates)
    by_group = {f"standard:{item.slug}": item for site in sites for item in site.items}
    todo = [by_group[group] for group in stale if group in by_group]
    rendered: dict[str, bytes] = {}
    for item, files in zip(todo, _render_standards(todo, templates, bases, jobs), strict=True):
        rendered.update(_prefixed(prefixes[item.standard.municipality], files))
    for site in sites:
        catalogue, static = _site_groups(site, sites)
        if catalogue in stale:
            rendered.update(_prefixed(site.prefix, _guarded(
                templates, lambda site=site: renderer.catalogue(site.items))))
        if static in stale:
            rendered.update(_prefixed(site.prefix, renderer.static(site.items)))
    return rendered


def _prefixed(prefix: str, files: dict[str, bytes]) -> dict[str, bytes]:
    return {prefix + name: data for name, data in files.items()}


def _render_standards(todo: Sequence[LoadedStandard], templates: Path, bases: dict[str, str],
                      jobs: int | None) -> list[dict[str, bytes]]:
    """The first standard here, which also loads WeasyPrint, the fonts and the templates; the
    rest in a pool of processes forked from this warm one (on Linux; elsewhere they start cold)."""
    if not todo:
        return []
    results = [_work(todo[0])]
    workers = min(jobs or cores(), len(todo) - 1)
    if workers <= 1 or len(todo) < POOL_THRESHOLD:
        results += [_work(item) for item in todo[1:]]
    else:
        context = multiprocessing.get_context(_start_method())
        with context.Pool(workers, initializer=_start_worker, initargs=(templates, bases),
                          maxtasksperchild=TASKS_PER_WORKER) as pool:
            results += pool.map(_work, todo[1:], chunksize=1)
    failures = [result for result in results if isinstance(result, Problem)]
    if failures:
        raise _TemplateFailure(failures[0])
    return [result for result in results if not isinstance(result, Problem)]


def _start_method() -> str:
    """Fork the warm process where that is safe: on Linux, and not while other threads run (the
    preview server's), since a forked child could inherit a lock held by one of them."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "forkserver" if sys.platform != "win32" else "spawn"


_worker: tuple[Renderer, Path] | None = None


def _start_worker(templates: Path, bases: dict[str, str]) -> None:
    global _worker
    if _worker is None or _worker[1] != templates or _worker[0].bases != bases:
        from standardgen.publish.documents import Renderer

        _worker = (Renderer(templates, bases), templates)


def _work(item: LoadedStandard) -> dict[str, bytes] | Problem:
    assert _worker is not None, "the renderer is set up before any work"
    return _render_one(*_worker, item)


def _render_one(renderer: Renderer, templates: Path,
                item: LoadedStandard) -> dict[str, bytes] | Problem:
    try:
        return _guarded(templates, lambda: renderer.standard(item))
    except _TemplateFailure as failure:
        return failure.problem


def _guarded(templates: Path, render: Any) -> dict[str, bytes]:
    """Run ``render``; a broken template (a municipality's own, say) becomes a located problem."""
    import jinja2

    try:
        result: dict[str, bytes] = render()
    except jinja2.TemplateError as exc:
        raise _TemplateFailure(_template_problem(exc, templates)) from None
    return result


def _template_problem(exc: jinja2.TemplateError, templates: Path) -> Problem:
    import jinja2

    from standardgen.core.templates import chain_of

    where, line = str(templates), 0
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno
    else:
        folders = tuple(str(folder) for folder in chain_of(templates))  # overrides too
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
                  if frame.filename.startswith(folders)]
        if frames:
            where, line = frames[-1].filename, frames[-1].lineno or 0
    return Problem(display_path(Path(where)), line, 0, Severity.ERROR,
                   f"fejl i skabelonen: {exc.message or exc}", Code.TEMPLATE)


# --- writing ------------------------------------------------------------------------------------

def _read_manifest(out: Path) -> dict[str, Any]:
    """The last build's manifest, or ``{}`` when there is none or it is not one we can trust."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    groups = data.get("groups")
    if not isinstance(groups, dict) or not all(
            isinstance(group, dict) and isinstance(group.get("key"), str)
            and isinstance(group.get("files"), list)
            and all(isinstance(name, str) for name in group["files"])
            for group in groups.values()):
        return {}
    problems = data.get("problems", [])
    sources = data.get("sources", [])
    if not isinstance(problems, list) or not isinstance(sources, list):
        return {}
    return data


def _manifest_files(manifest: dict[str, Any]) -> list[str]:
    return [name for group in manifest.get("groups", {}).values() for name in group["files"]]


def _problems_from(manifest: dict[str, Any]) -> tuple[Problem, ...] | None:
    try:
        return tuple(Problem(p["file"], p["line"], p["column"], Severity(p["severity"]),
                             p["message"], p["code"]) for p in manifest.get("problems", []))
    except (KeyError, TypeError, ValueError):
        return None


def _write_manifest(out: Path, plan: _Plan, inputs: str, sources: list[str],
                    problems: Sequence[Problem]) -> None:
    groups = {group: {"key": plan.keys[group], "files": list(plan.files[group])}
              for group in sorted(plan.keys)}
    data = {"format": MANIFEST_FORMAT, "inputs": inputs, "sources": sources, "groups": groups,
            "problems": [p.as_dict() for p in problems]}
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
    write_atomic(out / MANIFEST, (text + "\n").encode())


# --- writing -----------------------------------------------------------------------------------

STAGING = ".site-"  # beside site/: the next site while it is written, the last one while swapped


def _write_site(out: Path, rendered: dict[str, bytes], groups: dict[str, dict[str, Any]],
                plan: _Plan, sites: Sequence[Site]) -> tuple[str, ...]:
    """Write the build into a copy of ``site/`` and swap the copy in. A full disk (or a kill)
    while writing leaves the last site whole, never one half new; the copy is of hard links,
    so it costs no disk and little time, and a file written anew replaces its link only."""
    site = out / SITE
    _remove_staging(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out))
    try:
        os.chmod(staging, 0o755)  # a published site, not private like mkdtemp makes it
        _link_tree(site, staging)
        for name, data in sorted(rendered.items()):
            write_atomic(inside(staging, name), data)
        removed = _remove_stale(staging, groups, plan, sites)
        _swap(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return removed


def _link_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        copy = target / path.relative_to(source)
        if path.is_dir() and not path.is_symlink():
            copy.mkdir(exist_ok=True)
        elif path.is_file():
            try:
                os.link(path, copy)
            except OSError:  # a file system without hard links: a copy does
                shutil.copy2(path, copy)


def _swap(staging: Path, site: Path) -> None:
    """Two renames on one file system: for a moment there is no site/, never a half one."""
    old = staging.with_name(f"{STAGING}old-{staging.name[len(STAGING):]}")
    if site.exists():
        os.rename(site, old)
    os.rename(staging, site)
    shutil.rmtree(old, ignore_errors=True)


def _remove_staging(out: Path) -> None:
    """What a killed build left beside site/."""
    for leftover in out.glob(f"{STAGING}*") if out.is_dir() else []:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _write_problem(exc: OSError, out: Path) -> Problem:
    """The file that could not be written, named by its place in site/, and that nothing
    changed."""
    site = out / SITE
    path = Path(exc.filename) if exc.filename else site
    for index, part in enumerate(path.parts):
        if part.startswith(STAGING):  # a file in the copy: named as it would be in site/
            path = site.joinpath(*path.parts[index + 1:])
            break
    temporary = re.fullmatch(r"\.(.+)\.[0-9a-f]{8}\.tmp", path.name)  # fileio's temporary name
    if temporary:
        path = path.with_name(temporary[1])
    return Problem(display_path(path), 0, 0, Severity.ERROR,
                   f"{os_error_message(exc)}; intet er ændret i {display_path(site)}", Code.WRITE)


def _remove_stale(site: Path, old: dict[str, dict[str, Any]], plan: _Plan,
                  sites: Sequence[Site]) -> tuple[str, ...]:
    """Files the last build wrote that this one does not make, and folders of removed standards
    (or municipalities)."""
    current = {name for names in plan.files.values() for name in names}
    before = {name for group in old.values() for name in group.get("files", [])
              if isinstance(name, str)}
    removed = []
    # Left by a build that was killed mid-write (fileio.write_atomic's temporary names).
    for leftover in sorted(site.rglob(".*.tmp")) if site.is_dir() else []:
        leftover.unlink()
    for name in sorted(before - current):
        target = (site / name).resolve()
        if target.is_relative_to(site.resolve()) and target.is_file():
            target.unlink()
            removed.append(name)
    _remove_empty_folders(site)
    for root in sorted({"", *(each.prefix for each in sites)}):
        removed += _remove_foreign_folders(site, root, current)
    return tuple(removed)


def _remove_empty_folders(site: Path) -> None:
    """Folders the removed files leave empty (a switch between one and several web roots)."""
    for folder in sorted(site.rglob("*"), reverse=True) if site.is_dir() else []:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _remove_foreign_folders(site: Path, root: str, current: set[str]) -> list[str]:
    """Folders directly under the web root ``root`` that look like a standard's (they hold
    <name>.json) but are not one any more, also when the manifest was lost."""
    folder = site / root
    names = {name[len(root):].split("/")[0] for name in current if name.startswith(root)}
    removed = []
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        if sub.is_dir() and sub.name not in names and (sub / f"{sub.name}.json").is_file():
            shutil.rmtree(sub)
            removed.append(f"{root}{sub.name}/")
    return removed
