"""d2lzh：《动手学深度学习》各节共用的代码（``import d2lzh as d2l``）。

书中保存下来供后面章节使用的全部函数和类，名字、参数和返回值与 d2lzh 1.0.0（MXNet/Gluon 版）一致。
按主题分成以下模块：

* ``device``: try_gpu, try_all_gpus
* ``plot``: plt, use_svg_display, set_figsize, semilogy, show_images, show_fashion_mnist, bbox_to_rect,
  show_bboxes, show_trace_2d
* ``train``: linreg, squared_loss, sgd, data_iter, grad_clipping, evaluate_accuracy, train_ch3, train_ch5,
  train, train_2d, train_ch7, train_gluon_ch7, Benchmark, History
* ``rnn``: to_onehot, data_iter_random, data_iter_consecutive, predict_rnn(_gluon),
  train_and_predict_rnn(_gluon), RNNModel
* ``text``: IMDb 辅助函数 (download_imdb, read_imdb, count_tokens, get_tokenized_imdb, get_vocab_imdb,
  preprocess_imdb, predict_sentiment)
* ``vision``: corr2d, Residual, resnet18, VOC 语义分割辅助函数, 皮卡丘数据集
* ``data``: 文件登记表、获取函数（缓存 ``D2LZH_DATA_DIR``、镜像 ``D2LZH_DATA_MIRROR``、``D2LZH_OFFLINE``）、
  安全解压、各数据集的读取函数和内存数据的小批量迭代器 ArrayIter
* ``utils``: mkdir_if_not_exist, _make_list
"""

__version__ = "1.0.0"

from .data import (
    ArrayIter,
    FashionMNIST,
    download_hotdog,
    download_kaggle_cifar10_tiny,
    get_data_ch7,
    get_data_file,
    get_fashion_mnist_labels,
    load_cifar10,
    load_data_fashion_mnist,
    load_data_jay_lyrics,
    load_data_kaggle_house,
    load_data_time_machine,
    load_glove_embedding,
    read_fr_en_small,
    read_ptb,
)
from .device import try_all_gpus, try_gpu
from .plot import (
    bbox_to_rect,
    plt,
    semilogy,
    set_figsize,
    show_bboxes,
    show_fashion_mnist,
    show_images,
    show_trace_2d,
    use_svg_display,
)
from .rnn import (
    RNNModel,
    data_iter_consecutive,
    data_iter_random,
    predict_rnn,
    predict_rnn_gluon,
    to_onehot,
    train_and_predict_rnn,
    train_and_predict_rnn_gluon,
)
from .text import (
    count_tokens,
    download_imdb,
    get_tokenized_imdb,
    get_vocab_imdb,
    predict_sentiment,
    preprocess_imdb,
    read_imdb,
)
from .train import (
    Benchmark,
    History,
    _get_batch,
    data_iter,
    evaluate_accuracy,
    grad_clipping,
    linreg,
    sgd,
    squared_loss,
    train,
    train_2d,
    train_ch3,
    train_ch5,
    train_ch7,
    train_gluon_ch7,
)
from .utils import _make_list, mkdir_if_not_exist
from .vision import (
    VOC_CLASSES,
    VOC_COLORMAP,
    Residual,
    VOCSegDataset,
    _download_pikachu,
    corr2d,
    download_voc_pascal,
    load_data_pikachu,
    read_voc_images,
    resnet18,
    voc_colormap2label,
    voc_label_indices,
    voc_rand_crop,
)

__all__ = [
    # the 56 names of d2lzh 1.0.0
    "VOC_CLASSES",
    "VOC_COLORMAP",
    "bbox_to_rect",
    "Benchmark",
    "corr2d",
    "count_tokens",
    "data_iter",
    "data_iter_consecutive",
    "data_iter_random",
    "download_imdb",
    "download_voc_pascal",
    "evaluate_accuracy",
    "get_data_ch7",
    "get_fashion_mnist_labels",
    "get_tokenized_imdb",
    "get_vocab_imdb",
    "grad_clipping",
    "linreg",
    "load_data_fashion_mnist",
    "load_data_jay_lyrics",
    "load_data_pikachu",
    "load_data_time_machine",
    "mkdir_if_not_exist",
    "predict_rnn",
    "predict_rnn_gluon",
    "predict_sentiment",
    "preprocess_imdb",
    "read_imdb",
    "read_voc_images",
    "Residual",
    "resnet18",
    "RNNModel",
    "semilogy",
    "set_figsize",
    "sgd",
    "show_bboxes",
    "show_fashion_mnist",
    "show_images",
    "show_trace_2d",
    "squared_loss",
    "to_onehot",
    "train",
    "train_2d",
    "train_and_predict_rnn",
    "train_and_predict_rnn_gluon",
    "train_ch3",
    "train_ch5",
    "train_ch7",
    "train_gluon_ch7",
    "try_all_gpus",
    "try_gpu",
    "use_svg_display",
    "voc_label_indices",
    "voc_rand_crop",
    "VOCSegDataset",
    "plt",
    "_get_batch",
    "_make_list",
    "_download_pikachu",
    # additions: loaders for the other data sets and helpers
    "ArrayIter",
    "FashionMNIST",
    "History",
    "download_hotdog",
    "download_kaggle_cifar10_tiny",
    "get_data_file",
    "load_cifar10",
    "load_data_kaggle_house",
    "load_glove_embedding",
    "read_fr_en_small",
    "read_ptb",
    "voc_colormap2label",
]
