"""安全地解压 zip 和 tar 压缩包。

写入任何内容之前先检查全部条目：绝对路径、含 ``..`` 的路径、符号链接和硬链接、设备文件和 FIFO
一律以 :class:`UnsafeArchiveError` 拒绝，因此压缩包只能在目标文件夹之内创建文件。解压先在目标文件夹
里的临时文件夹中进行，完成后移到位并写下标记文件；中途被打断的解压下次会重做。
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .errors import UnsafeArchiveError

__all__ = ["check_entry_name", "list_members", "extract_archive", "is_extracted"]


def check_entry_name(name: str) -> str | None:
    """条目名不安全的原因；若它留在目标文件夹之内则返回 None。"""
    if not name:
        return "has an empty name"
    normalized = name.replace("\\", "/")  # zip files made on Windows may use backslashes
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return "is an absolute path"
    if ".." in PurePosixPath(normalized).parts:
        return "contains '..'"
    return None


def _unsafe(archive: Path, name: str, reason: str) -> UnsafeArchiveError:
    return UnsafeArchiveError(
        f"refusing to extract '{archive}': entry {name!r} {reason}; nothing was extracted."
    )


def _zip_members(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as zf:
        names = []
        for info in zf.infolist():
            reason = check_entry_name(info.filename)
            mode = info.external_attr >> 16  # unix mode bits, when the archiver stored them
            if reason is None and stat.S_ISLNK(mode):
                reason = "is a symbolic link"
            if reason:
                raise _unsafe(archive, info.filename, reason)
            names.append(info.filename)
        return names


def _tar_members(archive: Path) -> list[str]:
    with tarfile.open(archive) as tf:
        names = []
        for member in tf.getmembers():
            reason = check_entry_name(member.name)
            if reason is None:
                if member.issym():
                    reason = f"is a symbolic link (to {member.linkname!r})"
                elif member.islnk():
                    reason = f"is a hard link (to {member.linkname!r})"
                elif not (member.isfile() or member.isdir()):
                    reason = "is a device, FIFO or other special file"
            if reason:
                raise _unsafe(archive, member.name, reason)
            names.append(member.name)
        return names


def _is_zip(archive: Path) -> bool:
    return zipfile.is_zipfile(archive)


def list_members(archive: Path | str) -> list[str]:
    """zip 或 tar 压缩包的条目名（先检查全部条目都安全）。"""
    archive = Path(archive)
    if _is_zip(archive):
        return _zip_members(archive)
    if tarfile.is_tarfile(archive):
        return _tar_members(archive)
    raise ValueError(f"'{archive}' is neither a zip nor a tar archive")


def _marker(archive: Path, dest: Path) -> Path:
    return dest / f".{archive.name}.extracted"


def is_extracted(archive_name: str, dest: Path | str, stamp: str) -> bool:
    """``archive_name`` 是否已以相同的 stamp（校验和）完整解压到 ``dest``。"""
    marker = Path(dest) / f".{archive_name}.extracted"
    try:
        return marker.read_text(encoding="utf-8").splitlines()[0] == stamp
    except (OSError, IndexError):
        return False


def extract_archive(archive: Path | str, dest: Path | str, stamp: str | None = None) -> Path:
    """把 ``archive``（zip、tar、tar.gz 等）解压到 ``dest``，返回 ``dest``。

    stamp: 标识压缩包内容（例如校验和）；``dest`` 中已有同一 stamp 的完整解压时什么也不做。
    ``dest`` 中已存在的同名顶层条目会被整体替换。
    """
    archive, dest = Path(archive), Path(dest)
    stamp = stamp or f"size:{archive.stat().st_size}"
    if is_extracted(archive.name, dest, stamp):
        return dest
    members = list_members(archive)  # raises before anything is written
    dest.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest, prefix=f".{archive.name}.", suffix=".extracting"))
    try:
        if _is_zip(archive):
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(tmp)
        else:
            with tarfile.open(archive) as tf:
                if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4
                    # 'data' filter: a second line of defence (also drops unsafe permission bits).
                    tf.extractall(tmp, filter="data")
                else:  # the members were all checked above
                    tf.extractall(tmp)
        parts = (PurePosixPath(m.replace("\\", "/")).parts for m in members)
        tops = sorted({p[0] for p in parts if p})
        for top in tops:
            src, target = tmp / top, dest / top
            if not src.exists():
                continue
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
            os.replace(src, target)
        marker = _marker(archive, dest)
        marker.write_text(stamp + "\n" + "\n".join(tops) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest
