"""Computer-vision helpers and the loaders of data sets that exist only online, on generated files
in the real formats (VOC folders in a tar, RecordIO detection records, an image-folder zip, …)."""

from __future__ import annotations

import io
import pickle
import tarfile
import zipfile
from pathlib import Path

import mxnet as mx
import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import data as gdata
from PIL import Image

import d2lzh as d2l

# ------------------------------------------------------------------------------------ VOC helpers


def test_voc_constants():
    assert len(d2l.VOC_CLASSES) == len(d2l.VOC_COLORMAP) == 21
    assert d2l.VOC_CLASSES[1] == "aeroplane" and d2l.VOC_COLORMAP[1] == [128, 0, 0]
    assert len({tuple(c) for c in d2l.VOC_COLORMAP}) == 21


def test_voc_label_indices_maps_colours_to_classes():
    colormap2label = d2l.voc_colormap2label()
    label = nd.array([[[0, 0, 0], [128, 0, 0]], [[0, 64, 128], [192, 0, 0]]], dtype="uint8")
    idx = d2l.voc_label_indices(label, colormap2label)
    assert idx.shape == (2, 2)
    np.testing.assert_array_equal(idx.asnumpy(), [[0, 1], [20, 9]])


def test_voc_rand_crop_keeps_feature_and_label_aligned():
    h, w = 12, 16
    rows, cols = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    feature = nd.array(np.stack([rows, cols, np.zeros_like(rows)], axis=-1), dtype="uint8")
    label = nd.array(np.stack([rows * 2, cols * 2, np.ones_like(rows)], axis=-1), dtype="uint8")
    corners = set()
    for _ in range(20):
        f, lab = d2l.voc_rand_crop(feature, label, 5, 7)
        assert f.shape == (5, 7, 3) and lab.shape == (5, 7, 3)
        np.testing.assert_array_equal(lab.asnumpy()[:, :, :2], f.asnumpy()[:, :, :2] * 2)  # same region
        corners.add((int(f[0, 0, 0].asscalar()), int(f[0, 0, 1].asscalar())))
    assert len(corners) > 1  # the position is random


def _png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array.astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def _jpg(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array.astype(np.uint8)).save(buf, format="JPEG", quality=95)
    return buf.getvalue()


