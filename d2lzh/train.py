"""第3、5、7、9章的模型、损失函数、优化算法和训练函数。

除 ``History`` 和 ``_get_batch`` 外，这里的函数都由书中的小节原样保存（见 ``_book.py``）：只用 MXNet、
NumPy 和包中的其他公开函数，书中写作 ``d2l.sgd(…)``。训练函数把 Gluon 的模型和损失函数编译成符号式程序
（``hybridize``），并把累计量（损失、预测正确的样本数）作为 NDArray 留在设备上，每个迭代周期只读取一次：
每个小批量都调用 ``asscalar()`` 会让 Python 等待每个批量算完。每个迭代周期打印一行，例如
``epoch 1, loss 0.7853, train acc 0.749, test acc 0.801, 6.2 sec``，并以 :class:`History` 返回同样的数值。
"""

from __future__ import annotations

import random
import time

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn
from mxnet.gluon import utils as gutils

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
    """训练函数的返回值：每个数值名对应一个列表，记录各迭代周期的值，例如 ``h['test_acc']``。

    就是一个 dict，只是 Jupyter 不显示它：以训练函数调用结尾的单元只显示训练时打印的各行结果。
    """

    def add(self, **values) -> None:
        """在各数值名的列表末尾追加本迭代周期的值，例如 ``h.add(train_loss=0.5, time=6.2)``。"""
        for name, value in values.items():
            self.setdefault(name, []).append(value)

    def _ipython_display_(self) -> None:
        pass


class Benchmark:
    """计时用的上下文管理器：``with Benchmark('说明'):`` 退出时打印所用时间。"""

    def __init__(self, prefix=None):
        self.prefix = prefix + " " if prefix else ""

    def __enter__(self):
        self.start = time.time()

    def __exit__(self, *args):
        print(f"{self.prefix}time: {time.time() - self.start:.4f} sec")


# ------------------------------------------------------------------------------ linear regression


def linreg(X, w, b):
    """线性回归模型。"""
    return nd.dot(X, w) + b


def squared_loss(y_hat, y):
    """平方损失：把 y 变形成 y_hat 的形状，逐样本计算 (y_hat - y)^2 / 2。"""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """小批量随机梯度下降：原地更新每个参数。"""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def data_iter(batch_size, features, labels):
    """按随机顺序遍历数据集，每次返回 batch_size 个样本的特征和标签（最后一批可能较小）。"""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # 样本的读取顺序是随机的
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i : min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)  # take 函数根据索引返回对应元素


def grad_clipping(params, theta, ctx):
    """裁剪梯度：所有参数梯度拼成的向量的 L2 范数超过 theta 时，把它缩放到 theta。"""
    norm = nd.array([0], ctx)
    for param in params:
        norm += (param.grad**2).sum()
    norm = norm.sqrt()
    # 等价于“norm > theta 时乘以 theta / norm”，但不必把 norm 读成 Python 数、等待本批量算完
    scale = nd.minimum(theta / norm, nd.ones(1, ctx))
    for param in params:
        param.grad[:] = param.grad * scale


# --------------------------------------------------------------------------------- classification


def _get_batch(batch, ctx):
    """把小批量 (特征, 标签) 拆分复制到设备列表 ctx 上，返回 (特征列表, 标签列表, 批量大小)。"""
    features, labels = batch
    if labels.dtype != features.dtype:
        labels = labels.astype(features.dtype)
    if isinstance(ctx, mx.Context):
        ctx = [ctx]
    ctx = ctx[: max(1, features.shape[0])]  # 最后一批样本比设备还少时，只用前几个设备
    return (
        gutils.split_and_load(features, ctx, even_split=False),
        gutils.split_and_load(labels, ctx, even_split=False),
        features.shape[0],
    )


def evaluate_accuracy(data_iter, net, ctx=None):
    """计算模型 net 在数据集 data_iter 上的分类准确率。ctx 是一个设备或设备列表，默认为 CPU。"""
    if ctx is None:
        ctx = [mx.cpu()]
    acc_sum, n = 0.0, 0
    for batch in data_iter:
        features, labels, _ = _get_batch(batch, ctx)  # 标签已转换成与特征相同的类型
        for X, y in zip(features, labels):
            acc_sum += (net(X).argmax(axis=1) == y).sum().as_in_context(mx.cpu())
            n += y.size
    return acc_sum.asscalar() / n


