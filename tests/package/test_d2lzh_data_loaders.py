"""The book's loaders read the offline copies through D2LZH_DATA_MIRROR (never the network)."""

from __future__ import annotations

import dataclasses
import gzip
import os
import struct
from pathlib import Path

import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import data as gdata

import d2lzh as d2l
from d2lzh.data import registry
from d2lzh.data.errors import DataFormatError


def test_registry_matches_the_offline_copies(shared_mirror):
    """Every file of the mirror's SHA256SUMS is registered under the same name with the same sha256."""
    sums = {}
    for line in (shared_mirror / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.removeprefix("./")] = digest
    assert len(sums) >= 16
    for name, digest in sums.items():
        assert registry.REGISTRY[name].known_hash == f"sha256:{digest}", name


# ---------------------------------------------------------------------------------- Fashion-MNIST


def test_fashion_mnist_loaders(use_shared_mirror):
    train_iter, test_iter = d2l.load_data_fashion_mnist(256)
    assert isinstance(train_iter, d2l.ArrayIter)
    assert len(train_iter.labels) == 60000 and len(test_iter.labels) == 10000
    assert len(train_iter) == 235 and len(test_iter) == 40  # batches, the last one smaller
    X, y = next(iter(train_iter))
    assert X.shape == (256, 1, 28, 28) and X.dtype == np.float32
    assert y.shape == (256,) and y.dtype == np.int32
    assert 0 <= X.min().asscalar() and X.max().asscalar() <= 1
    # The test set is not shuffled: its first batch is the file's first images, transformed exactly as
    # ToTensor does one image at a time.
    Xt, yt = next(iter(test_iter))
    ds = d2l.FashionMNIST(train=False)
    one = gdata.vision.transforms.ToTensor()(ds[3][0])
    np.testing.assert_array_equal(Xt[3].asnumpy(), one.asnumpy())
    assert yt[:10].asnumpy().tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    # the files were read in place from the mirror, nothing copied to the cache
    assert not (d2l.data.data_dir() / "fashion-mnist").exists()


def test_fashion_mnist_resize(use_shared_mirror):
    train_iter, test_iter = d2l.load_data_fashion_mnist(8, resize=56)
    X, _ = next(iter(train_iter))
    assert X.shape == (8, 1, 56, 56) and X.dtype == np.float32
    # Resizing the converted batch gives Gluon's Resize + ToTensor of each image (up to uint8 rounding).
    Xt, _ = next(iter(test_iter))
    ds = d2l.FashionMNIST(train=False)
    resize = gdata.vision.transforms.Compose(
        [gdata.vision.transforms.Resize(56), gdata.vision.transforms.ToTensor()]
    )
    np.testing.assert_allclose(Xt[5].asnumpy(), resize(ds[5][0]).asnumpy(), atol=2 / 255)


def test_array_iter_batches_transform_and_reshuffle():
    features = nd.arange(10).reshape((10, 1))
    labels = nd.arange(10, dtype="int32")
    it = d2l.ArrayIter(features, labels, 4, shuffle=True, transform=lambda X: X * 2)
    batches = list(it)
    assert [len(y) for _, y in batches] == [4, 4, 2] and len(it) == 3
    for X, y in batches:  # features and labels stay paired; the transform sees the features only
        np.testing.assert_array_equal(X[:, 0].asnumpy(), 2 * y.asnumpy())
        assert y.dtype == np.int32
    first = np.concatenate([y.asnumpy() for _, y in batches])
    assert sorted(first.tolist()) == list(range(10))
    orders = {tuple(np.concatenate([y.asnumpy() for _, y in it]).tolist()) for _ in range(5)}
    assert len(orders) > 1  # a new order on each pass
    plain = d2l.ArrayIter(features, labels, 4)
    assert np.concatenate([y.asnumpy() for _, y in plain]).tolist() == list(range(10))


def test_fashion_mnist_epochs_cover_the_data_in_a_new_order(use_shared_mirror):
    train_iter, test_iter = d2l.load_data_fashion_mnist(1000)
    ds = d2l.FashionMNIST(train=True)
    counts = np.bincount(ds.labels, minlength=10)
    orders = []
    for _ in range(2):  # the loader can be iterated again: one pass per epoch
        ys = np.concatenate([y.asnumpy() for _, y in train_iter])
        assert len(ys) == 60000 and (np.bincount(ys, minlength=10) == counts).all()
        orders.append(ys)
    assert (orders[0] != orders[1]).any()  # reshuffled every epoch
    ys = np.concatenate([y.asnumpy() for _, y in test_iter])
    np.testing.assert_array_equal(ys, d2l.FashionMNIST(train=False).labels)  # test set in file order


def test_fashion_mnist_dataset_items_like_gluon(use_shared_mirror):
    ds = d2l.FashionMNIST(train=True)
    feature, label = ds[0]
    assert feature.shape == (28, 28, 1) and feature.dtype == np.uint8
    assert isinstance(label, np.int32) and label == 9
    assert d2l.get_fashion_mnist_labels([label]) == ["ankle boot"]
    transformed = ds.transform_first(gdata.vision.transforms.ToTensor())
    assert transformed[0][0].shape == (1, 28, 28)


