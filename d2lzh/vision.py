"""卷积、ResNet 和计算机视觉数据集（第5、9章）。"""

from __future__ import annotations

import os

from mxnet import image, nd
from mxnet.gluon import data as gdata
from mxnet.gluon import nn

from . import data
from .data.fetch import fetch

__all__ = [
    "corr2d",
    "Residual",
    "resnet18",
    "VOC_CLASSES",
    "VOC_COLORMAP",
    "voc_colormap2label",
    "voc_label_indices",
    "voc_rand_crop",
    "read_voc_images",
    "download_voc_pascal",
    "VOCSegDataset",
    "load_data_pikachu",
    "_download_pikachu",
]


def corr2d(X, K):
    """二维互相关运算（无填充、步幅 1）：输出形状 (X 高 - K 高 + 1, X 宽 - K 宽 + 1)。"""
    h, w = K.shape
    Y = nd.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


class Residual(nn.HybridBlock):
    """残差块：两个 3×3 卷积（带批量归一化），可选 1×1 卷积变换输入的通道数和高宽。

    它是 HybridBlock（因而也是 ``nn.Block``）：由它构成的网络可以 ``hybridize()`` 以提速。
    """

    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
        self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm()
        self.bn2 = nn.BatchNorm()

    def hybrid_forward(self, F, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        return F.relu(Y + X)


def resnet18(num_classes):
    """稍作修改的 ResNet-18（第一层 3×3 卷积、无最大池化），适合 CIFAR-10 这类小图像。"""

    def resnet_block(num_channels, num_residuals, first_block=False):
        blk = nn.HybridSequential()
        for i in range(num_residuals):
            if i == 0 and not first_block:
                blk.add(Residual(num_channels, use_1x1conv=True, strides=2))
            else:
                blk.add(Residual(num_channels))
        return blk

    net = nn.HybridSequential()
    # 这里使用了较小的卷积核、步幅和填充，并去掉了最大池化层
    net.add(nn.Conv2D(64, kernel_size=3, strides=1, padding=1), nn.BatchNorm(), nn.Activation("relu"))
    net.add(resnet_block(64, 2, first_block=True), resnet_block(128, 2))
    net.add(resnet_block(256, 2), resnet_block(512, 2))
    net.add(nn.GlobalAvgPool2D(), nn.Dense(num_classes))
    return net


# ------------------------------------------------------------------------ Pascal VOC2012 segmentation

VOC_CLASSES = [
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
    "diningtable", "dog", "horse", "motorbike", "person", "potted plant", "sheep", "sofa", "train",
    "tv/monitor",
]  # fmt: skip

VOC_COLORMAP = [
    [0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128], [0, 128, 128],
    [128, 128, 128], [64, 0, 0], [192, 0, 0], [64, 128, 0], [192, 128, 0], [64, 0, 128], [192, 0, 128],
    [64, 128, 128], [192, 128, 128], [0, 64, 0], [128, 64, 0], [0, 192, 0], [128, 192, 0], [0, 64, 128],
]  # fmt: skip


def voc_colormap2label() -> nd.NDArray:
    """长度 256**3 的查找表：RGB 颜色 (r*256+g)*256+b 对应的类别下标（其余为 0）。"""
    colormap2label = nd.zeros(256**3)
    for i, cm in enumerate(VOC_COLORMAP):
        colormap2label[(cm[0] * 256 + cm[1]) * 256 + cm[2]] = i
    return colormap2label


def voc_label_indices(colormap, colormap2label):
    """把标签图像 (高, 宽, 3) 的每个像素颜色映射成类别下标，返回 (高, 宽)。"""
    colormap = colormap.astype("int32")
    idx = (colormap[:, :, 0] * 256 + colormap[:, :, 1]) * 256 + colormap[:, :, 2]
    return colormap2label[idx]


def voc_rand_crop(feature, label, height, width):
    """把图像和标签裁剪成 height×width 的同一区域（位置随机）。"""
    feature, rect = image.random_crop(feature, (width, height))
    label = image.fixed_crop(label, *rect)
    return feature, label


def download_voc_pascal(data_dir=None):
    """下载（或从镜像/缓存取得）并解压 Pascal VOC2012，返回 ``VOCdevkit/VOC2012`` 文件夹的路径。

    data_dir: 解压到的文件夹，默认 ``<缓存>/voc``。压缩包约 2GB，只在首次调用时下载和解压。
    """
    dest = data.fetch_and_extract("voc/VOCtrainval_11-May-2012.tar", data_dir)
    return os.path.join(str(dest), "VOCdevkit", "VOC2012")


def read_voc_images(root=None, is_train=True):
    """读取 VOC 语义分割的训练或验证图像及标签图像（都是 HWC、uint8 的 NDArray），返回两个列表。

    root: ``VOC2012`` 文件夹；默认调用 :func:`download_voc_pascal`。
    """
    root = root or download_voc_pascal()
    txt_fname = os.path.join(root, "ImageSets", "Segmentation", "train.txt" if is_train else "val.txt")
    with open(txt_fname) as f:
        images = f.read().split()
    features, labels = [None] * len(images), [None] * len(images)
    for i, fname in enumerate(images):
        features[i] = image.imread(os.path.join(root, "JPEGImages", f"{fname}.jpg"))
        labels[i] = image.imread(os.path.join(root, "SegmentationClass", f"{fname}.png"))
    return features, labels


class VOCSegDataset(gdata.Dataset):
    """VOC 语义分割数据集：随机裁剪成 crop_size，图像按 ImageNet 均值方差标准化，标签为类别下标。

    比 crop_size 小的图像被去掉。项为 (特征 (3, 高, 宽) float32, 标签 (高, 宽))。
    """

    def __init__(self, is_train, crop_size, voc_dir, colormap2label):
        self.rgb_mean = nd.array([0.485, 0.456, 0.406])
        self.rgb_std = nd.array([0.229, 0.224, 0.225])
        self.crop_size = crop_size
        features, labels = read_voc_images(root=voc_dir, is_train=is_train)
        self.features = [self.normalize_image(feature) for feature in self.filter(features)]
        self.labels = self.filter(labels)
        self.colormap2label = colormap2label
        print("read " + str(len(self.features)) + " examples")

    def normalize_image(self, img):
        return (img.astype("float32") / 255 - self.rgb_mean) / self.rgb_std

    def filter(self, imgs):
        h, w = self.crop_size
        return [img for img in imgs if img.shape[0] >= h and img.shape[1] >= w]

    def __getitem__(self, idx):
        feature, label = voc_rand_crop(self.features[idx], self.labels[idx], *self.crop_size)
        return (feature.transpose((2, 0, 1)), voc_label_indices(label, self.colormap2label))

    def __len__(self):
        return len(self.features)


# ---------------------------------------------------------------------------- Pikachu detection


def _download_pikachu(data_dir: str) -> None:
    """把皮卡丘检测数据集的 train.rec、train.idx、val.rec 放进 data_dir（镜像/缓存优先，已校验）。"""
    for name in ("train.rec", "train.idx", "val.rec"):
        fetch(f"pikachu/{name}", dest_dir=data_dir)


def load_data_pikachu(batch_size, edge_size=256):
    """读取皮卡丘检测数据集：返回训练、验证的 ``image.ImageDetIter``，图像边长 edge_size。"""
    data_dir = os.path.join(data.data_dir(), "pikachu")
    _download_pikachu(data_dir)
    train_iter = image.ImageDetIter(
        path_imgrec=os.path.join(data_dir, "train.rec"),
        path_imgidx=os.path.join(data_dir, "train.idx"),
        batch_size=batch_size,
        data_shape=(3, edge_size, edge_size),  # 输出图像的形状
        shuffle=True,  # 以随机顺序读取数据集
        rand_crop=1,  # 随机裁剪的概率为1
        min_object_covered=0.95,
        max_attempts=200,
    )
    val_iter = image.ImageDetIter(
        path_imgrec=os.path.join(data_dir, "val.rec"),
        batch_size=batch_size,
        data_shape=(3, edge_size, edge_size),
        shuffle=False,
    )
    return train_iter, val_iter
