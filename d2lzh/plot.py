"""作图函数（matplotlib）。同时导出 ``plt``，书中可以写 ``d2l.plt``。"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib import pyplot as plt

from .utils import _make_list

__all__ = [
    "plt",
    "use_svg_display",
    "set_figsize",
    "semilogy",
    "show_images",
    "show_fashion_mnist",
    "bbox_to_rect",
    "show_bboxes",
    "show_trace_2d",
]


def _asnumpy(x):
    return x.asnumpy() if hasattr(x, "asnumpy") else np.asarray(x)


def _in_ipython_kernel() -> bool:
    # Only look at IPython if it is already imported: importing it (or creating a shell) just to
    # ask would be a side effect outside Jupyter.
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def use_svg_display() -> None:
    """用矢量图（SVG）显示图像。

    在 Jupyter 中设置内嵌后端的输出格式；在 Jupyter 之外把保存格式设为 SVG（``savefig`` 的默认格式）。
    """
    if _in_ipython_kernel():
        try:
            from matplotlib_inline.backend_inline import set_matplotlib_formats
        except ImportError:  # very old IPython: the function lived in IPython.display
            from IPython.display import set_matplotlib_formats
        set_matplotlib_formats("svg")
    else:
        plt.rcParams["savefig.format"] = "svg"


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """设置 matplotlib 图像的尺寸（并使用 SVG 显示）。"""
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def semilogy(
    x_vals,
    y_vals,
    x_label: str,
    y_label: str,
    x2_vals=None,
    y2_vals=None,
    legend: Sequence[str] | None = None,
    figsize: tuple[float, float] = (3.5, 2.5),
) -> None:
    """作图：y 轴使用对数尺度；可再画一条虚线（例如测试误差）。"""
    set_figsize(figsize)
    plt.xlabel(x_label)
    plt.ylabel(y_label)
    plt.semilogy(x_vals, y_vals)
    if x2_vals is not None and y2_vals is not None:
        plt.semilogy(x2_vals, y2_vals, linestyle=":")
        if legend:
            plt.legend(legend)


def show_images(imgs: Sequence, num_rows: int, num_cols: int, scale: float = 2) -> np.ndarray:
    """在 num_rows×num_cols 的网格中显示图像（HWC 的 NDArray 或数组），返回二维的 axes 数组。"""
    figsize = (num_cols * scale, num_rows * scale)
    # squeeze=False: axes[i][j] works for a single row or column too.
    _, axes = plt.subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    for i in range(num_rows):
        for j in range(num_cols):
            k = i * num_cols + j
            if k < len(imgs):
                axes[i][j].imshow(_asnumpy(imgs[k]))
            axes[i][j].axes.get_xaxis().set_visible(False)
            axes[i][j].axes.get_yaxis().set_visible(False)
    return axes


def show_fashion_mnist(images: Sequence, labels: Sequence[str]) -> None:
    """在一行里画出多张 Fashion-MNIST 图像及其标签。"""
    use_svg_display()
    _, figs = plt.subplots(1, len(images), figsize=(12, 12), squeeze=False)
    for f, img, lbl in zip(figs[0], images, labels, strict=False):
        f.imshow(_asnumpy(img).reshape((28, 28)))
        f.set_title(lbl)
        f.axes.get_xaxis().set_visible(False)
        f.axes.get_yaxis().set_visible(False)


def bbox_to_rect(bbox: Sequence[float], color: str) -> plt.Rectangle:
    """把边界框 (左上 x, 左上 y, 右下 x, 右下 y) 转成 matplotlib 的矩形（不填充）。"""
    bbox = [float(v) for v in _asnumpy(bbox).reshape(-1)[:4]]
    return plt.Rectangle(
        xy=(bbox[0], bbox[1]),
        width=bbox[2] - bbox[0],
        height=bbox[3] - bbox[1],
        fill=False,
        edgecolor=color,
        linewidth=2,
    )


def show_bboxes(
    axes: plt.Axes,
    bboxes: Sequence,
    labels: str | Sequence[str] | None = None,
    colors: str | Sequence[str] | None = None,
) -> None:
    """在 axes 上画出多个边界框，可带文字标签；颜色依次循环。"""
    labels = _make_list(labels)
    colors = _make_list(colors, ["b", "g", "r", "m", "c"])
    for i, bbox in enumerate(bboxes):
        color = colors[i % len(colors)]
        rect = bbox_to_rect(bbox, color)
        axes.add_patch(rect)
        if labels and len(labels) > i:
            text_color = "k" if color == "w" else "w"
            axes.text(
                rect.xy[0],
                rect.xy[1],
                labels[i],
                va="center",
                ha="center",
                fontsize=9,
                color=text_color,
                bbox=dict(facecolor=color, lw=0),
            )


def show_trace_2d(f: Callable, res: Sequence[tuple[float, float]]) -> None:
    """画出二维自变量的迭代轨迹和目标函数 f(x1, x2) 的等高线。"""
    x1, x2 = zip(*res, strict=True)
    set_figsize()
    plt.plot(x1, x2, "-o", color="#ff7f0e")
    g1 = np.arange(-5.5, 1.0, 0.1)
    g2 = np.arange(min(-3.0, min(x2) - 1), max(1.0, max(x2) + 1), 0.1)
    g1, g2 = np.meshgrid(g1, g2)
    plt.contour(g1, g2, f(g1, g2), colors="#1f77b4")
    plt.xlabel("x1")
    plt.ylabel("x2")
