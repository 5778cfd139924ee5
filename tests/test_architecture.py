"""The house's plan, enforced: no import circles, and no import from a lower layer to a higher.

Every import counts: at the top of a module, inside a function, and under ``TYPE_CHECKING``
(a circle through a type is still a circle a reader must untangle). The layers are written in
docs/architecture.md; this test is their only enforcement.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "standardgen"

# Lower numbers are lower layers; a module may import its own layer and the ones below it.
LAYERS = {
    "core": 0,
    "standards": 1,
    "cases": 2,
    "render": 3, "letters": 3, "forms": 3, "publish": 3, "approval": 3, "importer": 3,
    "scaffold": 3,
    "cli": 4, "desk": 4,
}
# Directly in src/standardgen/: the package's own face, importable by every layer.
TOP_LEVEL = {"standardgen", "standardgen.__main__"}
MAX_TOP_LEVEL_MODULES = 6


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The standardgen modules ``path`` imports, anywhere in it; ``from package import module``
    counts as the module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def layer(module: str) -> int | None:
    if module in TOP_LEVEL:
        return None
    return LAYERS[module.split(".")[1]]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for step in sorted(graph[node]):
            if step not in index:
                visit(step)
                low[node] = min(low[node], low[step])
            elif step in stack:
                low[node] = min(low[node], index[step])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_whole() -> None:
    """The walk sees the modules and their imports (a broken walk would pass everything)."""
    graph = import_graph()
    assert len(graph) > 80
    assert "standardgen.core.problems" in graph["standardgen.core.yamlsource"]
    # An import inside a function counts: the CLI imports the pipeline only where it is used.
    assert "standardgen.letters.run" in graph["standardgen.cli.letter"]


def test_there_is_no_import_circle() -> None:
    assert cycles(import_graph()) == []


def test_a_circle_is_found() -> None:
    """The finder itself: a planted circle is reported."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_every_package_has_a_layer() -> None:
    packages = {name.split(".")[1] for name in modules() if name not in TOP_LEVEL}
    assert packages <= set(LAYERS), f"not in any layer: {sorted(packages - set(LAYERS))}"


def test_no_import_runs_from_a_lower_layer_up() -> None:
    upward = [f"{module} (layer {layer(module)}) imports {target} (layer {layer(target)})"
              for module, targets in import_graph().items()
              for target in sorted(targets)
              if (low := layer(module)) is not None and (high := layer(target)) is not None
              and high > low]
    assert upward == []


def test_the_top_folder_holds_only_the_package_face() -> None:
    top = sorted(path.name for path in SOURCE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
    assert {module_name(SOURCE / name) for name in top} <= TOP_LEVEL


@pytest.mark.parametrize("folder", sorted(LAYERS))
def test_every_layer_folder_says_what_it_holds(folder: str) -> None:
    """A contributor who opens a folder first reads what belongs there."""
    init = SOURCE / folder / "__init__.py"
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
