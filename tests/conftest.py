"""Fixtures for tests of the real book: a built copy of the site in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from booksite import build, copy_book


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole book built once from a fresh copy; returns its site/ folder."""
    root = copy_book(tmp_path_factory.mktemp("book"))
    code, out, executed = build(root)
    assert code == 0, out
    assert executed == 0, f"a fresh copy must build from the record alone:\n{out}"
    return root / "site"
