"""d2lzh 的数据层：文件登记表、唯一的获取函数、安全解压和本书各数据集的读取函数。

设置（环境变量，调用函数时读取）：

* ``D2LZH_DATA_DIR``：缓存文件夹（默认 ``~/.cache/d2lzh``）。
* ``D2LZH_DATA_MIRROR``：按登记名存放文件的本地文件夹或基础 URL（``fashion-mnist/…``、``d2l-zh-v1/…``、
  ``aclImdb/…``），在联网之前查找。
* ``D2LZH_OFFLINE=1``：从不下载。
"""

from .datasets import (
    ArrayIter,
    FashionMNIST,
    download_hotdog,
    download_kaggle_cifar10_tiny,
    fetch_and_extract,
    get_data_ch7,
    get_data_file,
    get_fashion_mnist_labels,
    imdb_dir,
    load_cifar10,
    load_data_fashion_mnist,
    load_data_jay_lyrics,
    load_data_kaggle_house,
    load_data_time_machine,
    load_glove_embedding,
    read_fr_en_small,
    read_idx,
    read_ptb,
)
from .errors import DataError, DataFormatError, DataHashError, DataUnavailableError, UnsafeArchiveError
from .extract import extract_archive, list_members

# The function is exported as fetch_file so that ``d2lzh.data.fetch`` stays the module (an attribute
# named like a submodule would hide it from ``import d2lzh.data.fetch as m`` and from monkeypatching).
from .fetch import data_dir, data_mirror, fetch_first, is_offline, verify_file
from .fetch import fetch as fetch_file
from .registry import REGISTRY, RemoteFile, register

__all__ = [
    "ArrayIter",
    "FashionMNIST",
    "download_hotdog",
    "download_kaggle_cifar10_tiny",
    "fetch_and_extract",
    "get_data_ch7",
    "get_data_file",
    "get_fashion_mnist_labels",
    "imdb_dir",
    "load_cifar10",
    "load_data_fashion_mnist",
    "load_data_jay_lyrics",
    "load_data_kaggle_house",
    "load_data_time_machine",
    "load_glove_embedding",
    "read_fr_en_small",
    "read_idx",
    "read_ptb",
    "DataError",
    "DataFormatError",
    "DataHashError",
    "DataUnavailableError",
    "UnsafeArchiveError",
    "extract_archive",
    "list_members",
    "data_dir",
    "data_mirror",
    "fetch_file",
    "fetch_first",
    "is_offline",
    "verify_file",
    "REGISTRY",
    "RemoteFile",
    "register",
]
