"""第3、5、7、9章的模型、损失函数、优化算法和训练函数。

训练函数把累计量（损失、预测正确的样本数）作为 NDArray 留在设备上，每个迭代周期只读取一次：每个小批量
都调用 ``asscalar()`` 会让 Python 等待每个批量算完，MXNet 就无法让计算与 Python 循环并行。每个迭代周期
打印一行，例如 ``epoch 1, loss 0.7853, train acc 0.749, test acc 0.801, 6.2 sec``，并以 :class:`History`
返回同样的数值。
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn
from mxnet.gluon import utils as gutils

from .device import try_gpu
from .plot import plt, set_figsize

__all__ = [
    "History",
    "Benchmark",
    "linreg",
    "squared_loss",
    "sgd",
    "data_iter",
    "grad_clipping",
    "evaluate_accuracy",
    "_get_batch",
    "train_ch3",
    "train_ch5",
    "train",
    "train_2d",
    "train_ch7",
    "train_gluon_ch7",
]


class History(dict):
    """训练函数返回的各迭代周期的数值，例如 ``{'train_loss': [...], ...}``。

    就是一个 dict，只是 Jupyter 不显示它：以训练函数调用结尾的单元格只显示打印的各周期结果，与书中
    一致。要查看可用 ``print(h)`` 或 ``h['test_acc']``。
    """

    def _ipython_display_(self) -> None:
        pass


class Benchmark:
    """计时用的上下文管理器：``with Benchmark('说明'):`` 退出时打印所用时间。"""

    def __init__(self, prefix: str | None = None):
        self.prefix = prefix + " " if prefix else ""

    def __enter__(self):
        self.start = time.time()

    def __exit__(self, *args) -> None:
        print(f"{self.prefix}time: {time.time() - self.start:.4f} sec")


# ------------------------------------------------------------------------------ linear regression


def linreg(X: nd.NDArray, w: nd.NDArray, b: nd.NDArray) -> nd.NDArray:
    """线性回归模型 ``Xw + b``。"""
    return nd.dot(X, w) + b


def squared_loss(y_hat: nd.NDArray, y: nd.NDArray) -> nd.NDArray:
    """平方损失 ``(y_hat - y)^2 / 2``，逐样本（y 会被变形成 y_hat 的形状）。"""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: Iterable[nd.NDArray], lr: float, batch_size: int) -> None:
    """小批量随机梯度下降：原地更新 ``param -= lr * grad / batch_size``。"""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def data_iter(
    batch_size: int, features: nd.NDArray, labels: nd.NDArray
) -> Iterator[tuple[nd.NDArray, nd.NDArray]]:
    """随机顺序遍历数据，每次返回 batch_size 个样本的特征和标签（最后一批可能较小）。"""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i : min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)


def grad_clipping(params: Sequence[nd.NDArray], theta: float, ctx: mx.Context) -> None:
    """裁剪梯度：所有参数梯度拼成的向量的 L2 范数超过 theta 时，把它缩放到 theta。"""
    norm = nd.zeros((1,), ctx=ctx)
    for param in params:
        norm += (param.grad**2).sum()
    norm = norm.sqrt()
    # min(theta / norm, 1) on the device equals "if norm > theta: scale by theta / norm" without
    # reading the norm into Python (which would wait for every batch to finish).
    scale = nd.minimum(theta / norm, nd.ones((1,), ctx=ctx))
    for param in params:
        param.grad[:] = param.grad * scale.as_in_context(param.grad.context)


# --------------------------------------------------------------------------------- classification


def _net_contexts(net) -> list[mx.Context] | None:
    """Gluon 模型参数所在的设备列表（延后初始化之前也可以），不是 Gluon 模型时为 None。"""
    if not isinstance(net, gluon.Block):
        return None
    for param in net.collect_params().values():
        try:
            return list(param.list_ctx())
        except RuntimeError:  # not initialised at all
            return None
    return None


def _as_ctx_list(ctx: mx.Context | Sequence[mx.Context]) -> list[mx.Context]:
    return [ctx] if isinstance(ctx, mx.Context) else list(ctx)


def _get_batch(
    batch: tuple[nd.NDArray, nd.NDArray], ctx: mx.Context | Sequence[mx.Context]
) -> tuple[list[nd.NDArray], list[nd.NDArray], int]:
    """把小批量 (features, labels) 拆分复制到 ctx 的各个设备上；返回 (特征列表, 标签列表, 批量大小)。"""
    features, labels = batch
    if labels.dtype != features.dtype:
        labels = labels.astype(features.dtype)
    # A last batch smaller than the number of devices: use fewer devices (no empty slices).
    ctx = _as_ctx_list(ctx)[: max(1, features.shape[0])]
    # even_split=False: the last batch of an epoch need not divide evenly among several GPUs.
    return (
        gutils.split_and_load(features, ctx, even_split=False),
        gutils.split_and_load(labels, ctx, even_split=False),
        features.shape[0],
    )


class _Sums:
    """按设备分别累加的 NDArray 累计量，最后一次性读出。"""

    def __init__(self):
        self._sums: dict[tuple[str, str], nd.NDArray] = {}

    def add(self, key: str, value: nd.NDArray) -> None:
        k = (key, str(value.context))
        self._sums[k] = value if k not in self._sums else self._sums[k] + value

    def get(self, key: str) -> float:
        return float(sum(v.asscalar() for (k, _), v in self._sums.items() if k == key))


def evaluate_accuracy(
    data_iter: Iterable, net: Callable, ctx: mx.Context | Sequence[mx.Context] | None = None
) -> float:
    """模型 net 在数据集 data_iter 上的分类准确率。

    ctx: 设备或设备列表。默认：Gluon 模型参数所在的设备；对从零实现的模型（普通函数）则不移动数据。
    """
    if ctx is None:
        ctx = _net_contexts(net)
    sums, n = _Sums(), 0
    for batch in data_iter:
        if ctx is None:
            features, labels = [batch[0]], [batch[1]]
        else:
            features, labels, _ = _get_batch(batch, ctx)
        for X, y in zip(features, labels, strict=True):
            y = y.astype("float32")
            sums.add("correct", (net(X).argmax(axis=1) == y).sum())
            n += y.size
    return sums.get("correct") / n


def _print_epoch(history: History, epoch: int, loss: float, train_acc: float, test_acc: float, sec: float):
    history["train_loss"].append(loss)
    history["train_acc"].append(train_acc)
    history["test_acc"].append(test_acc)
    history["time"].append(sec)
    print(
        f"epoch {epoch + 1}, loss {loss:.4f}, train acc {train_acc:.3f}, "
        f"test acc {test_acc:.3f}, {sec:.1f} sec"
    )


def _new_history() -> History:
    return History(train_loss=[], train_acc=[], test_acc=[], time=[])


def train_ch3(
    net: Callable,
    train_iter: Iterable,
    test_iter: Iterable,
    loss: Callable,
    num_epochs: int,
    batch_size: int,
    params: Sequence[nd.NDArray] | None = None,
    lr: float | None = None,
    trainer: gluon.Trainer | None = None,
) -> History:
    """训练 softmax 回归/多层感知机（第3章）：用 params 与 lr 做 sgd，或用 Gluon 的 trainer。

    每个迭代周期打印一行；返回各周期的 train_loss、train_acc、test_acc、time。
    """
    history = _new_history()
    for epoch in range(num_epochs):
        start, sums, n = time.time(), _Sums(), 0
        for X, y in train_iter:
            with autograd.record():
                y_hat = net(X)
                batch_loss = loss(y_hat, y).sum()
            batch_loss.backward()
            if trainer is None:
                sgd(params, lr, batch_size)
            else:
                trainer.step(batch_size)
            y = y.astype("float32")
            sums.add("loss", batch_loss)
            sums.add("correct", (y_hat.argmax(axis=1) == y).sum())
            n += y.size
        test_acc = evaluate_accuracy(test_iter, net)
        train_l, train_acc = sums.get("loss") / n, sums.get("correct") / n
        _print_epoch(history, epoch, train_l, train_acc, test_acc, time.time() - start)
    return history


def train_ch5(
    net: gluon.Block,
    train_iter: Iterable,
    test_iter: Iterable,
    batch_size: int,
    trainer: gluon.Trainer,
    ctx: mx.Context | None,
    num_epochs: int,
) -> History:
    """在 ctx 上训练卷积神经网络（第5章），损失为 softmax 交叉熵。ctx 为 None 时用 ``try_gpu()``。"""
    ctx = try_gpu() if ctx is None else ctx
    print("training on", ctx)
    loss = gloss.SoftmaxCrossEntropyLoss()
    history = _new_history()
    for epoch in range(num_epochs):
        start, sums, n = time.time(), _Sums(), 0
        for X, y in train_iter:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx)
            with autograd.record():
                y_hat = net(X)
                batch_loss = loss(y_hat, y).sum()
            batch_loss.backward()
            trainer.step(batch_size)
            y = y.astype("float32")
            sums.add("loss", batch_loss)
            sums.add("correct", (y_hat.argmax(axis=1) == y).sum())
            n += y.size
        test_acc = evaluate_accuracy(test_iter, net, ctx)
        train_l, train_acc = sums.get("loss") / n, sums.get("correct") / n
        _print_epoch(history, epoch, train_l, train_acc, test_acc, time.time() - start)
    return history


def train(
    train_iter: Iterable,
    test_iter: Iterable,
    net: gluon.Block,
    loss: Callable,
    trainer: gluon.Trainer,
    ctx: mx.Context | Sequence[mx.Context] | None,
    num_epochs: int,
) -> History:
    """在一个或多个设备上训练并评价模型（第9章）；ctx 为 None 时用 ``try_gpu()``。"""
    ctx = try_gpu() if ctx is None else ctx
    print("training on", ctx)
    ctx = _as_ctx_list(ctx)
    history = _new_history()
    for epoch in range(num_epochs):
        start, sums, n, m = time.time(), _Sums(), 0, 0
        for batch in train_iter:
            Xs, ys, batch_size = _get_batch(batch, ctx)
            with autograd.record():
                y_hats = [net(X) for X in Xs]
                ls = [loss(y_hat, y) for y_hat, y in zip(y_hats, ys, strict=True)]
            for batch_loss in ls:
                batch_loss.backward()
            trainer.step(batch_size)
            for batch_loss, y_hat, y in zip(ls, y_hats, ys, strict=True):
                sums.add("loss", batch_loss.sum())
                sums.add("correct", (y_hat.argmax(axis=1) == y).sum())
                n += batch_loss.size
                m += y.size
        test_acc = evaluate_accuracy(test_iter, net, ctx)
        train_l, train_acc = sums.get("loss") / n, sums.get("correct") / m
        _print_epoch(history, epoch, train_l, train_acc, test_acc, time.time() - start)
    return history


# ---------------------------------------------------------------------------------- optimisation


def train_2d(trainer: Callable) -> list[tuple[float, float]]:
    """从 (-5, -2) 出发，用 trainer(x1, x2, s1, s2) 迭代 20 次二维自变量，返回轨迹。"""
    x1, x2, s1, s2 = -5, -2, 0, 0  # s1、s2 是自变量状态，后面章节会用到
    results = [(x1, x2)]
    for _ in range(20):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f"epoch {len(results) - 1}, x1 {x1:f}, x2 {x2:f}")
    return results


def _plot_loss_curve(ls: list[float], num_epochs: int) -> None:
    set_figsize()
    plt.plot(np.linspace(0, num_epochs, len(ls)), ls)
    plt.xlabel("epoch")
    plt.ylabel("loss")


def train_ch7(
    trainer_fn: Callable,
    states,
    hyperparams: dict,
    features: nd.NDArray,
    labels: nd.NDArray,
    batch_size: int = 10,
    num_epochs: int = 2,
) -> History:
    """用从零实现的优化算法 trainer_fn 训练线性回归（第7章），并画出损失曲线（每 100 个样本记录一次）。"""
    net, loss = linreg, squared_loss
    w = nd.random.normal(scale=0.01, shape=(features.shape[1], 1))
    b = nd.zeros(1)
    w.attach_grad()
    b.attach_grad()

    def eval_loss() -> nd.NDArray:
        return loss(net(features, w, b), labels).mean()

    ls = [eval_loss()]
    data = gdata.DataLoader(gdata.ArrayDataset(features, labels), batch_size, shuffle=True)
    start = time.time()
    for _ in range(num_epochs):
        start = time.time()
        for batch_i, (X, y) in enumerate(data):
            with autograd.record():
                batch_loss = loss(net(X, w, b), y).mean()  # 使用平均损失
            batch_loss.backward()
            trainer_fn([w, b], states, hyperparams)  # 迭代模型参数
            if (batch_i + 1) * batch_size % 100 == 0:
                ls.append(eval_loss())  # 每 100 个样本记录一次当前训练误差
    losses = [v.asscalar() for v in ls]
    print(f"loss: {losses[-1]:f}, {time.time() - start:f} sec per epoch")
    _plot_loss_curve(losses, num_epochs)
    return History(loss=losses)


def train_gluon_ch7(
    trainer_name: str,
    trainer_hyperparams: dict,
    features: nd.NDArray,
    labels: nd.NDArray,
    batch_size: int = 10,
    num_epochs: int = 2,
) -> History:
    """用 Gluon 的优化算法 trainer_name 训练线性回归（第7章），并画出损失曲线。"""
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    loss = gloss.L2Loss()

    def eval_loss() -> nd.NDArray:
        return loss(net(features), labels).mean()

    ls = [eval_loss()]
    data = gdata.DataLoader(gdata.ArrayDataset(features, labels), batch_size, shuffle=True)
    trainer = gluon.Trainer(net.collect_params(), trainer_name, trainer_hyperparams)
    start = time.time()
    for _ in range(num_epochs):
        start = time.time()
        for batch_i, (X, y) in enumerate(data):
            with autograd.record():
                batch_loss = loss(net(X), y)
            batch_loss.backward()
            trainer.step(batch_size)
            if (batch_i + 1) * batch_size % 100 == 0:
                ls.append(eval_loss())
    losses = [v.asscalar() for v in ls]
    print(f"loss: {losses[-1]:f}, {time.time() - start:f} sec per epoch")
    _plot_loss_curve(losses, num_epochs)
    return History(loss=losses)
