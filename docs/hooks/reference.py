"""MkDocs hooks: the reference pages, generated from the code when the site is built
(standardgen.cli.reference), and every page in docs/ in the navigation.

Pages that mkdocs.yml's `nav` does not name (a page another change adds under docs/) are put
under "Flere sider" instead of being left out of the menu.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from standardgen.cli.reference import PAGES

EXTRA = "Flere sider"


def on_config(config: Any) -> Any:
    listed = set(_named(config["nav"] or []))
    docs = Path(config["docs_dir"])
    extra = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md")
                   if "hooks" not in path.relative_to(docs).parts)
    missing = [name for name in extra if name not in listed]
    if missing:
        config["nav"].append({EXTRA: missing})
    return config


def on_files(files: Files, config: Any) -> Files:
    for name, page in PAGES.items():
        files.append(File.generated(config, name, content=page()))
    return files


def _named(nav: list[Any]) -> list[str]:
    found: list[str] = []
    for item in nav:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found += _named(value) if isinstance(value, list) else [value]
    return found
