"""The fetcher: mirror, cache, checksums, atomic downloads and the errors a reader sees."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
from pathlib import Path

import pytest

from d2lzh.data import registry
from d2lzh.data.errors import DataHashError, DataUnavailableError
from d2lzh.data.fetch import data_dir, fetch, fetch_first, verify_file

fetch_mod = importlib.import_module("d2lzh.data.fetch")

PAYLOAD = bytes(range(256)) * 64  # 16 KiB


def _leftovers(folder: Path) -> list[str]:
    """Everything in ``folder`` (recursively): after a failed download there must be nothing."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _entry(name: str, url: str | None, data: bytes = PAYLOAD, **kw) -> registry.RemoteFile:
    return registry.RemoteFile(name, url, "sha256:" + hashlib.sha256(data).hexdigest(), **kw)


# ------------------------------------------------------------------------------------ local mirror


def test_mirror_file_is_verified_and_read_in_place(fixture_mirror):
    fixture_mirror.add("grp/a.bin", PAYLOAD)
    fixture_mirror.activate()
    path = fetch("grp/a.bin")
    assert path == fixture_mirror.root / "grp" / "a.bin"
    assert not (data_dir() / "grp").exists()  # no copy made


def test_mirror_as_file_url(fixture_mirror, monkeypatch):
    fixture_mirror.add("grp/a.bin", PAYLOAD)
    monkeypatch.setenv("D2LZH_DATA_MIRROR", fixture_mirror.root.as_uri())
    assert fetch("grp/a.bin") == fixture_mirror.root / "grp" / "a.bin"


def test_mirror_file_copied_when_a_destination_is_asked(fixture_mirror, tmp_path):
    fixture_mirror.add("grp/a.bin", PAYLOAD)
    fixture_mirror.activate()
    path = fetch("grp/a.bin", dest_dir=tmp_path / "dest")
    assert path == tmp_path / "dest" / "a.bin"
    assert path.read_bytes() == PAYLOAD
    assert _leftovers(tmp_path / "dest") == ["a.bin"]  # no temporary file left behind


def test_mirror_hash_mismatch_is_refused(fixture_mirror):
    fixture_mirror.add("grp/a.bin", PAYLOAD)
    (fixture_mirror.root / "grp" / "a.bin").write_bytes(PAYLOAD[:-1] + b"X")  # corrupted after registration
    fixture_mirror.activate()
    with pytest.raises(DataHashError) as err:
        fetch("grp/a.bin")
    msg = str(err.value)
    assert "refused mirror copy" in msg and "grp/a.bin" in msg and "sha256 is" in msg
    assert "D2LZH_DATA_MIRROR" in msg


def test_settings_are_read_at_call_time(fixture_mirror, monkeypatch, tmp_path):
    fixture_mirror.add("grp/a.bin", PAYLOAD)
    fixture_mirror.activate()
    monkeypatch.setenv("D2LZH_DATA_DIR", str(tmp_path / "one"))
    assert fetch("grp/a.bin", dest_dir=None).parent == fixture_mirror.root / "grp"
    assert data_dir() == tmp_path / "one"
    monkeypatch.setenv("D2LZH_DATA_DIR", str(tmp_path / "two"))
    assert data_dir() == tmp_path / "two"


