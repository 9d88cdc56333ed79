"""From a section's Markdown to an executed notebook: look up the record, run if stale.

Shared by the MkDocs plugin and the ``nbbook`` command; imports nothing from MkDocs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .execute import Progress, execute
from .keys import KeyMaker
from .record import Lookup, Record
from .render import merge_outputs
from .sources import Section, read_section

log = logging.getLogger("mkdocs.plugins.nbbook")


@dataclass
class Settings:
    docs_dir: Path
    sections_dir: Path
    record_dir: Path
    kernel: str = "python3"
    timeout: int = 600
    dependencies: dict[str, Path] = field(default_factory=dict)
    env_packages: list[str] = field(default_factory=list)
    kernel_env: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    notebook: nbformat.NotebookNode
    executed: bool
    lookup: Lookup
    seconds: float | None = None


class Pipeline:
    def __init__(self, settings: Settings, progress: Progress | None = None):
        self.s = settings
        self.record = Record(settings.record_dir, settings.sections_dir)
        self.keys = KeyMaker(settings.kernel, settings.dependencies, settings.env_packages,
                             settings.kernel_env)
        self.progress = progress or log.info

    def section_paths(self) -> Iterator[Path]:
        yield from sorted(self.s.sections_dir.rglob("*.md"))

    def read(self, path: Path) -> Section:
        return read_section(path, self.s.docs_dir)

    def lookup(self, section: Section) -> Lookup:
        return self.record.lookup(section, self.keys.key(section))

    def run(self, section: Section, mode: str = "auto") -> Outcome | None:
        """The executed notebook for ``section`` (None if it has no code cells).

        ``mode`` is the plugin's ``execute`` option: auto / never / all.
        """
        if not section.is_executable:
            return None
        key = self.keys.key(section)
        found = self.record.lookup(section, key)
        if found.fresh and mode != "all":
            merged = merge_outputs(section.notebook, found.notebook)
            if self.record.refresh_prose(section, merged, found.notebook):
                self.progress(f"{section.rel}: prose updated in the record (nothing executed)")
            return Outcome(merged, False, found, found.seconds)
        if mode == "never":
            return Outcome(section.notebook, False, found)
        why = "re-executing all" if found.fresh else "; ".join(found.reasons)
        self.progress(f"{section.rel}: executing ({why})")
        result = execute(section, self.s.kernel, self.s.timeout, self.progress, self.s.kernel_env)
        self.record.store(section, result.notebook, key, result.seconds)
        self.progress(f"{section.rel}: done in {result.seconds:.1f} s, record updated")
        return Outcome(result.notebook, True, found, result.seconds)
