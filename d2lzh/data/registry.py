"""本书读取的文件：每个文件的来源和它必须具有的校验和。

文件的*名字*是它相对于镜像文件夹和缓存文件夹的路径，例如 ``fashion-mnist/train-images-idx3-ubyte.gz``；
布局与离线副本相同（``fashion-mnist/…``、``d2l-zh-v1/…``、``aclImdb/…``），因此那个文件夹的副本可直接
用作镜像。校验和的写法与 pooch 相同：``"sha256:<hex>"``、``"sha1:<hex>"`` 或 ``"md5:<hex>"``；没有可靠
校验和的文件记为 ``None``，并在已知时检查字节数。这里只是一张表，不读写磁盘，也不联网。
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RemoteFile", "REGISTRY", "register", "D2L_ZH_V1_DATA"]


@dataclass(frozen=True)
class RemoteFile:
    """登记表中的一个文件。

    name: 在镜像/缓存布局中的相对路径。
    url: 文件的发布地址（None：只在镜像里有预先准备的副本）。
    known_hash: ``"sha256:…"``、``"sha1:…"``、``"md5:…"``，未知时为 None。
    size: 预期字节数，或 None。
    system_dirs: 操作系统软件包可能放置同一文件的文件夹（只读取，从不写入）。
    """

    name: str
    url: str | None
    known_hash: str | None
    size: int | None = None
    system_dirs: tuple[str, ...] = ()
    description: str = ""

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]


REGISTRY: dict[str, RemoteFile] = {}


def register(entry: RemoteFile) -> RemoteFile:
    """登记（或替换）一个文件，返回该条目。"""
    REGISTRY[entry.name] = entry
    return entry


# --- Fashion-MNIST: the current upstream release (Zalando). Gluon's FashionMNIST checks older SHA-1
# sums and would re-download; these sha256 are the ones of the files published today.
_FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
# Debian's package dataset-fashion-mnist installs the same four files here.
_FASHION_DEBIAN = ("/usr/share/datasets/fashion-mnist",)
for _fname, _sha256 in [
    ("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
    ("train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
    ("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
    ("t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
]:
    register(
        RemoteFile(
            f"fashion-mnist/{_fname}",
            _FASHION_URL + _fname,
            f"sha256:{_sha256}",
            system_dirs=_FASHION_DEBIAN,
            description="Fashion-MNIST (IDX, gzip)",
        )
    )

# --- Files of the d2l-zh repository's data/ folder, MXNet edition (its v1 branch). The sha256 pin the
# exact bytes, so a moved branch can only cause a refused download, never wrong data.
D2L_ZH_V1_DATA = "https://raw.githubusercontent.com/d2l-ai/d2l-zh/v1/data/"
for _fname, _sha256, _desc in [
    (
        "jaychou_lyrics.txt.zip",
        "3cfedd7d174111cdad5a27eaffaa6a2432a2842cf2590a03dd8a97610ea07043",
        "周杰伦歌词",
    ),
    (
        "timemachine.txt",
        "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516",
        "The Time Machine",
    ),
    (
        "kaggle_house_pred_train.csv",
        "1e18addf81e5e4d347cc17ee6075bbe4a42b7fa26b9e5b063e8f692a5f929d41",
        "房价",
    ),
    (
        "kaggle_house_pred_test.csv",
        "8fdd3d829d4d986b58f845c9553b225e67dd8383624d90fb6ca1d4bed5798c1e",
        "房价",
    ),
    (
        "airfoil_self_noise.dat",
        "74c75fd71783f1e6b71f8a622b993dc592897a97cd689c5090a07147a1b097b3",
        "NASA airfoil",
    ),
    (
        "fr-en-small.txt",
        "2fbdf9bbb0dc1f31adb0af10a49c2aa9799de565e1d4bd71257a856d4dc9dbfc",
        "法英句对",
    ),
    (
        "ptb.zip",
        "310d8f602882a5716613815ed75596e5764ea84ed04c5630eebaaf2b943ec5aa",
        "Penn Treebank",
    ),
    (
        "kaggle_cifar10/train_tiny.zip",
        "5db5f98af804a2d503503004b445c7b7998adc0554170c1ebc36e4f467562cd1",
        "CIFAR-10 Kaggle sample",
    ),
    (
        "kaggle_cifar10/test_tiny.zip",
        "79dcd38df5e5c014407b61cb35624f63ee696239e1952dc2f8138c32fd31c3ff",
        "CIFAR-10 Kaggle sample",
    ),
    (
        "kaggle_cifar10/trainLabels.csv.zip",
        "96d621607bba97d83ae7fac5b2f94bee91e50f4d9be00453e77313459c865b61",
        "CIFAR-10 Kaggle labels",
    ),
]:
    register(
        RemoteFile(f"d2l-zh-v1/{_fname}", D2L_ZH_V1_DATA + _fname, f"sha256:{_sha256}", description=_desc)
    )

# The 40-review sample was dropped from later revisions of the repository: pin the commit that has it.
register(
    RemoteFile(
        "d2l-zh-v1/aclImdb_tiny.zip",
        "https://raw.githubusercontent.com/d2l-ai/d2l-zh/f64f966dfafd20df23fc37da62e77909fa7664b7/data/aclImdb_tiny.zip",
        "sha256:556e7340b08cdd0aa827db7d64868d0326d0b79160659d6753dce1afbdfe6e6a",
        description="IMDb sample (40 reviews)",
    )
)

# --- IMDb, Large Movie Review Dataset (Maas et al. 2011). The published archive (84 MB, with unsup/);
# SHA-1 as used by Gluon/d2l. The labelled-only repack below is what offline mirrors hold.
register(
    RemoteFile(
        "aclImdb/aclImdb_v1.tar.gz",
        "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        "sha1:01ada507287d82875905620988597833ad4e0903",
        description="IMDb reviews (full archive)",
    )
)
register(
    RemoteFile(
        "aclImdb/aclImdb_v1_labeled.tar.gz",
        None,  # prepared copy: aclImdb_v1.tar.gz without unsup/; published nowhere, only mirrors have it
        "sha256:fc132c2a23a4d23eec474b518907765dbc9c59e648c1e57ac8010670238ed697",
        description="IMDb reviews (labelled part only)",
    )
)

# --- Not available offline here; real sources, checksums as used by the Gluon/d2l code.
register(
    RemoteFile(
        "voc/VOCtrainval_11-May-2012.tar",
        "http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar",
        "sha1:4e443f8a2eca6b1dac8a6c57641b67dd40621a49",
        size=1_999_639_040,
        description="Pascal VOC2012 trainval",
    )
)
_PIKACHU_URL = "https://apache-mxnet.s3-accelerate.amazonaws.com/gluon/dataset/pikachu/"
for _fname, _sha1 in [
    ("train.rec", "e6bcb6ffba1ac04ff8a9b1115e650af56ee969c8"),
    ("train.idx", "dcf7318b2602c06428b9988470c731621716c393"),
    ("val.rec", "d6c33f799b4d058e82f2cb5bd9a976f69d72d520"),
]:
    register(
        RemoteFile(f"pikachu/{_fname}", _PIKACHU_URL + _fname, f"sha1:{_sha1}", description="皮卡丘 RecordIO")
    )
register(
    RemoteFile(
        "hotdog/hotdog.zip",
        "https://apache-mxnet.s3-accelerate.amazonaws.com/gluon/dataset/hotdog.zip",
        "sha1:fba480ffa8aa7e0febbb511d181409f899b9baa5",
        description="热狗识别（微调）",
    )
)
_D2L_DATA = "http://d2l-data.s3-accelerate.amazonaws.com/"
for _fname, _sha1 in [
    ("glove.6B.50d.zip", "0b8703943ccdb6eb788e6f091b8946e82231bc4d"),
    ("glove.6B.100d.zip", "cd43bfb07e44e6f27cbcc7bc9ae3d80284fdaf5a"),
]:
    register(RemoteFile(f"glove/{_fname}", _D2L_DATA + _fname, f"sha1:{_sha1}", description="GloVe vectors"))
register(
    RemoteFile(
        "cifar10/cifar-10-python.tar.gz",
        "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        "md5:c58f30108f718f92721af3b95e74349a",
        size=170_498_071,
        description="CIFAR-10 (full, python pickles)",
    )
)
