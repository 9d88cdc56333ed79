"""Behaviour inside a real Jupyter kernel: SVG figures, silent History, a clean first cell."""

from __future__ import annotations

import os

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")


def test_kernel_outputs(tmp_path):
    cells = [
        "import d2lzh as d2l",
        "d2l.set_figsize()\nd2l.plt.plot([1, 2, 3]);",
        "d2l.History(train_loss=[0.5])",
        "h = d2l.History(train_loss=[0.5])\nh['train_loss']",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    env_backend = os.environ.pop("MPLBACKEND", None)  # let the kernel pick its inline backend
    try:
        nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    imported, plotted, history, value = (c.outputs for c in nb.cells)
    # importing prints nothing (no warning from optional progress-bar packages)
    assert [o for o in imported if o.output_type == "stream"] == []
    assert any("image/svg+xml" in o.get("data", {}) for o in plotted)
    assert history == []  # a cell ending with a training call shows only what the loop printed
    assert value[0]["data"]["text/plain"] == "[0.5]"
