"""Imports run one way, from the bottom layer up; rich and typer each stay in their own room."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import hkit_cli

PACKAGE = Path(hkit_cli.__file__).parent

# Lower layers first; a module may import only from its own layer or below.
LAYERS = [
    {"errors", "vocab", "money", "dates", "currency", "textrules"},
    {"records", "models"},
    {"textfile", "yamlerrors", "yamlreader", "locate", "schemaerrors"},
    {"findings"},
    {"moneychecks"},
    {"checks"},
    {"loader", "cache", "schema"},
    {"query", "report", "request", "diff"},
    {"tables"},
    {"render", "export", "charts", "htmlreport"},
    {"api"},
    {"cli", "entry", "__main__", "__init__"},
]


def layer_of(module: str) -> int:
    name = module.removeprefix("hkit_cli.").split(".")[0] or "__init__"
    return next(k for k, layer in enumerate(LAYERS) if name in layer)


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hkit_cli"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("hkit_cli")}
    return found


def test_every_module_has_a_layer() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {"cli", "tables"}
    assert modules == set().union(*LAYERS)


def test_imports_run_one_way() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = path.stem if path.parent == PACKAGE else path.parent.name
        for module in imports_of(path):
            if module != "hkit_cli" and layer_of(module) > layer_of(here):
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
