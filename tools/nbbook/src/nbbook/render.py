"""Turn an executed notebook into Markdown that Material renders natively.

Code cells become ```python fences (highlighted, with copy buttons); text outputs become
``<pre class="nb-output">`` blocks; HTML outputs (tables) are passed through; images are
returned as separate files written next to the page, never inlined as base64.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field

import nbformat

from .execute import strip_ansi

_IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}


@dataclass
class Rendered:
    markdown: str
    assets: dict[str, bytes] = field(default_factory=dict)  # file name → content


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _pre(text: str, kind: str = "nb-output") -> str:
    text = strip_ansi(text).rstrip("\n")
    return f'<pre class="{kind}"><code>{html.escape(text, quote=False)}</code></pre>'


def _fence(source: str, lang: str = "python") -> str:
    ticks = "```"
    while ticks in source:
        ticks += "`"
    return f"{ticks}{lang}\n{source}\n{ticks}"


def _outputs(cell, cell_no: int, stem: str, assets: dict[str, bytes]) -> list[str]:
    blocks: list[str] = []
    stream: list[str] = []  # consecutive stream outputs are shown as one block

    def flush():
        if stream:
            blocks.append(_pre("".join(stream)))
            stream.clear()

    for k, out in enumerate(cell.get("outputs", [])):
        kind = out.output_type
        if kind == "stream":
            stream.append(_text(out.text))
            continue
        flush()
        if kind == "error":
            tb = "\n".join(out.get("traceback", [])[-3:]) or f"{out.ename}: {out.evalue}"
            blocks.append(_pre(tb, "nb-output nb-error"))
            continue
        data = out.get("data", {})
        image = next((m for m in _IMAGE_TYPES if m in data), None)
        if image:
            name = f"{stem}_{cell_no}_{k}.{_IMAGE_TYPES[image]}"
            raw = _text(data[image])
            assets[name] = raw.encode() if image == "image/svg+xml" else base64.b64decode(raw)
            blocks.append(f"![]({stem}_files/{name})")
        elif "text/html" in data:
            blocks.append(f'<div class="nb-output nb-html" markdown="0">\n'
                          f"{_text(data['text/html']).strip()}\n</div>")
        elif "text/markdown" in data:
            blocks.append(_text(data["text/markdown"]))
        elif "text/plain" in data:
            blocks.append(_pre(_text(data["text/plain"])))
    flush()
    return blocks


def render(nb: nbformat.NotebookNode, stem: str, with_outputs: bool = True) -> Rendered:
    """Markdown for ``nb``; image assets are named ``<stem>_files/<stem>_<cell>_<k>.<ext>``."""
    parts: list[str] = []
    assets: dict[str, bytes] = {}
    code_no = 0
    for cell in nb.cells:
        source = _text(cell.source)
        if cell.cell_type == "markdown":
            parts.append(source)
        elif cell.cell_type == "code":
            code_no += 1
            if source.strip():
                parts.append(_fence(source))
            if with_outputs:
                parts.extend(_outputs(cell, code_no, stem, assets))
        elif cell.cell_type == "raw":
            parts.append(source)
    return Rendered(markdown="\n\n".join(p for p in parts if p.strip()) + "\n", assets=assets)


def merge_outputs(source_nb: nbformat.NotebookNode, record_nb: nbformat.NotebookNode):
    """Prose and code from the Markdown, outputs from the record (same code cells, same order)."""
    merged = nbformat.from_dict(source_nb)
    recorded = [c for c in record_nb.cells if c.cell_type == "code"]
    for cell, rec in zip((c for c in merged.cells if c.cell_type == "code"), recorded, strict=True):
        cell["outputs"] = rec.get("outputs", [])
        cell["execution_count"] = rec.get("execution_count")
    return merged
