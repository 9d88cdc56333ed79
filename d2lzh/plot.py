"""作图函数（matplotlib）。同时导出 ``plt``，书中可以写 ``d2l.plt``。

这些函数都由书中的小节原样保存（见 ``_book.py``），只用 matplotlib、NumPy 和包中的其他公开函数。
"""

from __future__ import annotations

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


def use_svg_display():
    """用矢量图（SVG）显示图像：保存图像时默认用 SVG，在 Jupyter 中内嵌显示的图像也用 SVG。"""
    plt.rcParams["savefig.format"] = "svg"
    if "inline" in plt.get_backend():  # 在 Jupyter 中，图像内嵌在输出里显示
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("svg")


def set_figsize(figsize=(3.5, 2.5)):
    """设置图像的尺寸（并用矢量图显示）。"""
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def semilogy(x_vals, y_vals, x_label, y_label, x2_vals=None, y2_vals=None,
             legend=None, figsize=(3.5, 2.5)):
    """作图，y 轴使用对数尺度；给出 x2_vals 和 y2_vals 时再画一条虚线（例如测试误差）。"""
    set_figsize(figsize)
    plt.xlabel(x_label)
    plt.ylabel(y_label)
    plt.semilogy(x_vals, y_vals)
    if x2_vals is not None and y2_vals is not None:
        plt.semilogy(x2_vals, y2_vals, linestyle=":")
        if legend:
            plt.legend(legend)


def show_images(imgs, num_rows, num_cols, scale=2):
    """在 num_rows 行、num_cols 列的网格中显示图像（形状为 (高, 宽, 通道) 的 NDArray），返回各子图。"""
    figsize = (num_cols * scale, num_rows * scale)
    # squeeze=False：只有一行或一列时，子图也按 axes[i][j] 取
    _, axes = plt.subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    for i in range(num_rows):
        for j in range(num_cols):
            axes[i][j].imshow(imgs[i * num_cols + j].asnumpy())
            axes[i][j].axes.get_xaxis().set_visible(False)
            axes[i][j].axes.get_yaxis().set_visible(False)
    return axes


def show_fashion_mnist(images, labels):
    """在一行里画出多张 Fashion-MNIST 图像和它们的标签。"""
    use_svg_display()
    # 这里的 _ 表示我们忽略（不使用）的变量
    _, figs = plt.subplots(1, len(images), figsize=(12, 12))
    for f, img, lbl in zip(figs, images, labels):
        f.imshow(img.reshape((28, 28)).asnumpy())
        f.set_title(lbl)
        f.axes.get_xaxis().set_visible(False)
        f.axes.get_yaxis().set_visible(False)


def bbox_to_rect(bbox, color):
    """把边界框（左上 x, 左上 y, 右下 x, 右下 y）转换成 matplotlib 的矩形。"""
    return plt.Rectangle(xy=(bbox[0], bbox[1]), width=bbox[2] - bbox[0], height=bbox[3] - bbox[1],
                         fill=False, edgecolor=color, linewidth=2)


def show_bboxes(axes, bboxes, labels=None, colors=None):
    """在子图 axes 上画出多个边界框（NDArray），可带文字标签；颜色依次循环使用。"""
    labels = _make_list(labels)
    colors = _make_list(colors, ["b", "g", "r", "m", "c"])
    for i, bbox in enumerate(bboxes):
        color = colors[i % len(colors)]
        rect = bbox_to_rect(bbox.asnumpy(), color)
        axes.add_patch(rect)
        if labels and len(labels) > i:
            text_color = "k" if color == "w" else "w"
            axes.text(rect.xy[0], rect.xy[1], labels[i], va="center", ha="center", fontsize=9,
                      color=text_color, bbox=dict(facecolor=color, lw=0))


def show_trace_2d(f, res):
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
