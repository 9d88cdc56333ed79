"""Training loops reduce the loss on small synthetic problems and print the book's epoch lines."""

from __future__ import annotations

import re

import mxnet as mx
import numpy as np
import pytest
from mxnet import gluon, init, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

import d2lzh as d2l

EPOCH_LINE = re.compile(r"^epoch \d+, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, \d+\.\d sec$")


def _blobs(n: int = 300, num_classes: int = 3, dim: int = 4):
    """Well separated Gaussian clusters: a classifier should reach high accuracy quickly."""
    rng = np.random.RandomState(0)
    centers = rng.normal(scale=3.0, size=(num_classes, dim))
    y = rng.randint(0, num_classes, size=n)
    X = centers[y] + rng.normal(scale=0.5, size=(n, dim))
    return X.astype("float32"), y.astype("int32")


def _loaders(batch_size: int = 30, image: bool = False):
    X, y = _blobs()
    if image:  # (N, 1, 2, 2) "images" for the convolutional loop
        X = X.reshape((-1, 1, 2, 2))
    train = gdata.DataLoader(gdata.ArrayDataset(X[:240], y[:240]), batch_size, shuffle=True)
    test = gdata.DataLoader(gdata.ArrayDataset(X[240:], y[240:]), batch_size)
    return train, test


def _check_history(history, num_epochs, out):
    lines = [line for line in out.splitlines() if line.startswith("epoch")]
    assert len(lines) == num_epochs
    assert all(EPOCH_LINE.match(line) for line in lines), lines
    assert set(history) == {"train_loss", "train_acc", "test_acc", "time"}
    assert all(len(v) == num_epochs for v in history.values())
    # the printed numbers are the returned ones
    first = lines[0]
    assert f"loss {history['train_loss'][0]:.4f}" in first
    assert f"test acc {history['test_acc'][0]:.3f}" in first
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["test_acc"][-1] >= 0.9


def test_train_ch3_from_scratch(capsys):
    train_iter, test_iter = _loaders()
    W = nd.random.normal(scale=0.01, shape=(4, 3))
    b = nd.zeros(3)
    W.attach_grad()
    b.attach_grad()

    def net(X):
        return nd.softmax(nd.dot(X, W) + b)

    def cross_entropy(y_hat, y):
        return -nd.pick(y_hat, y).log()

    history = d2l.train_ch3(net, train_iter, test_iter, cross_entropy, 5, 30, [W, b], 0.1)
    _check_history(history, 5, capsys.readouterr().out)


def test_train_ch3_with_gluon_trainer(capsys):
    train_iter, test_iter = _loaders()
    net = nn.Sequential()
    net.add(nn.Dense(3))
    net.initialize(init.Normal(sigma=0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    history = d2l.train_ch3(
        net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 4, 30, None, None, trainer
    )
    _check_history(history, 4, capsys.readouterr().out)


def test_train_ch5_on_context(capsys):
    train_iter, test_iter = _loaders(image=True)
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, kernel_size=2, activation="relu"), nn.Dense(3))
    net.initialize(init.Xavier(), ctx=mx.cpu())
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.3})
    history = d2l.train_ch5(net, train_iter, test_iter, 30, trainer, mx.cpu(), 4)
    out = capsys.readouterr().out
    assert out.startswith("training on cpu(0)\n")
    _check_history(history, 4, out)


def test_train_multi_device(capsys):
    train_iter, test_iter = _loaders()
    ctx = [mx.cpu(0), mx.cpu(1)]  # two "devices": exercises splitting and per-device sums
    net = nn.Sequential()
    net.add(nn.Dense(16, activation="relu"), nn.Dense(3))
    net.initialize(init.Xavier(), ctx=ctx)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    history = d2l.train(train_iter, test_iter, net, gloss.SoftmaxCrossEntropyLoss(), trainer, ctx, 4)
    _check_history(history, 4, capsys.readouterr().out)


def test_evaluate_accuracy_counts_correct_predictions():
    X = nd.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    y = nd.array([0, 1, 1, 1])

    def net(X):  # predicts the index of the larger feature
        return X

    it = gdata.DataLoader(gdata.ArrayDataset(X, y), 3)
    assert d2l.evaluate_accuracy(it, net) == pytest.approx(0.75)
    assert d2l.evaluate_accuracy(it, net, mx.cpu()) == pytest.approx(0.75)
    assert d2l.evaluate_accuracy(it, net, [mx.cpu(0), mx.cpu(1)]) == pytest.approx(0.75)


def test_evaluate_accuracy_copies_batches_to_ctx():
    net = nn.Dense(2)
    net.initialize(ctx=mx.cpu(1))
    seen = []
    orig = net.forward

    def spy(x, *args):
        seen.append(x.context)
        return orig(x, *args)

    net.forward = spy
    it = gdata.DataLoader(gdata.ArrayDataset(nd.ones((4, 3)), nd.zeros(4)), 2)
    d2l.evaluate_accuracy(it, net, mx.cpu(1))
    assert seen and set(seen) == {mx.cpu(1)}


def test_history_is_silent_in_jupyter_but_a_dict():
    h = d2l.History(train_loss=[1.0])
    assert h["train_loss"] == [1.0] and isinstance(h, dict)
    h.add(train_loss=0.5, time=2.0)
    assert h == {"train_loss": [1.0, 0.5], "time": [2.0]}
    assert h._ipython_display_() is None
    assert "train_loss" in repr(h)


def _linreg_data():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(300, 3)).astype("float32")
    y = X @ np.array([2.0, -3.4, 1.0], dtype="float32") + 4.2
    return nd.array(X), nd.array(y)


def test_train_ch7_with_scratch_sgd(capsys):
    features, labels = _linreg_data()

    def sgd(params, states, hyperparams):
        for p in params:
            p[:] -= hyperparams["lr"] * p.grad

    history = d2l.train_ch7(sgd, None, {"lr": 0.05}, features, labels, batch_size=10, num_epochs=2)
    ls = history["loss"]
    assert len(ls) == 1 + 2 * 300 // 100  # initial loss + one point every 100 examples
    assert ls[-1] < 0.01 * ls[0]
    assert re.match(r"loss: \d+\.\d{6}, \d+\.\d{6} sec per epoch", capsys.readouterr().out)
    ax = d2l.plt.gca()
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), ls)


def test_train_gluon_ch7(capsys):
    features, labels = _linreg_data()
    history = d2l.train_gluon_ch7(
        "sgd", {"learning_rate": 0.05}, features, labels, batch_size=10, num_epochs=2
    )
    ls = history["loss"]
    assert ls[-1] < 0.01 * ls[0]
    assert capsys.readouterr().out.startswith("loss: ")


def test_resnet18_and_residual_shapes():
    blk = d2l.Residual(3)
    blk.initialize()
    X = nd.random.uniform(shape=(4, 3, 6, 6))
    assert blk(X).shape == (4, 3, 6, 6)
    blk = d2l.Residual(6, use_1x1conv=True, strides=2)
    blk.initialize()
    assert blk(X).shape == (4, 6, 3, 3)
    assert (blk(X) >= 0).asnumpy().all()  # ends with ReLU
    net = d2l.resnet18(10)
    net.initialize()
    net.hybridize()  # the package builds it from HybridBlocks
    assert net(nd.random.uniform(shape=(2, 3, 16, 16))).shape == (2, 10)
