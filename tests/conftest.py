"""Shared helpers: run hkit as a user would, on YAML written next to each test."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hkit_cli.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Run]


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own dataset cache, so no test sees another's entries."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("HKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("HKIT_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def hkit() -> Invoke:
    """Call ``hkit(*args, env=...)`` and get exit code, stdout and stderr."""

    def invoke(*args: str, env: dict[str, str] | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    """Write dedented YAML to a file in tmp_path and return its path."""
    counter = iter(range(1000))

    def write_yaml(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"data{next(counter)}.yaml")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_yaml