def _voc_files(prefix: str = "") -> dict[str, bytes]:
    """A tiny VOC2012 tree: two training images (one too small to crop) and one validation image."""
    files = {}
    sizes = {"2007_000032": (40, 50), "2007_000033": (10, 10), "2007_000039": (30, 30)}
    for name, (h, w) in sizes.items():
        label = np.zeros((h, w, 3), np.uint8)
        label[: h // 2] = d2l.VOC_COLORMAP[15]  # "person" in the top half
        files[f"{prefix}JPEGImages/{name}.jpg"] = _jpg(np.full((h, w, 3), 200))
        files[f"{prefix}SegmentationClass/{name}.png"] = _png(label)
    files[f"{prefix}ImageSets/Segmentation/train.txt"] = b"2007_000032\n2007_000033\n"
    files[f"{prefix}ImageSets/Segmentation/val.txt"] = b"2007_000039\n"
    return files


def _write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_read_voc_images_and_dataset(tmp_path, capsys):
    root = _write_tree(tmp_path / "VOC2012", _voc_files())
    features, labels = d2l.read_voc_images(str(root), is_train=True)
    assert [f.shape for f in features] == [(40, 50, 3), (10, 10, 3)]
    assert labels[0].dtype == np.uint8
    np.testing.assert_array_equal(labels[0][0, 0].asnumpy(), d2l.VOC_COLORMAP[15])
    ds = d2l.VOCSegDataset(True, (20, 30), str(root), d2l.voc_colormap2label())
    assert len(ds) == 1 and capsys.readouterr().out == "read 1 examples\n"  # the 10x10 image is dropped
    X, y = ds[0]
    assert X.shape == (3, 20, 30) and X.dtype == np.float32 and y.shape == (20, 30)
    assert set(np.unique(y.asnumpy())) <= {0.0, 15.0}
    # normalised with the ImageNet mean and std: a grey 200 becomes (200/255 - mean) / std
    np.testing.assert_allclose(X[:, 5, 5].asnumpy(), (200 / 255 - np.array([0.485, 0.456, 0.406])) /
                               np.array([0.229, 0.224, 0.225]), atol=0.05)  # fmt: skip
    batch = next(iter(gdata.DataLoader(ds, 1, last_batch="keep")))
    assert batch[0].shape == (1, 3, 20, 30)


def test_download_voc_pascal_from_a_mirror_archive(fixture_mirror, tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in _voc_files("VOCdevkit/VOC2012/").items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    fixture_mirror.add("voc/VOCtrainval_11-May-2012.tar", buf.getvalue(), hash_alg="sha1", size=True)
    fixture_mirror.activate()
    voc_dir = d2l.download_voc_pascal()
    assert Path(voc_dir) == d2l.data.data_dir() / "voc" / "VOCdevkit" / "VOC2012"
    features, labels = d2l.read_voc_images(is_train=False)  # root=None: downloads (here: the mirror)
    assert len(features) == len(labels) == 1
    assert Path(d2l.download_voc_pascal(str(tmp_path / "mine"))).is_dir()


def test_real_voc_entry_is_the_published_archive():
    entry = d2l.data.REGISTRY["voc/VOCtrainval_11-May-2012.tar"]
    assert entry.url == "http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar"
    assert entry.known_hash == "sha1:4e443f8a2eca6b1dac8a6c57641b67dd40621a49"


# ------------------------------------------------------------------------------------- Pikachu


def _det_record(i: int, size: int = 40) -> bytes:
    img = np.zeros((size, size, 3), np.uint8)
    img[10:30, 12:28] = (255, 220, 0)  # a yellow "Pikachu"
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG")
    # ImageDetIter labels: [header width, object width, class, xmin, ymin, xmax, ymax] (relative)
    label = np.array([2, 5, 0, 12 / size, 10 / size, 28 / size, 30 / size], dtype=np.float32)
    return mx.recordio.pack(mx.recordio.IRHeader(0, label, i, 0), buf.getvalue())


def test_load_data_pikachu_from_generated_recordio(fixture_mirror, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    rec = mx.recordio.MXIndexedRecordIO(str(src / "train.idx"), str(src / "train.rec"), "w")
    for i in range(6):
        rec.write_idx(i, _det_record(i))
    rec.close()
    val = mx.recordio.MXRecordIO(str(src / "val.rec"), "w")
    for i in range(3):
        val.write(_det_record(i))
    val.close()
    for name in ("train.rec", "train.idx", "val.rec"):
        fixture_mirror.add(f"pikachu/{name}", src=src / name, hash_alg="sha1")
    fixture_mirror.activate()
    train_iter, val_iter = d2l.load_data_pikachu(batch_size=2, edge_size=32)
    batch = train_iter.next()
    assert batch.data[0].shape == (2, 3, 32, 32)
    assert batch.label[0].shape == (2, 1, 5)
    assert batch.label[0][0, 0, 0].asscalar() == 0  # class 0
    vb = val_iter.next()
    np.testing.assert_allclose(vb.label[0][0, 0, 1:].asnumpy(), [0.3, 0.25, 0.7, 0.75], atol=1e-6)
    # _download_pikachu filled the cache folder with verified copies
    assert sorted(p.name for p in (d2l.data.data_dir() / "pikachu").iterdir()) == [
        "train.idx",
        "train.rec",
        "val.rec",
    ]


# -------------------------------------------------------------------------- hotdog, GloVe, CIFAR-10


def test_download_hotdog_gives_image_folders(fixture_mirror):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for split in ("train", "test"):
            zf.writestr(f"hotdog/{split}/hotdog/1.png", _png(np.full((8, 8, 3), 255)))
            zf.writestr(f"hotdog/{split}/not-hotdog/2.png", _png(np.zeros((8, 8, 3))))
    fixture_mirror.add("hotdog/hotdog.zip", buf.getvalue(), hash_alg="sha1")
    fixture_mirror.activate()
    data_dir = d2l.download_hotdog()
    train = gdata.vision.ImageFolderDataset(str(Path(data_dir) / "hotdog" / "train"))
    assert len(train) == 2 and train.synsets == ["hotdog", "not-hotdog"]
    img, label = train[1]
    assert img.shape == (8, 8, 3) and label == 1


def test_load_glove_embedding(fixture_mirror):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("glove.6B.50d/vec.txt", "the 0.1 0.2 0.3\nbeautiful 1 0 -1\nman 0.5 0.5 0.5\n")
    fixture_mirror.add("glove/glove.6B.50d.zip", buf.getvalue(), hash_alg="sha1")
    fixture_mirror.activate()
    emb = d2l.load_glove_embedding("glove.6B.50d")
    assert emb.vec_len == 3 and len(emb) == 4  # three words and <unk>
    np.testing.assert_allclose(emb.get_vecs_by_tokens(["beautiful"]).asnumpy(), [[1, 0, -1]])


def test_load_cifar10_python_batches(fixture_mirror):
    rng = np.random.RandomState(0)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, n in [*((f"data_batch_{i}", 4) for i in range(1, 6)), ("test_batch", 3)]:
            batch = {b"data": rng.randint(0, 256, (n, 3072)).astype(np.uint8), b"labels": list(range(n))}
            data = pickle.dumps(batch)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    fixture_mirror.add("cifar10/cifar-10-python.tar.gz", buf.getvalue(), hash_alg="md5", size=True)
    fixture_mirror.activate()
    X, y = d2l.load_cifar10(train=True)
    assert X.shape == (20, 32, 32, 3) and X.dtype == np.uint8 and y.tolist() == [0, 1, 2, 3] * 5
    X, y = d2l.load_cifar10(train=False)
    assert X.shape == (3, 32, 32, 3)


@pytest.mark.parametrize(
    "name",
    ["pikachu/train.rec", "hotdog/hotdog.zip", "glove/glove.6B.100d.zip", "cifar10/cifar-10-python.tar.gz"],
)
def test_online_only_data_names_its_url_when_unavailable(name, monkeypatch):
    monkeypatch.setenv("D2LZH_OFFLINE", "1")
    with pytest.raises(d2l.data.DataUnavailableError, match=d2l.data.REGISTRY[name].url.replace(".", r"\.")):
        d2l.data.fetch_file(name)
