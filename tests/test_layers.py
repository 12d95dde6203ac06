"""Imports run one way, from the bottom layer up; rich and typer each stay in their own room."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import hkit_cli

PACKAGE = Path(hkit_cli.__file__).parent

# The rooms of the house, lowest first: a module may import only from its own room or a
# lower one. Inside a room, the modules keep a finer order (LAYERS).
FOLDERS = ["version", "domain", "checks", "reading", "reports", "rendering", "api", "cli"]

# Lower layers first; a module may import only from its own layer or below.
LAYERS = [
    {"version"},
    {"domain.errors", "domain.vocab", "domain.money", "domain.dates", "domain.currency"}
    | {"domain.textrules", "domain.messages"},
    {"domain.records", "domain"},
    {"checks.findings", "checks"},
    {"checks.money"},
    {"checks.references", "checks.prose"},
    {"checks.passes"},
    {"reading.textfile", "reading.yamlerrors", "reading", "reading.models", "reading.catalogue"},
    {"reading.yamlreader"},
    {"reading.locate"},
    {"reading.schemaerrors"},
    {"reading.loader", "reading.schema"},
    {"reading.cache"},
    {"reports.query", "reports"},
    {"reports.report", "reports.request"},
    {"reports.diff"},
    {"reports.tables"},
    {"rendering.render", "rendering.export", "rendering.charts", "rendering"},
    {"rendering.htmlreport"},
    {"api"},
    {"cli", "__main__", "__init__"},
]


def _name(module: str) -> str:
    return module.removeprefix("hkit_cli").removeprefix(".") or "__init__"


def layer_of(module: str) -> int:
    name = _name(module)
    while True:
        for k, layer in enumerate(LAYERS):
            if name in layer:
                return k
        name = name.rpartition(".")[0]  # reports.tables.core is in reports.tables


def room_of(module: str) -> int:
    first = _name(module).split(".")[0]
    return FOLDERS.index(first) if first in FOLDERS else len(FOLDERS)


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hkit_cli"):
            # `from hkit_cli.reports import tables` imports hkit_cli.reports.tables
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                below = PACKAGE.parent / sub.replace(".", "/")
                is_module = below.is_dir() or below.with_suffix(".py").is_file()
                found.add(sub if is_module else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("hkit_cli")}
    return found


def test_every_module_has_a_layer_and_a_room() -> None:
    modules = {_name(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    named = set().union(*LAYERS)
    assert {m for m in modules if m not in named and m.rpartition(".")[0] not in named} == set()
    assert {m.split(".")[0] for m in modules} == {*FOLDERS, "__init__", "__main__"}
    for folder in ["domain", "checks", "reading", "reports", "rendering", "cli"]:
        assert (PACKAGE / folder / "__init__.py").is_file(), folder


def test_imports_run_one_way() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _module_name(path)
        for module in imports_of(path):
            if room_of(module) > room_of(here) or layer_of(module) > layer_of(here):
                wrong.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert wrong == []


def test_each_module_opens_with_its_job() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()[0]) > 20, path


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_circle() -> None:
    """No two modules import each other, directly or round a longer loop (imports inside
    functions included: a circle there is a circle in the design)."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in paths:
                # `from hkit_cli.cli import reports` imports the module hkit_cli.cli.reports
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in paths else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in paths}
        graph[name] = found - {name, "hkit_cli"}
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph[module]):
            if target in path:
                circles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in seen:
                seen.add(target)
                visit(target, [*path, target])

    for start in sorted(graph):
        seen = {start}
        visit(start, [start])
    assert circles == []


def test_no_process_wide_state_for_what_a_command_asks() -> None:
    """Scope, language and the other parts of a request are passed down as values."""
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "ContextVar" not in text, path
        assert not re.search(r"^\s+global \w", text, re.MULTILINE), path
