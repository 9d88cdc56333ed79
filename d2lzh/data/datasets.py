"""本书各数据集的读取函数，都经由 :func:`d2lzh.data.fetch.fetch`（唯一的下载者）取得文件。"""

from __future__ import annotations

import gzip
import pickle
import struct
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from mxnet import nd
from mxnet.gluon import data as gdata

from .errors import DataFormatError
from .extract import extract_archive, is_extracted
from .fetch import data_dir as cache_dir
from .fetch import fetch, fetch_first
from .registry import REGISTRY

if TYPE_CHECKING:
    import pandas as pd
    from mxnet.contrib.text.embedding import CustomEmbedding

__all__ = [
    "get_data_file",
    "fetch_and_extract",
    "read_idx",
    "FashionMNIST",
    "ArrayIter",
    "get_fashion_mnist_labels",
    "load_data_fashion_mnist",
    "load_data_jay_lyrics",
    "load_data_time_machine",
    "get_data_ch7",
    "load_data_kaggle_house",
    "read_ptb",
    "read_fr_en_small",
    "imdb_dir",
    "download_kaggle_cifar10_tiny",
    "download_hotdog",
    "load_glove_embedding",
    "load_cifar10",
]


def get_data_file(name: str) -> str:
    """登记文件 ``name`` 的本地路径（字符串），例如 ``'d2l-zh-v1/fr-en-small.txt'``。"""
    return str(fetch(name))


def _stamp(name: str) -> str:
    entry = REGISTRY[name]
    return entry.known_hash or f"size:{entry.size}"


def fetch_and_extract(name: str, dest_dir: Path | str | None = None) -> Path:
    """获取压缩包 ``name`` 并解压到 ``dest_dir``，返回该文件夹。

    默认文件夹是缓存中该压缩包所在的组，例如 ``data_dir()/'d2l-zh-v1'``。已经解压过（标记中的校验和相同）
    的压缩包不再获取，也不再计算校验和。
    """
    entry = REGISTRY[name]
    dest = Path(dest_dir).expanduser() if dest_dir is not None else cache_dir() / Path(name).parent
    if is_extracted(entry.basename, dest, _stamp(name)):
        return dest
    return extract_archive(fetch(name), dest, stamp=_stamp(name))


# ----------------------------------------------------------------------------------- Fashion-MNIST

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: Path | str) -> np.ndarray:
    """读取 IDX 文件（MNIST、Fashion-MNIST 的格式，可为 gzip 压缩），返回 numpy 数组。"""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise DataFormatError(f"'{path}' is not an IDX file (bad magic number {raw[:4].hex()})")
    dtype, ndim = np.dtype(_IDX_TYPES[raw[2]]), raw[3]
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    offset = 4 + 4 * ndim
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - offset != expected:
        raise DataFormatError(
            f"'{path}': header says {shape} ({expected} bytes) but the file has {len(raw) - offset}"
        )
    return np.frombuffer(raw, dtype=dtype, offset=offset).reshape(shape)


def get_fashion_mnist_labels(labels):
    """把 Fashion-MNIST 的数值标签转换成对应的文本标签。"""
    text_labels = ["t-shirt", "trouser", "pullover", "dress", "coat",
                   "sandal", "shirt", "sneaker", "bag", "ankle boot"]
    return [text_labels[int(i)] for i in labels]


class FashionMNIST(gdata.Dataset):
    """Fashion-MNIST 的 Gluon 数据集，读取经过校验的本地文件（镜像、缓存或下载）。

    每项是 ``(图像, 标签)``：形状 (28, 28, 1)、类型 uint8 的 NDArray 和 numpy int32 标签，与
    ``gluon.data.vision.FashionMNIST`` 相同（后者按过时的校验和检查并会重新下载）。全部图像和标签也可以
    一次取得：``images``（形状 (样本数, 28, 28, 1) 的 uint8 NDArray）和 ``labels``（int32 的 numpy 数组）。
    root: 可选，先在其中查找四个 ``*-ubyte.gz`` 文件的文件夹。
    """

    def __init__(self, train: bool = True, root: str | None = None, transform=None):
        prefix = "train" if train else "t10k"
        extra = [root] if root else []
        images = read_idx(fetch(f"fashion-mnist/{prefix}-images-idx3-ubyte.gz", extra_dirs=extra))
        labels = read_idx(fetch(f"fashion-mnist/{prefix}-labels-idx1-ubyte.gz", extra_dirs=extra))
        if images.ndim != 3 or labels.shape != (images.shape[0],):
            raise DataFormatError(f"Fashion-MNIST {prefix}: images {images.shape} and labels {labels.shape}")
        # (N, 28, 28, 1): HWC like Gluon's datasets
        self.images = nd.array(images.reshape(images.shape + (1,)), dtype="uint8")
        self.labels = labels.astype(np.int32)
        self._transform = transform

    def __getitem__(self, idx):
        image, label = self.images[idx], self.labels[idx]
        if self._transform is not None:
            return self._transform(image, label)
        return image, label

    def __len__(self) -> int:
        return len(self.labels)


