"""Executed notebooks offered for download: one per section and one archive of them all."""

from __future__ import annotations

import io
import zipfile

import nbformat


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    return nbformat.writes(nb).encode("utf-8")


def archive(notebooks: dict[str, bytes], folder: str = "d2l-zh-notebooks") -> bytes:
    """A zip of ``{relative path: notebook}`` under one top folder, in a stable order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in sorted(notebooks):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, notebooks[rel])
    return buf.getvalue()