def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size,
              params=None, lr=None, trainer=None):
    """训练并评价分类模型（第3章）：没有 trainer 时用 params 和 lr 做小批量随机梯度下降，否则用 trainer。

    每个迭代周期打印一行结果，返回记录了各周期损失、准确率和用时的 History。
    """
    # 把 Gluon 的模型和损失函数编译成符号式程序，计算更快（见“命令式和符号式混合编程”一节）
    for block in (net, loss):
        if isinstance(block, nn.HybridBlock):
            block.hybridize()
    history = History()
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n, start = 0.0, 0.0, 0, time.time()
        for X, y in train_iter:
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            if trainer is None:
                sgd(params, lr, batch_size)
            else:
                trainer.step(batch_size)
            y = y.astype("float32")
            # 累加的是 NDArray：不调用 asscalar()，Python 就不必等每个小批量算完再读下一批
            train_l_sum += l
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum()
            n += y.size
        train_l, train_acc = train_l_sum.asscalar() / n, train_acc_sum.asscalar() / n
        test_acc = evaluate_accuracy(test_iter, net)
        sec = time.time() - start
        print(f"epoch {epoch + 1}, loss {train_l:.4f}, train acc {train_acc:.3f}, "
              f"test acc {test_acc:.3f}, {sec:.1f} sec")
        history.add(train_loss=train_l, train_acc=train_acc, test_acc=test_acc, time=sec)
    return history


def train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs):
    """在设备 ctx 上训练并评价卷积神经网络（第5章），损失函数为 softmax 交叉熵损失。

    每个迭代周期打印一行结果，返回记录了各周期损失、准确率和用时的 History。
    """
    print("training on", ctx)
    loss = gloss.SoftmaxCrossEntropyLoss()
    # 把 Gluon 的模型和损失函数编译成符号式程序，计算更快（见“命令式和符号式混合编程”一节）
    for block in (net, loss):
        if isinstance(block, nn.HybridBlock):
            block.hybridize()
    history = History()
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n, start = 0.0, 0.0, 0, time.time()
        for X, y in train_iter:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx)
            with autograd.record():
                y_hat = net(X)
                l = loss(y_hat, y).sum()
            l.backward()
            trainer.step(batch_size)
            y = y.astype("float32")
            train_l_sum += l  # 累加 NDArray，每个迭代周期结束时才读出数值
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum()
            n += y.size
        train_l, train_acc = train_l_sum.asscalar() / n, train_acc_sum.asscalar() / n
        test_acc = evaluate_accuracy(test_iter, net, ctx)
        sec = time.time() - start
        print(f"epoch {epoch + 1}, loss {train_l:.4f}, train acc {train_acc:.3f}, "
              f"test acc {test_acc:.3f}, {sec:.1f} sec")
        history.add(train_loss=train_l, train_acc=train_acc, test_acc=test_acc, time=sec)
    return history


def train(train_iter, test_iter, net, loss, trainer, ctx, num_epochs):
    """在一个或多个设备 ctx 上训练并评价模型（第9章）：每个小批量拆分到各设备上计算。

    每个迭代周期打印一行结果，返回记录了各周期损失、准确率和用时的 History。
    """
    print("training on", ctx)
    if isinstance(ctx, mx.Context):
        ctx = [ctx]
    # 把 Gluon 的模型和损失函数编译成符号式程序，计算更快（见“命令式和符号式混合编程”一节）
    for block in (net, loss):
        if isinstance(block, nn.HybridBlock):
            block.hybridize()
    history = History()
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n, m, start = 0.0, 0.0, 0, 0, time.time()
        for batch in train_iter:
            Xs, ys, batch_size = _get_batch(batch, ctx)
            with autograd.record():
                y_hats = [net(X) for X in Xs]
                ls = [loss(y_hat, y) for y_hat, y in zip(y_hats, ys)]
            for l in ls:
                l.backward()
            trainer.step(batch_size)
            # 各设备上的结果先复制到 CPU 上再相加
            train_l_sum += sum([l.sum().as_in_context(mx.cpu()) for l in ls])
            n += sum([l.size for l in ls])
            train_acc_sum += sum([(y_hat.argmax(axis=1) == y).sum().as_in_context(mx.cpu())
                                  for y_hat, y in zip(y_hats, ys)])
            m += sum([y.size for y in ys])
        train_l, train_acc = train_l_sum.asscalar() / n, train_acc_sum.asscalar() / m
        test_acc = evaluate_accuracy(test_iter, net, ctx)
        sec = time.time() - start
        print(f"epoch {epoch + 1}, loss {train_l:.4f}, train acc {train_acc:.3f}, "
              f"test acc {test_acc:.3f}, {sec:.1f} sec")
        history.add(train_loss=train_l, train_acc=train_acc, test_acc=test_acc, time=sec)
    return history