def test_default_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("D2LZH_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "d2lzh"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home" / ".cache" / "d2lzh"


def test_unknown_name_lists_the_registry():
    with pytest.raises(KeyError, match="not a registered data file; known: .*fashion-mnist"):
        fetch("no/such.file")


def test_system_and_extra_folders_with_other_content_are_skipped(tmp_path, monkeypatch, http_server):
    good, bad = tmp_path / "debian", tmp_path / "old-gluon"
    good.mkdir()
    bad.mkdir()
    (good / "f.gz").write_bytes(PAYLOAD)
    (bad / "f.gz").write_bytes(b"an older release")
    monkeypatch.setitem(
        registry.REGISTRY,
        "fm/f.gz",
        _entry("fm/f.gz", http_server.base + "/ok/f.gz", system_dirs=(str(good),)),
    )
    with pytest.warns(UserWarning, match="skipped .*old-gluon.*sha256 is"):
        path = fetch("fm/f.gz", extra_dirs=[bad])
    assert path == good / "f.gz"
    assert http_server.requests == []  # found locally: no download


# ---------------------------------------------------------------------------------------- network


def test_download_is_verified_cached_and_not_repeated(http_server, monkeypatch):
    http_server.files["a.bin"] = PAYLOAD
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", http_server.base + "/ok/a.bin"))
    path = fetch("grp/a.bin")
    assert path == data_dir() / "grp" / "a.bin"
    assert path.read_bytes() == PAYLOAD
    assert _leftovers(data_dir() / "grp") == ["a.bin"]
    assert fetch("grp/a.bin") == path
    assert http_server.requests == ["/ok/a.bin"]  # the second call used the verified cache


def test_truncated_cached_file_is_detected_and_fetched_again(http_server, monkeypatch):
    http_server.files["a.bin"] = PAYLOAD
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", http_server.base + "/ok/a.bin"))
    cached = data_dir() / "grp" / "a.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(PAYLOAD[:1000])  # e.g. left by an interrupted copy made by another tool
    with pytest.warns(UserWarning, match="damaged .*fetching it again"):
        path = fetch("grp/a.bin")
    assert path == cached and cached.read_bytes() == PAYLOAD
    assert http_server.requests == ["/ok/a.bin"]


def test_download_with_wrong_content_is_refused_and_deleted(http_server, monkeypatch):
    http_server.files["a.bin"] = PAYLOAD
    monkeypatch.setitem(
        registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", http_server.base + "/ok/a.bin", data=b"other")
    )
    with pytest.raises(DataHashError, match="refused 'grp/a.bin' downloaded from .*deleted"):
        fetch("grp/a.bin")
    assert _leftovers(data_dir() / "grp") == []


def test_interrupted_download_leaves_no_file(http_server, monkeypatch):
    # The server announces 16 KiB and closes the connection after 8 KiB.
    http_server.files["a.bin"] = PAYLOAD
    url = http_server.base + "/truncated/a.bin"
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", url))
    with pytest.raises(DataUnavailableError) as err:
        fetch("grp/a.bin")
    assert f"download from {url} failed" in str(err.value)
    assert _leftovers(data_dir() / "grp") == []


def test_interrupted_download_without_length_is_caught_by_the_hash(http_server, monkeypatch):
    http_server.files["a.bin"] = PAYLOAD
    monkeypatch.setitem(
        registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", http_server.base + "/nolength/a.bin")
    )
    with pytest.raises(DataHashError):
        fetch("grp/a.bin")
    assert _leftovers(data_dir() / "grp") == []


def test_file_without_known_hash_is_checked_by_size(http_server, monkeypatch):
    http_server.files["a.bin"] = PAYLOAD
    entry = registry.RemoteFile("grp/a.bin", http_server.base + "/nolength/a.bin", None, size=len(PAYLOAD))
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", entry)
    with pytest.raises(DataHashError, match=f"size is {len(PAYLOAD) // 2} bytes, expected {len(PAYLOAD)}"):
        fetch("grp/a.bin")
    assert _leftovers(data_dir() / "grp") == []
    complete = dataclasses.replace(entry, url=entry.url.replace("nolength", "ok"))
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", complete)
    assert fetch("grp/a.bin").stat().st_size == len(PAYLOAD)


def test_offline_without_mirror_gives_an_explained_error(closed_port_url, monkeypatch):
    monkeypatch.setitem(
        registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", closed_port_url, description="demo")
    )
    with pytest.raises(DataUnavailableError) as err:
        fetch("grp/a.bin")
    msg = str(err.value)
    assert "cannot get data file 'grp/a.bin'" in msg
    assert closed_port_url in msg
    assert "D2LZH_DATA_MIRROR" in msg and "D2LZH_DATA_DIR" in msg
    assert str(data_dir() / "grp" / "a.bin") in msg
    assert "ConnectionError" in msg  # the cause, in one line
    # not a socket traceback: the error is raised on its own, with no chained exception
    assert err.value.__cause__ is None and err.value.__context__ is None
    assert isinstance(err.value, OSError)


def test_offline_setting_never_touches_the_network(monkeypatch):
    monkeypatch.setenv("D2LZH_OFFLINE", "1")
    called = []
    monkeypatch.setattr(fetch_mod, "_download", lambda *a: called.append(a))
    with pytest.raises(DataUnavailableError) as err:
        fetch("fashion-mnist/t10k-labels-idx1-ubyte.gz")
    msg = str(err.value)
    assert "D2LZH_OFFLINE is set" in msg
    assert "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz" in msg
    assert called == []


def test_mirror_base_url_is_tried_first(http_server, closed_port_url, monkeypatch):
    http_server.files["grp/a.bin"] = PAYLOAD
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", closed_port_url))
    monkeypatch.setenv("D2LZH_DATA_MIRROR", http_server.base + "/ok/")
    assert fetch("grp/a.bin").read_bytes() == PAYLOAD
    assert http_server.requests == ["/ok/grp/a.bin"]


def test_published_url_used_when_the_mirror_url_lacks_the_file(http_server, monkeypatch):
    http_server.files["a.bin"] = PAYLOAD
    monkeypatch.setitem(registry.REGISTRY, "grp/a.bin", _entry("grp/a.bin", http_server.base + "/ok/a.bin"))
    monkeypatch.setenv("D2LZH_DATA_MIRROR", http_server.base + "/ok/mirror")
    assert fetch("grp/a.bin").read_bytes() == PAYLOAD
    assert http_server.requests == ["/ok/mirror/grp/a.bin", "/ok/a.bin"]


def test_fetch_first_prefers_a_local_alternative(fixture_mirror, http_server, monkeypatch):
    http_server.files["full.bin"] = PAYLOAD * 2
    monkeypatch.setitem(
        registry.REGISTRY,
        "grp/full.bin",
        _entry("grp/full.bin", http_server.base + "/ok/full.bin", PAYLOAD * 2),
    )
    fixture_mirror.add("grp/small.bin", PAYLOAD)  # mirror-only alternative (url None)
    fixture_mirror.activate()
    name, path = fetch_first(["grp/small.bin", "grp/full.bin"])
    assert name == "grp/small.bin" and http_server.requests == []
    os.remove(path)  # without the mirror copy the published file is downloaded
    name, path = fetch_first(["grp/small.bin", "grp/full.bin"])
    assert name == "grp/full.bin" and path.read_bytes() == PAYLOAD * 2


def test_verify_file_reports_size_and_hash(tmp_path):
    p = tmp_path / "x"
    p.write_bytes(b"abc")
    sha1 = hashlib.sha1(b"abc").hexdigest()
    assert verify_file(p, registry.RemoteFile("x", None, f"sha1:{sha1}", size=3)) is None
    assert verify_file(p, registry.RemoteFile("x", None, None, size=4)) == "size is 3 bytes, expected 4"
    assert verify_file(p, registry.RemoteFile("x", None, "md5:00")).startswith("md5 is ")


def test_registry_entries_are_well_formed():
    for name, entry in registry.REGISTRY.items():
        assert entry.name == name and not name.startswith("/") and ".." not in name
        assert entry.url or entry.known_hash, name  # a mirror-only file must at least have a hash
        if entry.known_hash:
            alg, _, digest = entry.known_hash.partition(":")
            assert len(digest) == {"sha256": 64, "sha1": 40, "md5": 32}[alg], name
        else:
            assert entry.size, f"{name}: without a hash the size must be known"
        if entry.url:
            assert entry.url.startswith(("http://", "https://")), name


def test_fetch_module_is_not_hidden_by_the_function():
    import d2lzh.data

    assert d2lzh.data.fetch is fetch_mod
    assert d2lzh.data.fetch_file is fetch_mod.fetch
