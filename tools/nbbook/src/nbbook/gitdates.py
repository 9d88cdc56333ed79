"""Last-updated dates of pages from git, in one `git log` call (nothing when not a checkout)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_updated(docs_dir: Path) -> dict[str, str]:
    """``{path relative to docs_dir: 'YYYY-MM-DD'}`` of the newest commit touching each file."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=docs_dir,
                             capture_output=True, text=True, check=True).stdout.strip()
        out = subprocess.run(["git", "log", "--format=%x00%cs", "--name-only", "--", "."],
                             cwd=docs_dir, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    prefix = docs_dir.resolve().relative_to(Path(top).resolve()).as_posix().rstrip("/") + "/"
    dates: dict[str, str] = {}
    date = ""
    for line in out.splitlines():
        if line.startswith("\x00"):
            date = line[1:]
        elif line.startswith(prefix):
            dates.setdefault(line[len(prefix):], date)  # newest first: keep the first seen
    return dates
