"""Helpers for tests of the real book: copy it to a temporary folder and build it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a build reads: the pages, the record, the package whose sources enter the keys.
BOOK_PARTS = ["mkdocs.yml", "jupytext.toml", "CONTRIBUTING.md", "docs", "notebooks", "d2lzh"]


def copy_book(dest: Path) -> Path:
    for part in BOOK_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def build(root: Path, **env: str) -> tuple[int, str, int]:
    """Run `mkdocs build --strict` in ``root``; return (exit code, output, sections executed)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    out = proc.stdout + proc.stderr
    m = re.search(r"executed (\d+) section\(s\)", out)
    return proc.returncode, out, int(m.group(1)) if m else -1
