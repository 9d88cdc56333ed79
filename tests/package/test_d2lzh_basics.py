"""Small building blocks: values and shapes on tiny inputs."""

from __future__ import annotations

import re
import subprocess
import sys

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, nd

import d2lzh as d2l

API_NAMES = """
VOC_CLASSES VOC_COLORMAP bbox_to_rect Benchmark corr2d count_tokens data_iter
data_iter_consecutive data_iter_random download_imdb _download_pikachu download_voc_pascal
evaluate_accuracy _get_batch get_data_ch7 get_fashion_mnist_labels get_tokenized_imdb
get_vocab_imdb grad_clipping linreg load_data_fashion_mnist load_data_jay_lyrics
load_data_pikachu load_data_time_machine _make_list mkdir_if_not_exist predict_rnn
predict_rnn_gluon predict_sentiment preprocess_imdb read_imdb read_voc_images Residual resnet18
RNNModel semilogy set_figsize sgd show_bboxes show_fashion_mnist show_images show_trace_2d
squared_loss to_onehot train train_2d train_and_predict_rnn train_and_predict_rnn_gluon
train_ch3 train_ch5 train_ch7 train_gluon_ch7 try_all_gpus try_gpu use_svg_display
voc_label_indices voc_rand_crop VOCSegDataset plt
""".split()


def test_every_book_name_is_exported():
    assert len(API_NAMES) == 59  # 56 public names + 3 internal helpers
    missing = [n for n in API_NAMES if not hasattr(d2l, n)]
    assert missing == []
    assert set(API_NAMES) <= set(d2l.__all__)
    assert d2l.__version__ == "1.0.0"
    assert issubclass(d2l.Residual, mx.gluon.nn.Block)
    assert issubclass(d2l.RNNModel, mx.gluon.nn.Block)
    assert issubclass(d2l.VOCSegDataset, mx.gluon.data.Dataset)
    import matplotlib.pyplot

    assert d2l.plt is matplotlib.pyplot


def test_import_reads_no_environment_and_touches_no_disk(tmp_path):
    # Settings are read when a function is called: importing with a bogus cache folder must not create it.
    bogus = tmp_path / "not-created"
    code = "import d2lzh, os, sys; sys.exit(0 if not os.path.exists(sys.argv[1]) else 1)"
    env = {"D2LZH_DATA_DIR": str(bogus), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(bogus)], env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()


def test_try_gpu_falls_back_to_cpu():
    ctx = d2l.try_gpu()
    if mx.context.num_gpus() == 0:
        assert ctx == mx.cpu()
        assert d2l.try_all_gpus() == [mx.cpu()]
    else:
        assert ctx == mx.gpu(0)
        assert len(d2l.try_all_gpus()) == mx.context.num_gpus()


def test_linreg_and_squared_loss_values():
    X = nd.array([[1, 2], [3, 4]])
    w = nd.array([[1], [-1]])
    b = nd.array([0.5])
    y_hat = d2l.linreg(X, w, b)
    np.testing.assert_allclose(y_hat.asnumpy(), [[-0.5], [-0.5]])
    loss = d2l.squared_loss(y_hat, nd.array([0.5, -2.5]))  # labels of shape (2,) are reshaped
    assert loss.shape == (2, 1)
    np.testing.assert_allclose(loss.asnumpy(), [[0.5], [2.0]])


def test_sgd_updates_in_place():
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        loss = (w * nd.array([3.0, 4.0])).sum()
    loss.backward()
    before = w
    d2l.sgd([w], lr=0.5, batch_size=2)
    assert w is before
    np.testing.assert_allclose(w.asnumpy(), [1 - 0.5 * 3 / 2, 2 - 0.5 * 4 / 2])


