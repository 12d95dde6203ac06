"""Imports run one way, from the bottom layer up; rich and typer each stay in their own room."""

from __future__ import annotations

import ast
from pathlib import Path

import hkit_cli

PACKAGE = Path(hkit_cli.__file__).parent

# Lower layers first; a module may import only from its own layer or below.
LAYERS = [
    {"errors", "vocab", "money", "dates", "currency"},
    {"records", "models"},
    {"textfile", "yamlerrors", "yamlreader", "locate", "schemaerrors"},
    {"findings"},
    {"moneychecks"},
    {"checks"},
    {"loader", "cache"},
    {"query", "report"},
    {"tables"},
    {"render", "export", "charts", "htmlreport"},
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
