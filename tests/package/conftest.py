"""Fixtures for the d2lzh package tests: isolated cache folders, fixture mirrors, a local HTTP server."""

from __future__ import annotations

import hashlib
import http.server
import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before d2lzh imports pyplot: no display here

REPO = Path(__file__).resolve().parents[2]

import matplotlib.pyplot as plt  # noqa: E402
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import d2lzh  # noqa: E402
from d2lzh.data import registry  # noqa: E402

assert d2lzh.__file__ == str(REPO / "d2lzh" / "__init__.py"), d2lzh.__file__


def shared_data_folder() -> Path | None:
    """The offline copies of the book's data: $D2LZH_DATA_MIRROR, ../shared/data beside the repo, or
    /work/shared/data (CI clones the repo elsewhere with shared/ beside it)."""
    candidates = [
        os.environ.get("D2LZH_DATA_MIRROR", ""),
        REPO.parent / "shared" / "data",
        "/work/shared/data",
    ]
    for c in candidates:
        if c and Path(c).is_dir() and (Path(c) / "SHA256SUMS").is_file():
            return Path(c)
    return None


@pytest.fixture(autouse=True)
def _isolated_data_settings(tmp_path_factory, monkeypatch):
    """No test sees the developer's cache, mirror or network settings unless it sets them itself."""
    monkeypatch.setenv("D2LZH_DATA_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("D2LZH_DATA_MIRROR", raising=False)
    monkeypatch.delenv("D2LZH_OFFLINE", raising=False)


@pytest.fixture(autouse=True)
def _seeded():
    random.seed(0)
    np.random.seed(0)
    mx.random.seed(0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def shared_mirror() -> Path:
    folder = shared_data_folder()
    if folder is None:
        pytest.skip("offline data copies (shared/data with SHA256SUMS) not found; set D2LZH_DATA_MIRROR")
    return folder


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One cache for the tests that read the shared mirror, so big archives are extracted once."""
    return tmp_path_factory.mktemp("shared-cache")


@pytest.fixture
def use_shared_mirror(shared_mirror, shared_cache, monkeypatch) -> Path:
    monkeypatch.setenv("D2LZH_DATA_MIRROR", str(shared_mirror))
    monkeypatch.setenv("D2LZH_DATA_DIR", str(shared_cache))
    monkeypatch.setenv("D2LZH_OFFLINE", "1")  # a mirror test must never reach for the network
    return shared_mirror


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class FixtureMirror:
    """A temporary mirror folder plus registry entries for files the tests generate."""

    def __init__(self, root: Path, monkeypatch):
        self.root = root
        self._monkeypatch = monkeypatch

    def add(self, name: str, content: bytes | None = None, *, src: Path | None = None, url: str | None = None,
            hash_alg: str | None = "sha256", size: bool = False) -> registry.RemoteFile:  # fmt: skip
        """Write ``content`` (or copy ``src``) as mirror file ``name`` and register it with its real hash."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if content is not None else Path(src).read_bytes()
        path.write_bytes(data)
        known = None
        if hash_alg:
            known = f"{hash_alg}:{hashlib.new(hash_alg, data).hexdigest()}"
        entry = registry.RemoteFile(name, url, known, size=len(data) if size else None, description="fixture")
        self.register(entry)
        return entry

    def register(self, entry: registry.RemoteFile) -> None:
        self._monkeypatch.setitem(registry.REGISTRY, entry.name, entry)

    def activate(self) -> None:
        self._monkeypatch.setenv("D2LZH_DATA_MIRROR", str(self.root))


@pytest.fixture
def fixture_mirror(tmp_path, monkeypatch) -> FixtureMirror:
    root = tmp_path / "mirror"
    root.mkdir()
    return FixtureMirror(root, monkeypatch)


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.files`` (path → bytes). Paths under /truncated/ announce the full length but
    close the connection half-way; paths under /nolength/ send half the bytes without a length."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        mode, _, name = self.path.lstrip("/").partition("/")
        data = self.server.files.get(name)
        if data is None or mode not in ("ok", "truncated", "nolength"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if mode == "nolength":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if mode == "ok":
            self.wfile.write(data)
        else:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def http_server() -> Iterator[http.server.HTTPServer]:
    """A file server on 127.0.0.1 (random port) in a thread; ``server.base`` is its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.files = {}
    server.requests = []
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting fails at once, like being offline."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing-here"
