"""IMDb helpers on small synthetic reviews."""

from __future__ import annotations

import collections

import numpy as np
from mxnet import nd
from mxnet.gluon import nn

import d2lzh as d2l

DATA = [
    ["a great great movie", 1],
    ["A terrible movie", 0],
] + [["great acting and a great story", 1]] * 5  # fmt: skip


def test_count_tokens():
    counter = d2l.count_tokens([["a", "b", "a"], ["b", "c"]])
    assert isinstance(counter, collections.Counter)
    assert counter == {"a": 2, "b": 2, "c": 1}


def test_get_tokenized_imdb_splits_on_spaces_and_lowercases():
    assert d2l.get_tokenized_imdb(DATA[:2]) == [["a", "great", "great", "movie"], ["a", "terrible", "movie"]]


def test_get_vocab_imdb_min_freq_and_reserved():
    vocab = d2l.get_vocab_imdb(DATA)
    # "great": 12, "a": 7, "acting"/"and"/"story": 5 each, "movie": 2, "terrible": 1
    assert vocab.idx_to_token[:2] == ["<unk>", "<pad>"]
    assert set(vocab.idx_to_token[2:]) == {"great", "a", "acting", "and", "story"}
    assert vocab.to_indices("movie") == 0


def test_preprocess_imdb_pads_and_truncates_to_500():
    vocab = d2l.get_vocab_imdb(DATA)
    long_review = [" ".join(["great"] * 600), 1]
    features, labels = d2l.preprocess_imdb([DATA[0], long_review], vocab)
    assert features.shape == (2, 500) and labels.shape == (2,)
    row = features[0].asnumpy()
    assert row[:4].tolist() == vocab.to_indices(["a", "great", "great", "movie"])
    assert (row[4:] == 0).all()  # padded with 0, as the book describes
    assert (features[1].asnumpy() == vocab.to_indices("great")).all()
    np.testing.assert_array_equal(labels.asnumpy(), [1, 1])


def test_predict_sentiment_uses_the_nets_prediction():
    vocab = d2l.get_vocab_imdb(DATA)

    class Stub(nn.Block):
        """Positive when the review contains 'great'."""

        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(2)  # a parameter, so the context can be inferred

        def forward(self, x):
            great = (x == vocab.to_indices("great")).sum(axis=1)
            return nd.stack(1 - (great > 0), great > 0, axis=1)

    net = Stub()
    net.initialize()
    assert d2l.predict_sentiment(net, vocab, ["a", "great", "movie"]) == "positive"
    assert d2l.predict_sentiment(net, vocab, ["a", "terrible", "movie"]) == "negative"


def test_read_imdb_folder_layout(tmp_path):
    root = tmp_path / "aclImdb"
    for split, label, name, text in [
        ("train", "pos", "0_9.txt", "Loved it.\nReally."),
        ("train", "neg", "1_2.txt", "Hated it."),
        ("test", "pos", "2_8.txt", "Fine."),
    ]:
        (root / split / label).mkdir(parents=True, exist_ok=True)
        (root / split / label / name).write_text(text, encoding="utf-8")
    (root / "test" / "neg").mkdir()
    (root / "train" / "pos" / ".DS_Store").write_bytes(b"\x00\x01")  # stray files are ignored
    data = d2l.read_imdb("train", root=str(root))
    assert sorted(data) == [["hated it.", 0], ["loved it.really.", 1]]
    assert d2l.read_imdb("test", root=str(root)) == [["fine.", 1]]
