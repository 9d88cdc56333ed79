"""Plotting helpers draw what they should (Agg backend, no display)."""

from __future__ import annotations

import io

import numpy as np
from matplotlib import patches
from mxnet import nd

import d2lzh as d2l


def test_set_figsize_and_svg_outside_jupyter():
    d2l.set_figsize((5, 3))
    assert tuple(d2l.plt.rcParams["figure.figsize"]) == (5, 3)
    assert d2l.plt.rcParams["savefig.format"] == "svg"
    fig = d2l.plt.figure()
    buf = io.BytesIO()
    fig.savefig(buf)  # the default format is now SVG
    assert buf.getvalue().lstrip().startswith(b"<?xml") and b"<svg" in buf.getvalue()


def test_use_svg_display_with_the_inline_backend(monkeypatch):
    import sys
    import types

    calls = []
    fake_inline = types.ModuleType("matplotlib_inline.backend_inline")
    fake_inline.set_matplotlib_formats = lambda *fmts: calls.append(fmts)
    monkeypatch.setitem(sys.modules, "matplotlib_inline.backend_inline", fake_inline)
    d2l.use_svg_display()  # Agg here: only the savefig default
    assert calls == []
    monkeypatch.setattr(d2l.plt, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    d2l.use_svg_display()
    assert calls == [("svg",)]


def test_semilogy_two_curves_and_legend():
    d2l.semilogy(range(1, 4), [1, 10, 100], "epochs", "loss", range(1, 4), [2, 20, 200], ["train", "test"])
    ax = d2l.plt.gca()
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "epochs" and ax.get_ylabel() == "loss"
    assert len(ax.lines) == 2 and ax.lines[1].get_linestyle() == ":"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]


def test_show_images_grid():
    imgs = [nd.ones((4, 4, 3)) * i / 6 for i in range(6)]
    axes = d2l.show_images(imgs, 2, 3, scale=1)
    assert axes.shape == (2, 3)
    assert axes[1][2].images[0].get_array().shape == (4, 4, 3)
    assert not axes[0][0].get_xaxis().get_visible()
    fig = axes[0][0].figure
    assert tuple(fig.get_size_inches()) == (3, 2)
    one_row = d2l.show_images(imgs[:2], 1, 2)  # a single row still indexes as axes[i][j]
    assert one_row[0][1].images


def test_show_fashion_mnist_titles():
    images = [nd.zeros((1, 28, 28)), nd.ones((28, 28, 1))]
    d2l.show_fashion_mnist(images, ["bag", "coat"])
    axes = d2l.plt.gcf().axes
    assert [a.get_title() for a in axes] == ["bag", "coat"]
    assert axes[1].images[0].get_array().shape == (28, 28)


def test_bbox_to_rect_geometry():
    rect = d2l.bbox_to_rect([60, 45, 378, 516], "blue")
    assert isinstance(rect, patches.Rectangle)
    assert rect.get_xy() == (60, 45)
    assert rect.get_width() == 318 and rect.get_height() == 471
    assert not rect.get_fill()
    rect = d2l.bbox_to_rect(nd.array([1, 2, 4, 8]), "r")  # NDArray input as in show_bboxes
    assert (rect.get_width(), rect.get_height()) == (3, 6)


def test_show_bboxes_labels_and_colors():
    fig = d2l.plt.figure()
    ax = fig.add_subplot()
    ax.imshow(np.zeros((10, 10, 3)))
    boxes = nd.array([[1, 1, 5, 5], [2, 2, 8, 8], [0, 0, 3, 3]])
    d2l.show_bboxes(ax, boxes, ["dog", "cat"], ["w", "r"])
    rects = [p for p in ax.patches if isinstance(p, patches.Rectangle)]
    assert len(rects) == 3
    assert [t.get_text() for t in ax.texts] == ["dog", "cat"]  # the third box has no label
    assert ax.texts[0].get_color() == "k"  # dark text on a white label
    assert rects[2].get_edgecolor() == rects[0].get_edgecolor()  # colours cycle


def test_show_trace_2d_draws_path_and_contours():
    res = [(-5, -2), (-4, -1.2), (-3, -0.5)]

    def f(x1, x2):
        return x1**2 + 2 * x2**2

    d2l.show_trace_2d(f, res)
    ax = d2l.plt.gca()
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [-5, -4, -3])
    assert ax.get_xlabel() == "x1" and ax.get_ylabel() == "x2"
    assert len(ax.collections) > 0  # contour lines
