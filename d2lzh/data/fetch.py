"""提供数据文件的唯一位置：依次查缓存、镜像、系统文件夹，最后才联网下载。

设置（环境变量，每次调用时读取，导入时不读）：

``D2LZH_DATA_DIR``
    缓存文件夹，默认 ``~/.cache/d2lzh``（设置了 ``$XDG_CACHE_HOME`` 时为 ``$XDG_CACHE_HOME/d2lzh``，
    即 pooch 的 ``os_cache``）。下载的文件、复制的文件和解压结果都按登记名放在这里。
``D2LZH_DATA_MIRROR``
    在联网之前查找。可以是按登记名布局的本地文件夹（或 ``file://`` URL），例如 ``fashion-mnist/…gz``、
    ``d2l-zh-v1/…``、``aclImdb/aclImdb_v1_labeled.tar.gz``；也可以是以同样路径提供文件的基础 URL
    （``https://host/path/``）。本地镜像中的文件校验通过后就地读取（要求放到指定文件夹时才复制）。
``D2LZH_OFFLINE``
    设为 ``1`` 时从不联网（CI、文档构建）：缺少文件立即报错并说明原因。

每个文件都按已知校验和（或大小）检查：损坏或被截断的缓存副本会被删除并重新获取；校验不符的镜像文件
或下载结果一律拒绝。下载先写到目标旁的临时文件夹，校验通过后才移到位，所以中断的下载不会留下看似完整
的文件。
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.parse
import warnings
from collections.abc import Iterable
from pathlib import Path

from .errors import DataError, DataHashError, DataUnavailableError
from .registry import REGISTRY, RemoteFile

__all__ = [
    "data_dir",
    "data_mirror",
    "is_offline",
    "verify_file",
    "fetch",
    "fetch_first",
    "DOWNLOAD_TIMEOUT",
]

#: Seconds to wait for the server (connect and between reads) before giving up on a URL.
DOWNLOAD_TIMEOUT = 30


def _pooch():
    """首次需要时才导入 pooch。"""
    # pooch imports requests and tqdm, which `import d2lzh` should not pay for, and tqdm.auto warns
    # "IProgress not found" in a Jupyter kernel without ipywidgets: that would show in a book cell.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch
    return pooch


_ENV_DIR = "D2LZH_DATA_DIR"
_ENV_MIRROR = "D2LZH_DATA_MIRROR"
_ENV_OFFLINE = "D2LZH_OFFLINE"


def data_dir() -> Path:
    """缓存文件夹：``$D2LZH_DATA_DIR`` 或 ``~/.cache/d2lzh``（这里不创建它）。"""
    value = os.environ.get(_ENV_DIR, "").strip()
    if value:
        return Path(value).expanduser()
    return Path(_pooch().os_cache("d2lzh"))


def data_mirror() -> str | None:
    """镜像设置（本地文件夹或基础 URL），未设置时为 None。"""
    value = os.environ.get(_ENV_MIRROR, "").strip()
    return value or None


def is_offline() -> bool:
    """``D2LZH_OFFLINE`` 禁止下载时为 True。"""
    return os.environ.get(_ENV_OFFLINE, "").strip().lower() in {"1", "true", "yes", "on"}


def _mirror_folder(mirror: str) -> Path | None:
    """镜像设置所指的本地文件夹；若是远程 URL 则为 None。"""
    parsed = urllib.parse.urlparse(mirror)
    if parsed.scheme == "file":
        return Path(urllib.parse.unquote(parsed.path))
    if parsed.scheme in ("http", "https", "ftp", "sftp"):
        return None
    return Path(mirror).expanduser()


def verify_file(path: Path | str, entry: RemoteFile) -> str | None:
    """按条目的大小和校验和检查 ``path``：相符返回 None，否则返回原因。"""
    path = Path(path)
    size = path.stat().st_size
    if entry.size is not None and size != entry.size:
        return f"size is {size} bytes, expected {entry.size}"
    if entry.known_hash:
        alg, _, expected = entry.known_hash.partition(":")
        actual = _pooch().file_hash(str(path), alg=alg)
        if actual.lower() != expected.lower():
            return f"{alg} is {actual}, expected {expected}"
    return None


def _entry(name: str) -> RemoteFile:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"'{name}' is not a registered data file; known: {known}") from None


def _copy_into(src: Path, target: Path) -> Path:
    """经同一文件夹中的临时文件把 ``src`` 复制为 ``target``（原子改名）。"""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def _download(url: str, entry: RemoteFile, target: Path) -> Path:
    """把 ``url`` 下载为 ``target``；校验通过后文件才以最终的名字出现。"""
    # pooch writes to a temporary file, checks the hash and renames; it works inside a private
    # temporary folder next to `target` so that the size check (files without a known hash) also
    # happens before the file gets its final name.
    target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".download"))
    try:
        pooch = _pooch()
        downloader = pooch.HTTPDownloader(timeout=DOWNLOAD_TIMEOUT, progressbar=False)
        try:
            got = pooch.retrieve(
                url, known_hash=entry.known_hash, fname=target.name, path=workdir, downloader=downloader
            )
        except ValueError as exc:
            if "hash" not in str(exc).lower():
                raise
            # pooch's checksum mismatch; it already deleted its temporary file
            raise DataHashError(
                f"refused '{entry.name}' downloaded from {url}: its checksum does not match the known "
                f"{entry.known_hash} (the download was deleted). Either the file changed on the server or "
                f"the download was corrupted; try again, or fetch it by hand and use D2LZH_DATA_MIRROR.\n"
                f"({exc})"
            ) from None
        reason = verify_file(got, entry)  # pooch checked the hash; this also checks the size
        if reason:
            raise DataHashError(f"refused '{entry.name}' downloaded from {url}: {reason} (deleted).")
        os.replace(got, target)
        return target
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _unavailable(
    entry: RemoteFile, target: Path, looked: list[str], failures: list[str]
) -> DataUnavailableError:
    lines = [f"cannot get data file '{entry.name}' ({entry.description or 'data'})."]
    lines.append(f"  published at: {entry.url or '(nowhere: only a prepared mirror copy exists)'}")
    for place in looked:
        lines.append(f"  not found in: {place}")
    for failure in failures:
        lines.append(f"  {failure}")
    lines.append(
        f"To fix: set {_ENV_MIRROR} to a folder holding '{entry.name}' (layout as the registry names, e.g. "
        f"fashion-mnist/…, d2l-zh-v1/…, aclImdb/…) or to a base URL serving it; or download it yourself "
        f"and save it as {target}. The cache folder is set by {_ENV_DIR} (now {data_dir()})."
    )
    return DataUnavailableError("\n".join(lines))


def _local_candidates(entry: RemoteFile, extra_dirs: Iterable[Path | str]) -> list[tuple[Path, bool]]:
    """要尝试的本地副本 (path, strict)；strict 为真时校验不符是错误而不是跳过。"""
    # Folders passed by the caller come first (an explicit argument beats a setting).
    places: list[tuple[Path, bool]] = [(Path(d).expanduser() / entry.basename, False) for d in extra_dirs]
    mirror = data_mirror()
    folder = _mirror_folder(mirror) if mirror else None
    if folder is not None:
        places.append((folder / entry.name, True))
    for d in entry.system_dirs:
        places.append((Path(d) / entry.basename, False))
    return places


def fetch(
    name: str,
    dest_dir: Path | str | None = None,
    extra_dirs: Iterable[Path | str] = (),
    *,
    download: bool = True,
) -> Path:
    """返回登记文件 ``name`` 的本地路径（已校验）。

    dest_dir: 若给出，文件必须放到这个文件夹里（用原文件名），例如填充书中函数被要求使用的文件夹；
        否则可以就地读取本地镜像中的文件，或缓存到 ``data_dir()/name``。
    extra_dirs: 在镜像之前查找的其他文件夹（例如用户已有的副本）；其中校验不符的副本会被跳过并警告。
    download: 为 False 时只用本地副本（同 ``D2LZH_OFFLINE=1``）。

    顺序：目标位置/缓存（损坏的副本会被删除）→ ``extra_dirs`` → 镜像文件夹 → 系统文件夹（例如 Debian 的
    ``/usr/share/datasets``）→ 镜像 URL → 发布地址。
    """
    entry = _entry(name)
    target = Path(dest_dir).expanduser() / entry.basename if dest_dir is not None else data_dir() / entry.name
    looked: list[str] = []

    if target.exists():
        reason = verify_file(target, entry)
        if reason is None:
            return target
        # A truncated or damaged copy (e.g. an old interrupted download made by another tool).
        warnings.warn(f"d2lzh: cached '{target}' is damaged ({reason}); fetching it again.", stacklevel=2)
        target.unlink()
    looked.append(f"{target} (cache)")

    for path, strict in _local_candidates(entry, extra_dirs):
        if not path.is_file():
            looked.append(str(path))
            continue
        reason = verify_file(path, entry)
        if reason is not None:
            if strict:
                raise DataHashError(
                    f"refused mirror copy '{path}' of '{entry.name}': {reason}. Replace it with an intact "
                    f"copy (published at {entry.url}) or unset {_ENV_MIRROR}."
                )
            warnings.warn(f"d2lzh: skipped '{path}': {reason}.", stacklevel=2)
            looked.append(f"{path} (checksum differs, skipped)")
            continue
        if dest_dir is None:
            return path  # verified: read it in place, no copy needed
        return _copy_into(path, target)

    urls: list[str] = []
    mirror = data_mirror()
    if mirror and _mirror_folder(mirror) is None:
        urls.append(mirror.rstrip("/") + "/" + urllib.parse.quote(entry.name))
    if entry.url:
        urls.append(entry.url)
    if not download:
        raise _unavailable(entry, target, looked, ["not downloaded: local copies only were asked for"])
    if is_offline():
        raise _unavailable(entry, target, looked, [f"not downloaded: {_ENV_OFFLINE} is set"])
    failures = []
    for url in urls:
        try:
            return _download(url, entry, target)
        except DataHashError:
            raise
        except Exception as exc:  # requests/urllib3/socket errors: turn them into an explained error
            failures.append(f"download from {url} failed: {type(exc).__name__}: {_short(exc)}")
    raise _unavailable(entry, target, looked, failures)


def _short(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fetch_first(names: Iterable[str], dest_dir: Path | str | None = None) -> tuple[str, Path]:
    """获取几个可互相替代的文件中的第一个可得者，返回 (name, path)。

    先在本地查找每一个候选，再尝试下载，因此镜像中预先准备的副本优先于下载发布的文件。
    """
    names = list(names)
    for name in names:
        try:
            return name, fetch(name, dest_dir, download=False)
        except DataUnavailableError:
            pass
    errors: list[DataError] = []
    for name in names:
        if REGISTRY[name].url is None:
            continue
        try:
            return name, fetch(name, dest_dir)
        except DataUnavailableError as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    raise DataUnavailableError(f"none of {names} is available locally and none has a download URL")
