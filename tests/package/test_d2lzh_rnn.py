"""Language-model sampling, RNN prediction and training on tiny corpora."""

from __future__ import annotations

import re

import mxnet as mx
import numpy as np
from mxnet import nd
from mxnet.gluon import rnn

import d2lzh as d2l


def test_data_iter_consecutive_partitions_the_corpus():
    corpus = list(range(30))
    batches = list(d2l.data_iter_consecutive(corpus, batch_size=2, num_steps=6))
    # 2 rows of 15 consecutive indices; (15 - 1) // 6 = 2 batches of 6 steps
    assert len(batches) == 2
    X0, Y0 = batches[0]
    assert X0.shape == (2, 6)
    np.testing.assert_array_equal(X0.asnumpy(), [[0, 1, 2, 3, 4, 5], [15, 16, 17, 18, 19, 20]])
    np.testing.assert_array_equal(Y0.asnumpy(), X0.asnumpy() + 1)  # labels: the next character
    X1, _ = batches[1]
    # adjacent batches continue each row where the previous batch stopped
    np.testing.assert_array_equal(X1[:, 0].asnumpy(), X0[:, -1].asnumpy() + 1)


def test_data_iter_random_examples_are_disjoint_aligned_windows():
    corpus = list(range(30))
    batches = list(d2l.data_iter_random(corpus, batch_size=2, num_steps=6))
    assert len(batches) == 2  # (30 - 1) // 6 = 4 examples, 2 per batch
    starts = []
    for X, Y in batches:
        assert X.shape == Y.shape == (2, 6)
        np.testing.assert_array_equal(Y.asnumpy(), X.asnumpy() + 1)
        for row in X.asnumpy():
            np.testing.assert_array_equal(np.diff(row), np.ones(5))
            starts.append(int(row[0]))
    assert sorted(starts) == [0, 6, 12, 18]  # every example once, at multiples of num_steps


def test_data_iter_random_ctx():
    X, _ = next(d2l.data_iter_random(list(range(20)), 1, 3, ctx=mx.cpu(1)))
    assert X.context == mx.cpu(1)


def _scratch_rnn(vocab_size: int, num_hiddens: int, ctx):
    def get_params():
        def _one(shape):
            return nd.random.normal(scale=0.01, shape=shape, ctx=ctx)

        params = [
            _one((vocab_size, num_hiddens)),
            _one((num_hiddens, num_hiddens)),
            nd.zeros(num_hiddens, ctx=ctx),
            _one((num_hiddens, vocab_size)),
            nd.zeros(vocab_size, ctx=ctx),
        ]
        for p in params:
            p.attach_grad()
        return params

    def init_rnn_state(batch_size, num_hiddens, ctx):
        return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)

    def rnn_fn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        (H,) = state
        outputs = []
        for X in inputs:
            H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)

    return get_params, init_rnn_state, rnn_fn


def _tiny_corpus():
    text = "abcdefgh" * 40
    idx_to_char = sorted(set(text))
    char_to_idx = {c: i for i, c in enumerate(idx_to_char)}
    return [char_to_idx[c] for c in text], char_to_idx, idx_to_char, len(idx_to_char)


def test_predict_rnn_keeps_prefix_and_length():
    corpus, char_to_idx, idx_to_char, vocab_size = _tiny_corpus()
    get_params, init_state, rnn_fn = _scratch_rnn(vocab_size, 16, mx.cpu())
    out = d2l.predict_rnn(
        "abc", 5, rnn_fn, get_params(), init_state, 16, vocab_size, mx.cpu(), idx_to_char, char_to_idx
    )
    assert out.startswith("abc") and len(out) == 8
    assert set(out) <= set(idx_to_char)


def test_train_and_predict_rnn_learns_a_periodic_sequence(capsys):
    corpus, char_to_idx, idx_to_char, vocab_size = _tiny_corpus()
    get_params, init_state, rnn_fn = _scratch_rnn(vocab_size, 32, mx.cpu())
    for is_random in (False, True):
        history = d2l.train_and_predict_rnn(
            rnn_fn, get_params, init_state, 32, vocab_size, mx.cpu(), corpus, idx_to_char, char_to_idx,
            is_random, num_epochs=40, num_steps=8, lr=5.0, clipping_theta=0.1, batch_size=4,
            pred_period=20, pred_len=8, prefixes=["abc"],
        )  # fmt: skip
        ppl = history["perplexity"]
        assert len(ppl) == 40
        assert ppl[0] > 5 and ppl[-1] < 2.0, ppl  # from ~uniform over 8 characters to nearly certain
    out = capsys.readouterr().out
    assert re.search(r"^epoch 20, perplexity \d+\.\d{6}, time \d+\.\d{2} sec$", out, re.M)
    assert " - abcdefghabc" in out  # the learnt continuation of the pattern


def test_rnn_model_shapes_and_predict_gluon():
    corpus, char_to_idx, idx_to_char, vocab_size = _tiny_corpus()
    layer = rnn.RNN(16)
    model = d2l.RNNModel(layer, vocab_size)
    model.initialize()
    state = model.begin_state(batch_size=3, ctx=mx.cpu())
    out, new_state = model(nd.zeros((3, 5)), state)
    assert out.shape == (5 * 3, vocab_size)
    assert new_state[0].shape == (1, 3, 16)
    text = d2l.predict_rnn_gluon("ab", 4, model, vocab_size, mx.cpu(), idx_to_char, char_to_idx)
    assert text.startswith("ab") and len(text) == 6


def test_train_and_predict_rnn_gluon_reduces_perplexity(capsys):
    corpus, char_to_idx, idx_to_char, vocab_size = _tiny_corpus()
    model = d2l.RNNModel(rnn.GRU(32), vocab_size)
    history = d2l.train_and_predict_rnn_gluon(
        model, 32, vocab_size, mx.cpu(), corpus, idx_to_char, char_to_idx,
        num_epochs=30, num_steps=8, lr=10.0, clipping_theta=0.1, batch_size=4,
        pred_period=30, pred_len=5, prefixes=["ab"],
    )  # fmt: skip
    ppl = history["perplexity"]
    assert ppl[0] > 5 and ppl[-1] < ppl[0] / 3, ppl
    assert "epoch 30, perplexity" in capsys.readouterr().out