class ArrayIter:
    """内存中数据集的小批量迭代器：可以反复遍历，每次遍历都像 data_iter 那样按下标一次取出一个小批量。

    shuffle 为 True 时每次遍历前打乱样本的顺序；给出 transform 时，把它作用在每个小批量的特征上。
    """

    def __init__(self, features, labels, batch_size, shuffle=False, transform=None):
        self.features, self.labels = features, labels
        self.batch_size, self.shuffle, self.transform = batch_size, shuffle, transform

    def __iter__(self):
        indices = nd.arange(len(self.labels))
        if self.shuffle:
            indices = nd.random.shuffle(indices)
        for i in range(0, len(indices), self.batch_size):
            j = indices[i : i + self.batch_size]
            X = self.features.take(j)
            if self.transform is not None:
                X = self.transform(X)
            yield X, self.labels.take(j)

    def __len__(self):
        return (len(self.labels) + self.batch_size - 1) // self.batch_size  # 小批量的个数


def load_data_fashion_mnist(batch_size, resize=None, root=None):
    """读取 Fashion-MNIST，返回训练集和测试集的小批量迭代器，图像的形状为 (批量大小, 1, 高, 宽)。

    全部图像事先一次性变换成值在 0 到 1 之间的 float32；给出 resize 时再把每个小批量的图像缩放成
    resize×resize。root 是可选的、先在其中查找数据文件的文件夹。
    """

    def resize_batch(X):
        return nd.contrib.BilinearResize2D(X, height=resize, width=resize, align_corners=False)

    iters = []
    for train in (True, False):
        mnist = FashionMNIST(train=train, root=root)
        features = gdata.vision.transforms.ToTensor()(mnist.images)  # (样本数, 1, 28, 28)
        labels = nd.array(mnist.labels, dtype="int32")
        iters.append(ArrayIter(features, labels, batch_size, shuffle=train,
                               transform=resize_batch if resize else None))
    return iters[0], iters[1]


# ---------------------------------------------------------------------------- character corpora


def load_data_jay_lyrics():
    """周杰伦歌词数据集的前 10000 个字符：返回 (corpus_indices, char_to_idx, idx_to_char, vocab_size)。"""
    with zipfile.ZipFile(get_data_file("d2l-zh-v1/jaychou_lyrics.txt.zip")) as zin:
        with zin.open("jaychou_lyrics.txt") as f:
            corpus_chars = f.read().decode("utf-8")
    corpus_chars = corpus_chars.replace("\n", " ").replace("\r", " ")
    corpus_chars = corpus_chars[0:10000]
    idx_to_char = sorted(set(corpus_chars))  # 排序：每次运行中每个字符的索引都相同
    char_to_idx = {char: i for i, char in enumerate(idx_to_char)}
    vocab_size = len(char_to_idx)
    corpus_indices = [char_to_idx[char] for char in corpus_chars]
    return corpus_indices, char_to_idx, idx_to_char, vocab_size


def load_data_time_machine() -> tuple[list[int], dict[str, int], list[str], int]:
    """《时间机器》的前 10000 个字符（小写）：返回值同 :func:`load_data_jay_lyrics`。"""
    with open(fetch("d2l-zh-v1/timemachine.txt"), encoding="utf-8") as f:
        corpus_chars = f.read()
    corpus_chars = corpus_chars.replace("\n", " ").replace("\r", " ").lower()[0:10000]
    idx_to_char = sorted(set(corpus_chars))
    char_to_idx = {char: i for i, char in enumerate(idx_to_char)}
    return [char_to_idx[char] for char in corpus_chars], char_to_idx, idx_to_char, len(char_to_idx)


# ------------------------------------------------------------------------------ tabular and text


def get_data_ch7():
    """NASA 翼型噪声数据的前 1500 个样本，各列标准化：返回 (features (1500, 5), labels (1500,))。"""
    data = np.genfromtxt(get_data_file("d2l-zh-v1/airfoil_self_noise.dat"), delimiter="\t")
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    return nd.array(data[:1500, :-1]), nd.array(data[:1500, -1])


