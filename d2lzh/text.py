"""IMDb 文本情感分类的辅助函数（第10章）：读取、分词、词典、补齐和预测。"""

from __future__ import annotations

import collections
import os
import random

from mxnet import nd
from mxnet.contrib import text

from . import data
from .device import try_gpu

__all__ = [
    "download_imdb",
    "read_imdb",
    "count_tokens",
    "get_tokenized_imdb",
    "get_vocab_imdb",
    "preprocess_imdb",
    "predict_sentiment",
]


def download_imdb(data_dir=None, *, tiny=False):
    """下载（或从镜像/缓存取得）并解压 IMDb 影评数据集，返回 ``aclImdb`` 文件夹的路径。

    data_dir: 解压到的文件夹（默认是缓存文件夹，见 ``D2LZH_DATA_DIR``）。
    tiny: 只用 40 条影评的小样本（文件夹 ``aclImdb_tiny``），便于快速演示。
    """
    return data.imdb_dir(tiny=tiny, data_dir=data_dir)


def read_imdb(folder='train', *, root=None):
    """读取 IMDb 的 'train' 或 'test' 部分：返回 [影评文本（小写）, 标签（1 正面，0 负面）] 的随机排列列表。

    root: ``aclImdb`` 文件夹；默认先调用 :func:`download_imdb`。
    """
    root = root or download_imdb()
    data = []
    for label in ["pos", "neg"]:
        folder_name = os.path.join(root, folder, label)
        for file in sorted(os.listdir(folder_name)):
            if not file.endswith(".txt"):  # skip stray files such as .DS_Store
                continue
            with open(os.path.join(folder_name, file), "rb") as f:
                review = f.read().decode("utf-8").replace("\n", "").lower()
                data.append([review, 1 if label == "pos" else 0])
    random.shuffle(data)
    return data


def count_tokens(samples):
    """统计所有样本（词的序列）中每个词出现的次数。"""
    token_counter: collections.Counter = collections.Counter()
    for sample in samples:
        token_counter.update(sample)
    return token_counter


def get_tokenized_imdb(data):
    """按空格分词：data 的每个元素是 (影评, 标签)，返回每条影评的小写词列表。"""

    def tokenizer(text):
        return [tok.lower() for tok in text.split(" ")]

    return [tokenizer(review) for review, _ in data]


def get_vocab_imdb(data):
    """用出现至少 5 次的词构建词典；保留 '<pad>'（下标 1，'<unk>' 是 0）。"""
    tokenized_data = get_tokenized_imdb(data)
    counter = collections.Counter([tk for st in tokenized_data for tk in st])
    return text.vocab.Vocabulary(counter, min_freq=5, reserved_tokens=["<pad>"])


def preprocess_imdb(data, vocab):
    """把影评变成定长 500 的词下标序列（截断或补 0），返回 (features, labels)。"""
    max_l = 500  # 将每条评论通过截断或者补0，使得长度变成500
    # The book pads with 0 (which is '<unk>' in this vocabulary) and says so in its text; kept as is.

    def pad(x: list[int]) -> list[int]:
        return x[:max_l] if len(x) > max_l else x + [0] * (max_l - len(x))

    tokenized_data = get_tokenized_imdb(data)
    features = nd.array([pad(vocab.to_indices(x)) for x in tokenized_data])
    labels = nd.array([score for _, score in data])
    return features, labels


def predict_sentiment(net, vocab, sentence):
    """预测一个分好词的句子的情感：返回 'positive' 或 'negative'。"""
    sentence = nd.array(vocab.to_indices(sentence), ctx=try_gpu())
    label = nd.argmax(net(sentence.reshape((1, -1))), axis=1)
    return "positive" if label.asscalar() == 1 else "negative"