# ---------------------------------------------------------------------------------- optimisation


def train_2d(trainer):
    """从 (-5, -2) 出发，用 trainer(x1, x2, s1, s2) 迭代 20 次二维自变量，返回轨迹（第7章）。"""
    x1, x2, s1, s2 = -5, -2, 0, 0  # s1、s2 是自变量状态，后面章节会用到
    results = [(x1, x2)]
    for _ in range(20):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f"epoch {len(results) - 1}, x1 {x1:f}, x2 {x2:f}")
    return results


def train_ch7(trainer_fn, states, hyperparams, features, labels, batch_size=10, num_epochs=2):
    """用从零实现的优化算法 trainer_fn 训练线性回归（第7章），并画出损失曲线（每 100 个样本记录一次）。"""
    net, loss = linreg, squared_loss
    w = nd.random.normal(scale=0.01, shape=(features.shape[1], 1))
    b = nd.zeros(1)
    w.attach_grad()
    b.attach_grad()

    def eval_loss():
        return loss(net(features, w, b), labels).mean()

    ls = [eval_loss()]
    data_iter = gdata.DataLoader(gdata.ArrayDataset(features, labels), batch_size, shuffle=True)
    for _ in range(num_epochs):
        start = time.time()
        for batch_i, (X, y) in enumerate(data_iter):
            with autograd.record():
                l = loss(net(X, w, b), y).mean()  # 使用平均损失
            l.backward()
            trainer_fn([w, b], states, hyperparams)  # 迭代模型参数
            if (batch_i + 1) * batch_size % 100 == 0:
                ls.append(eval_loss())  # 每 100 个样本记录下当前训练误差
    ls = [l.asscalar() for l in ls]
    print(f"loss: {ls[-1]:f}, {time.time() - start:f} sec per epoch")
    set_figsize()
    plt.plot(np.linspace(0, num_epochs, len(ls)), ls)
    plt.xlabel("epoch")
    plt.ylabel("loss")
    return History(loss=ls)


def train_gluon_ch7(trainer_name, trainer_hyperparams, features, labels, batch_size=10, num_epochs=2):
    """用 Gluon 的优化算法 trainer_name 训练线性回归（第7章），并画出损失曲线。"""
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    loss = gloss.L2Loss()

    def eval_loss():
        return loss(net(features), labels).mean()

    ls = [eval_loss()]
    data_iter = gdata.DataLoader(gdata.ArrayDataset(features, labels), batch_size, shuffle=True)
    trainer = gluon.Trainer(net.collect_params(), trainer_name, trainer_hyperparams)
    for _ in range(num_epochs):
        start = time.time()
        for batch_i, (X, y) in enumerate(data_iter):
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(batch_size)  # 在 Trainer 实例里做梯度平均
            if (batch_i + 1) * batch_size % 100 == 0:
                ls.append(eval_loss())
    ls = [l.asscalar() for l in ls]
    print(f"loss: {ls[-1]:f}, {time.time() - start:f} sec per epoch")
    set_figsize()
    plt.plot(np.linspace(0, num_epochs, len(ls)), ls)
    plt.xlabel("epoch")
    plt.ylabel("loss")
    return History(loss=ls)
