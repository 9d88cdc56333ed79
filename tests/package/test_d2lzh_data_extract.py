"""Archive extraction refuses entries that would escape the target folder, and is all-or-nothing."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from d2lzh.data.errors import UnsafeArchiveError
from d2lzh.data.extract import check_entry_name, extract_archive, is_extracted, list_members


def _zip(path: Path, entries: dict[str, bytes], symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16  # how Info-ZIP stores a symbolic link
            zf.writestr(info, target)
    return path


def _tar(path: Path, members: list[tarfile.TarInfo | tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for m in members:
            if isinstance(m, tuple):
                info = tarfile.TarInfo(m[0])
                info.size = len(m[1])
                tf.addfile(info, io.BytesIO(m[1]))
            else:
                tf.addfile(m)
    return path


def _link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def _everything(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", "contains '..'"),
        ("data/../../evil.txt", "contains '..'"),
        ("..\\evil.txt", "contains '..'"),
        ("/etc/evil", "is an absolute path"),
        ("C:/evil", "is an absolute path"),
        ("data/ok.txt", None),
        ("./data/ok..txt", None),
    ],
)
def test_entry_names(name, reason):
    assert check_entry_name(name) == reason


@pytest.mark.parametrize("bad", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt", "..\\evil.txt"])
def test_zip_traversal_is_refused_and_nothing_written(tmp_path, bad):
    archive = _zip(tmp_path / "a.zip", {"data/ok.txt": b"ok", bad: b"evil"})
    dest = tmp_path / "out" / "dest"
    with pytest.raises(UnsafeArchiveError) as err:
        extract_archive(archive, dest)
    assert repr(bad) in str(err.value) and "nothing was extracted" in str(err.value)
    assert _everything(tmp_path / "out") == []
    assert not (tmp_path / "evil.txt").exists()


def test_zip_symlink_is_refused(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"ok.txt": b"ok"}, symlinks={"link": "/etc/passwd"})
    with pytest.raises(UnsafeArchiveError, match="'link' is a symbolic link"):
        extract_archive(archive, tmp_path / "dest")
    assert _everything(tmp_path / "dest") == []


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (("../evil.txt", b"x"), "contains '..'"),
        (("/abs/evil.txt", b"x"), "absolute path"),
        (_link("data/link", "/etc/passwd", tarfile.SYMTYPE), "symbolic link"),
        (_link("data/link", "../../outside", tarfile.SYMTYPE), "symbolic link"),
        (_link("data/hard", "/etc/passwd", tarfile.LNKTYPE), "hard link"),
        (_link("data/fifo", "", tarfile.FIFOTYPE), "special file"),
        (_link("data/dev", "", tarfile.CHRTYPE), "special file"),
    ],
)
def test_tar_unsafe_members_are_refused(tmp_path, member, message):
    archive = _tar(tmp_path / "a.tar.gz", [("data/ok.txt", b"ok"), member])
    with pytest.raises(UnsafeArchiveError, match=message):
        extract_archive(archive, tmp_path / "dest")
    assert _everything(tmp_path / "dest") == []


def test_zip_and_tar_extract_with_marker(tmp_path):
    z = _zip(tmp_path / "a.zip", {"top/a.txt": b"A", "top/sub/b.txt": b"B"})
    dest = extract_archive(z, tmp_path / "dest", stamp="sha256:1")
    assert (dest / "top" / "sub" / "b.txt").read_bytes() == b"B"
    assert is_extracted("a.zip", dest, "sha256:1")
    assert not is_extracted("a.zip", dest, "sha256:2")
    t = _tar(tmp_path / "b.tar.gz", [("./other/c.txt", b"C")])
    extract_archive(t, dest)
    assert (dest / "other" / "c.txt").read_bytes() == b"C"
    # only the archives' content and the markers, no temporary folders
    assert _everything(dest) == sorted(
        [".a.zip.extracted", ".b.tar.gz.extracted", "other", "other/c.txt", "top", "top/a.txt", "top/sub",
         "top/sub/b.txt"]
    )  # fmt: skip
    assert list_members(z) == ["top/a.txt", "top/sub/b.txt"]


def test_extraction_is_skipped_when_done_and_redone_when_the_stamp_changes(tmp_path):
    z = _zip(tmp_path / "a.zip", {"top/a.txt": b"A"})
    dest = extract_archive(z, tmp_path / "dest", stamp="v1")
    (dest / "top" / "a.txt").write_bytes(b"edited")
    extract_archive(z, dest, stamp="v1")
    assert (dest / "top" / "a.txt").read_bytes() == b"edited"  # marker matched: nothing redone
    (dest / "top" / "stale.txt").write_bytes(b"old")
    extract_archive(z, dest, stamp="v2")
    assert (dest / "top" / "a.txt").read_bytes() == b"A"
    assert not (dest / "top" / "stale.txt").exists()  # the top-level folder was replaced as a whole


def test_interrupted_extraction_leaves_no_marker_and_no_partial_folder(tmp_path, monkeypatch):
    z = _zip(tmp_path / "a.zip", {"top/a.txt": b"A", "top/b.txt": b"B"})

    def failing_extractall(self, path, *args, **kwargs):
        os.makedirs(os.path.join(path, "top"))
        Path(path, "top", "a.txt").write_bytes(b"A")
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "extractall", failing_extractall)
    with pytest.raises(OSError, match="disk full"):
        extract_archive(z, tmp_path / "dest", stamp="v1")
    assert _everything(tmp_path / "dest") == []
    monkeypatch.undo()
    extract_archive(z, tmp_path / "dest", stamp="v1")
    assert (tmp_path / "dest" / "top" / "b.txt").read_bytes() == b"B"


def test_not_an_archive(tmp_path):
    p = tmp_path / "x.zip"
    p.write_bytes(b"plain text")
    with pytest.raises(ValueError, match="neither a zip nor a tar"):
        extract_archive(p, tmp_path / "dest")