def test_fashion_mnist_from_the_debian_folder(shared_mirror, tmp_path, monkeypatch):
    debian = tmp_path / "usr-share-datasets-fashion-mnist"
    debian.mkdir()
    for name in os.listdir(shared_mirror / "fashion-mnist"):
        (debian / name).symlink_to(shared_mirror / "fashion-mnist" / name)
    for name in list(registry.REGISTRY):
        if name.startswith("fashion-mnist/"):
            entry = registry.REGISTRY[name]
            assert entry.system_dirs == ("/usr/share/datasets/fashion-mnist",)
            moved = dataclasses.replace(entry, system_dirs=(str(debian),))
            monkeypatch.setitem(registry.REGISTRY, name, moved)
    monkeypatch.setenv("D2LZH_OFFLINE", "1")  # no mirror, no network: only the system folder
    path = d2l.data.fetch_file("fashion-mnist/t10k-labels-idx1-ubyte.gz")
    assert path == debian / "t10k-labels-idx1-ubyte.gz"
    assert len(d2l.FashionMNIST(train=False)) == 10000


def test_fashion_mnist_root_with_outdated_files_is_skipped(use_shared_mirror, tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"not the current release"))
    with pytest.warns(UserWarning, match="skipped"):
        ds = d2l.FashionMNIST(train=False, root=str(old))
    assert len(ds) == 10000


def test_read_idx_checks_the_header(tmp_path):
    good = tmp_path / "ok-idx1-ubyte.gz"
    good.write_bytes(gzip.compress(struct.pack(">BBBBI", 0, 0, 8, 1, 3) + bytes([7, 8, 9])))
    assert d2l.data.read_idx(good).tolist() == [7, 8, 9]
    raw = tmp_path / "img-idx3-ubyte"
    raw.write_bytes(struct.pack(">BBBBIII", 0, 0, 8, 3, 2, 2, 2) + bytes(range(8)))
    assert d2l.data.read_idx(raw).shape == (2, 2, 2)
    bad = tmp_path / "bad.gz"
    bad.write_bytes(gzip.compress(b"PK\x03\x04 not idx"))
    with pytest.raises(DataFormatError, match="not an IDX file"):
        d2l.data.read_idx(bad)
    short = tmp_path / "short.gz"
    short.write_bytes(gzip.compress(struct.pack(">BBBBI", 0, 0, 8, 1, 5) + bytes(3)))
    with pytest.raises(DataFormatError, match="header says"):
        d2l.data.read_idx(short)


# ----------------------------------------------------------------------------- text and tables


def test_load_data_jay_lyrics(use_shared_mirror):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = d2l.load_data_jay_lyrics()
    assert len(corpus_indices) == 10000 and vocab_size == 1027  # the book's numbers
    text = "".join(idx_to_char[i] for i in corpus_indices[:20])
    assert text.startswith("想要有直升机 想要和你飞到宇宙去")
    assert all(char_to_idx[c] == i for i, c in enumerate(idx_to_char))
    assert d2l.load_data_jay_lyrics()[0] == corpus_indices  # same indices on every call and run


def test_load_data_time_machine(use_shared_mirror):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = d2l.load_data_time_machine()
    text = "".join(idx_to_char[i] for i in corpus_indices)
    assert len(text) == 10000 and text.startswith("the time machine, by h. g. wells")
    assert "\n" not in text and text == text.lower() and vocab_size == len(set(text))


def test_get_data_ch7(use_shared_mirror):
    features, labels = d2l.get_data_ch7()
    assert features.shape == (1500, 5) and labels.shape == (1500,)
    assert isinstance(features, nd.NDArray)
    # standardised over all 1503 rows: the first 1500 have mean close to 0 and std close to 1
    assert abs(features.mean().asscalar()) < 0.05
    assert features.asnumpy().std(axis=0) == pytest.approx(np.ones(5), abs=0.05)


def test_kaggle_house(use_shared_mirror):
    train, test = d2l.load_data_kaggle_house()
    assert train.shape == (1460, 81) and test.shape == (1459, 80)
    assert list(train.columns[[0, 1, -1]]) == ["Id", "MSSubClass", "SalePrice"]


def test_ptb_and_fr_en(use_shared_mirror):
    train = d2l.read_ptb("train")
    assert len(train) == 42068
    assert all(isinstance(w, str) for w in train[0])
    assert len(d2l.read_ptb("valid")) > 0
    with pytest.raises(ValueError):
        d2l.read_ptb("dev")
    pairs = d2l.read_fr_en_small()
    assert len(pairs) == 20 and pairs[0] == ("elle est vieille .", "she is old .")


def test_kaggle_cifar10_tiny(use_shared_mirror):
    folder = Path(d2l.download_kaggle_cifar10_tiny())
    assert len(list((folder / "train_tiny").glob("*.png"))) == 100
    assert len(list((folder / "test_tiny").glob("*.png"))) == 1
    assert (folder / "trainLabels.csv").read_text().startswith("id,label")


# ------------------------------------------------------------------------------------------ IMDb


def test_imdb_tiny(use_shared_mirror):
    root = d2l.download_imdb(tiny=True)
    assert Path(root).name == "aclImdb_tiny"
    train = d2l.read_imdb("train", root=root)
    test = d2l.read_imdb("test", root=root)
    assert len(train) == len(test) == 20
    assert sorted(label for _, label in train) == [0] * 10 + [1] * 10
    assert all(review == review.lower() and "\n" not in review for review, _ in train)


def test_imdb_full_from_the_labelled_mirror_copy(use_shared_mirror):
    root = d2l.download_imdb()
    assert Path(root).name == "aclImdb"
    train = d2l.read_imdb("train")  # root=None: the same folder (extracted once)
    assert len(train) == 25000 and sum(label for _, label in train) == 12500
    assert d2l.download_imdb() == root


def test_imdb_offline_without_mirror_names_the_published_archive(monkeypatch):
    monkeypatch.setenv("D2LZH_OFFLINE", "1")
    with pytest.raises(d2l.data.DataUnavailableError) as err:
        d2l.download_imdb()
    msg = str(err.value)
    assert "aclImdb/aclImdb_v1.tar.gz" in msg
    assert "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz" in msg
