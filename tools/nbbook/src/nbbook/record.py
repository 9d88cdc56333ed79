"""The committed execution record: one executed notebook per section, written atomically.

A record is the Jupytext-paired ``.ipynb`` (readers can download and open it), with the key
it was executed under in ``metadata.nbbook``. Writes go to a uniquely named temporary file in
the same folder and are moved into place with ``os.replace`` (atomic on POSIX), so a killed
build never leaves a half-written record and concurrent builds each write a whole one.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .keys import Key, _digest
from .sources import Section

META = "nbbook"


@dataclass
class Lookup:
    """What the record holds for a section, and whether it matches the current key."""

    notebook: nbformat.NotebookNode | None
    fresh: bool
    reasons: list[str]
    seconds: float | None = None
    executed: str | None = None
    env: dict[str, str] | None = None  # versions the recorded outputs were produced with


class Record:
    def __init__(self, root: Path, sections_dir: Path):
        self.root = root
        self.sections_dir = sections_dir

    def path_for(self, section: Section) -> Path:
        rel = section.path.relative_to(self.sections_dir)
        return self.root / rel.with_suffix(".ipynb")

    def lookup(self, section: Section, key: Key) -> Lookup:
        path = self.path_for(section)
        if not path.exists():
            return Lookup(None, False, ["never executed (no record)"])
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            info = nb.metadata[META]
            old = Key.from_json(info["key"])
        except Exception as exc:  # corrupt JSON, schema errors, missing keys: re-execute
            return Lookup(None, False, [f"record unreadable ({type(exc).__name__}: {exc})"])
        recorded_code = _digest([c.source for c in nb.cells if c.cell_type == "code"])
        if recorded_code != old.code:
            return Lookup(nb, False, ["record inputs differ from the key it was stored under"])
        reasons = key.differences(old)
        return Lookup(
            nb, not reasons, reasons, seconds=info.get("seconds"), executed=info.get("executed"),
            env=old.env,
        )

    def store(self, section: Section, nb: nbformat.NotebookNode, key: Key, seconds: float) -> Path:
        """Validate and atomically write the executed notebook as the section's record."""
        nb.metadata[META] = {
            "key": key.to_json(),
            "seconds": round(seconds, 1),
            "executed": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source": section.rel,
        }
        return self._write(section, nb)

    def refresh_prose(self, section: Section, merged: nbformat.NotebookNode,
                      recorded: nbformat.NotebookNode) -> bool:
        """Bring the record's Markdown cells up to date after a prose-only edit (no execution)."""
        if [(c.cell_type, c.source) for c in merged.cells] == \
                [(c.cell_type, c.source) for c in recorded.cells]:
            return False
        refreshed = nbformat.from_dict(merged)
        refreshed.metadata = recorded.metadata  # same key, time and versions: outputs unchanged
        self._write(section, refreshed)
        return True

    def _write(self, section: Section, nb: nbformat.NotebookNode) -> Path:
        nbformat.validate(nb)
        # nbformat's own serialisation, as Jupyter and `jupytext --sync` write it: no churn.
        text = nbformat.writes(nb)
        path = self.path_for(section)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; a record is an ordinary readable file
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