def test_data_iter_covers_every_example_once():
    features = nd.arange(23).reshape((23, 1))
    labels = nd.arange(23)
    batches = list(d2l.data_iter(5, features, labels))
    assert [len(y) for _, y in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([y.asnumpy() for _, y in batches])
    assert sorted(seen.tolist()) == list(range(23))
    for X, y in batches:  # features and labels stay paired
        np.testing.assert_array_equal(X[:, 0].asnumpy(), y.asnumpy())
    assert seen.tolist() != list(range(23))  # shuffled (seeded)


def test_corr2d_known_kernel():
    X = nd.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = nd.array([[0, 1], [2, 3]])
    np.testing.assert_allclose(d2l.corr2d(X, K).asnumpy(), [[19, 25], [37, 43]])
    # The edge detector of the book: [1, -1] marks the changes from 1 to 0 and 0 to 1.
    X = nd.ones((2, 6))
    X[:, 2:4] = 0
    Y = d2l.corr2d(X, nd.array([[1, -1]]))
    np.testing.assert_allclose(Y.asnumpy(), [[0, 1, 0, -1, 0]] * 2)


def test_to_onehot_shapes_and_values():
    X = nd.arange(10).reshape((2, 5))
    out = d2l.to_onehot(X, 12)
    assert len(out) == 5 and out[0].shape == (2, 12)
    assert out[1].asnumpy().argmax(axis=1).tolist() == [1, 6]
    assert out[4].sum().asscalar() == 2


def _params_with_grads(grads):
    params = []
    for g in grads:
        p = nd.zeros(len(g))
        p.attach_grad()
        p.grad[:] = nd.array(g)
        params.append(p)
    return params


def test_grad_clipping_scales_to_theta():
    params = _params_with_grads([[3.0, 0.0], [0.0, 4.0]])  # global norm 5
    d2l.grad_clipping(params, 1.0, mx.cpu())
    norm = np.sqrt(sum((p.grad.asnumpy() ** 2).sum() for p in params))
    assert norm == pytest.approx(1.0, rel=1e-6)
    np.testing.assert_allclose(params[0].grad.asnumpy(), [0.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(params[1].grad.asnumpy(), [0.0, 0.8], rtol=1e-6)


def test_grad_clipping_leaves_small_gradients_alone():
    params = _params_with_grads([[0.3, 0.0], [0.0, 0.4]])  # norm 0.5 < theta
    d2l.grad_clipping(params, 1.0, mx.cpu())
    np.testing.assert_allclose(params[0].grad.asnumpy(), [0.3, 0.0], rtol=1e-6)
    zero = _params_with_grads([[0.0, 0.0]])
    d2l.grad_clipping(zero, 1.0, mx.cpu())  # no division by zero
    assert np.all(np.isfinite(zero[0].grad.asnumpy()))


def test_benchmark_prints_time(capsys):
    with d2l.Benchmark("workloads are queued."):
        nd.ones((10, 10)).wait_to_read()
    out = capsys.readouterr().out
    assert re.fullmatch(r"workloads are queued\. time: \d+\.\d{4} sec\n", out)
    with d2l.Benchmark():
        pass
    assert re.fullmatch(r"time: \d+\.\d{4} sec\n", capsys.readouterr().out)


def test_train_2d_runs_20_steps(capsys):
    def gd_2d(x1, x2, s1, s2):  # the book's example: f = x1^2 + 2 x2^2, eta = 0.1
        return (x1 - 0.1 * 2 * x1, x2 - 0.1 * 4 * x2, 0, 0)

    res = d2l.train_2d(gd_2d)
    assert len(res) == 21 and res[0] == (-5, -2)
    assert res[-1][0] == pytest.approx(-5 * 0.8**20)
    assert res[-1][1] == pytest.approx(-2 * 0.6**20)
    assert capsys.readouterr().out.startswith("epoch 20, x1 -0.057646, x2 -0.000073")


def test_make_list_and_mkdir(tmp_path):
    assert d2l._make_list(None, ["b", "g"]) == ["b", "g"]
    assert d2l._make_list("r") == ["r"]
    assert d2l._make_list(("a", "b")) == ("a", "b")
    d2l.mkdir_if_not_exist([str(tmp_path), "a", "b"])
    assert (tmp_path / "a" / "b").is_dir()
    d2l.mkdir_if_not_exist([str(tmp_path), "a", "b"])  # existing: no error
    d2l.mkdir_if_not_exist(str(tmp_path / "c"))
    assert (tmp_path / "c").is_dir()


def test_get_batch_splits_and_casts_labels():
    X = nd.ones((4, 3))
    y = nd.array([0, 1, 2, 3], dtype="int32")
    Xs, ys, n = d2l._get_batch((X, y), mx.cpu())
    assert n == 4 and len(Xs) == 1 and Xs[0].shape == (4, 3)
    assert ys[0].dtype == np.float32
    Xs, ys, n = d2l._get_batch((nd.ones((5, 2)), nd.zeros(5)), [mx.cpu(0), mx.cpu(1)])
    assert [x.shape[0] for x in Xs] == [2, 3] or [x.shape[0] for x in Xs] == [3, 2]
    assert {x.context for x in Xs} == {mx.cpu(0), mx.cpu(1)}


def test_fashion_mnist_text_labels():
    assert d2l.get_fashion_mnist_labels([0, 9, 3]) == ["t-shirt", "ankle boot", "dress"]
    assert d2l.get_fashion_mnist_labels(nd.array([1, 8]).asnumpy()) == ["trouser", "bag"]  # as in the book