def load_data_kaggle_house() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kaggle 房价预测的训练、测试数据：两个 pandas DataFrame（1460×81、1459×80）。"""
    import pandas as pd  # imported here: only this loader needs pandas

    return (
        pd.read_csv(fetch("d2l-zh-v1/kaggle_house_pred_train.csv")),
        pd.read_csv(fetch("d2l-zh-v1/kaggle_house_pred_test.csv")),
    )


def read_ptb(split: str = "train") -> list[list[str]]:
    """Penn Treebank 的一个划分（'train'、'valid'、'test'）：每句一个词列表。"""
    if split not in ("train", "valid", "test"):
        raise ValueError(f"split must be 'train', 'valid' or 'test', not {split!r}")
    with zipfile.ZipFile(fetch("d2l-zh-v1/ptb.zip")) as zin:
        lines = zin.read(f"ptb/ptb.{split}.txt").decode("utf-8").splitlines()
    return [line.split() for line in lines]


def read_fr_en_small() -> list[tuple[str, str]]:
    """小型法语-英语句对数据集：(法语句子, 英语句子) 的列表。"""
    with open(fetch("d2l-zh-v1/fr-en-small.txt"), encoding="utf-8") as f:
        pairs = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return [(fr, en) for fr, en in pairs]


def imdb_dir(tiny: bool = False, data_dir: str | None = None) -> str:
    """解压后的 IMDb 影评文件夹（``…/aclImdb``；tiny 时为 ``…/aclImdb_tiny``）。

    完整数据集优先用镜像中只含有标签部分的重新打包版本，否则用发布的压缩包。
    data_dir: 解压到的文件夹（默认是缓存文件夹）。
    """
    if tiny:
        return str(fetch_and_extract("d2l-zh-v1/aclImdb_tiny.zip", data_dir) / "aclImdb_tiny")
    names = ["aclImdb/aclImdb_v1_labeled.tar.gz", "aclImdb/aclImdb_v1.tar.gz"]
    dest = Path(data_dir).expanduser() if data_dir is not None else cache_dir() / "aclImdb"
    for name in names:
        if is_extracted(REGISTRY[name].basename, dest, _stamp(name)):
            return str(dest / "aclImdb")
    name, archive = fetch_first(names)
    extract_archive(archive, dest, stamp=_stamp(name))
    return str(dest / "aclImdb")


def download_kaggle_cifar10_tiny(data_dir: str | None = None) -> str:
    """Kaggle CIFAR-10 的小样本：返回含 ``train_tiny/``、``test_tiny/``、``trainLabels.csv`` 的文件夹。"""
    dest = None if data_dir is None else Path(data_dir).expanduser()
    out = None
    for name in ("train_tiny.zip", "test_tiny.zip", "trainLabels.csv.zip"):
        out = fetch_and_extract(f"d2l-zh-v1/kaggle_cifar10/{name}", dest)
    return str(out)


def download_hotdog(data_dir: str | None = None) -> str:
    """热狗数据集（微调一节）：返回含 ``hotdog/train``、``hotdog/test`` 的文件夹。"""
    return str(fetch_and_extract("hotdog/hotdog.zip", data_dir))


def load_glove_embedding(name: str = "glove.6B.50d") -> CustomEmbedding:
    """预训练 GloVe 词向量（``glove.6B.50d`` 或 ``glove.6B.100d``），作为 ``CustomEmbedding``。

    压缩包中的 ``<name>/vec.txt`` 每行是一个词及其向量：``token v1 … vd``。
    """
    from mxnet.contrib import text

    folder = fetch_and_extract(f"glove/{name}.zip")
    return text.embedding.CustomEmbedding(str(folder / name / "vec.txt"), elem_delim=" ")


def load_cifar10(train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """完整 CIFAR-10（python 版）：返回 (图像 uint8 (N, 32, 32, 3), 标签 int32 (N,))。"""
    folder = fetch_and_extract("cifar10/cifar-10-python.tar.gz") / "cifar-10-batches-py"
    names = [f"data_batch_{i}" for i in range(1, 6)] if train else ["test_batch"]
    images, labels = [], []
    for n in names:
        with open(folder / n, "rb") as f:
            # The official format is pickle; the archive's checksum was verified before extraction.
            batch = pickle.load(f, encoding="bytes")
        images.append(np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        labels.append(np.asarray(batch[b"labels"], dtype=np.int32))
    return np.concatenate(images), np.concatenate(labels)
