"""The documentation's examples run: what docs/ shows is what the library does."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("page", ["library.md"])
def test_the_examples_in_docs_run(page: str) -> None:
    result = doctest.testfile(str(DOCS / page), module_relative=False, verbose=False)
    assert result.attempted > 5
    assert result.failed == 0
