"""Read a section's Markdown into a notebook with Jupytext (no MkDocs import here)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
import yaml

from .errors import SourceError

# Jupytext's plain `md` format turns ```bash / ```sh fences into %%bash / %%sh cells.
# A shell command shown to readers (say `pip install …`) would then run during the build,
# so such cells are refused: display-only commands go in ```console fences.
_SHELL_MAGIC = re.compile(r"^\s*%%(bash|sh|script|system)\b")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


@dataclass(frozen=True)
class Section:
    """One Markdown page read as a notebook."""

    path: Path  # absolute path of the .md file
    rel: str  # path relative to docs_dir, POSIX style (e.g. chapters/x/y.md)
    text: str
    notebook: nbformat.NotebookNode

    @property
    def code_cells(self) -> list[nbformat.NotebookNode]:
        return [c for c in self.notebook.cells if c.cell_type == "code"]

    @property
    def is_executable(self) -> bool:
        return bool(self.code_cells)

    def cell_line(self, index: int) -> int | None:
        """1-based line in the Markdown file where code cell ``index`` (0-based) starts."""
        start = 0
        line = None
        for i, cell in enumerate(self.code_cells[: index + 1]):
            first = cell.source.splitlines()[0] if cell.source.strip() else ""
            pos = self.text.find(first, start) if first else -1
            if pos < 0:
                return None
            start = pos + len(first)
            if i == index:
                line = self.text.count("\n", 0, pos) + 1
        return line


def check_front_matter(text: str, rel: str) -> None:
    """Raise ``SourceError`` if a leading YAML block exists but is not a mapping."""
    match = _FRONT_MATTER.match(text)
    if text.startswith("---") and not match:
        raise SourceError(f"{rel}: front matter starts with '---' but has no closing '---' line")
    if not match:
        return
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise SourceError(f"{rel}: malformed YAML front matter{where}: {exc}") from None
    if data is not None and not isinstance(data, dict):
        raise SourceError(f"{rel}: front matter must be a YAML mapping, got {type(data).__name__}")


def read_section(path: Path, docs_dir: Path) -> Section:
    """Read ``path`` (a Jupytext Markdown file) and validate what the build relies on."""
    rel = path.relative_to(docs_dir).as_posix()
    text = path.read_text(encoding="utf-8")
    check_front_matter(text, rel)
    # MkDocs owns the front matter (title, …); Jupytext sees only the body.
    body = _FRONT_MATTER.sub("", text, count=1)
    try:
        nb = jupytext.reads(body, fmt="md")
    except Exception as exc:  # jupytext raises a variety of parser errors
        raise SourceError(f"{rel}: Jupytext cannot read this file as Markdown: {exc}") from exc
    # With no python fence at all, Jupytext makes the first fence's language the notebook's.
    main = nb.metadata.get("jupytext", {}).get("main_language", "python")
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        if main != "python":
            raise SourceError(
                f"{rel}: code cell {i + 1} is a ```{main} fence, which would run during the "
                "build; sections execute ```python only (show commands in a ```console fence)"
            )
        if _SHELL_MAGIC.match(cell.source):
            raise SourceError(
                f"{rel}: code cell {i + 1} is a shell fence (```bash/```sh), which would run "
                "during the build; show commands in a ```console fence instead"
            )
    # nbformat gives new cells random ids; derive them from position and content instead,
    # so that re-executing unchanged code rewrites an identical record.
    for i, cell in enumerate(nb.cells):
        digest = hashlib.sha1(f"{i}:{cell.cell_type}:{cell.source}".encode()).hexdigest()
        cell["id"] = digest[:12]
    return Section(path=path, rel=rel, text=text, notebook=nb)
