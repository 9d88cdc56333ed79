"""Cache keys: what a section's outputs depend on, hashed canonically.

Only code cells enter the key (prose never does), plus the kernel, the sources of the local
packages the section imports, and the versions of the packages that shape outputs.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from .sources import Section


def _digest(obj: object) -> str:
    data = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def tree_digest(root: Path) -> str:
    """Hash every Python source and data registry file below ``root`` (path + content)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).parts
        # Caches (__pycache__, .ruff_cache, …) and hidden files are not sources.
        if any(part == "__pycache__" or part.startswith(".") for part in rel):
            continue
        if path.suffix in {".pyc", ".pyo"}:
            continue
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def environment(packages: list[str]) -> dict[str, str]:
    """Python minor version and the installed versions of ``packages``."""
    env = {"python": f"{sys.version_info.major}.{sys.version_info.minor}"}
    for name in packages:
        try:
            env[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            env[name] = "not installed"
    return env


@dataclass(frozen=True)
class Key:
    """The parts of a record key, kept apart so that staleness can be explained."""

    code: str
    kernel: str
    deps: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return _digest(asdict(self))

    def to_json(self) -> dict:
        return {**asdict(self), "digest": self.digest}

    @classmethod
    def from_json(cls, data: dict) -> Key:
        return cls(
            code=str(data["code"]),
            kernel=str(data["kernel"]),
            deps=dict(data.get("deps", {})),
            env=dict(data.get("env", {})),
        )

    def differences(self, old: Key) -> list[str]:
        """Human-readable reasons why ``old`` no longer matches this key."""
        reasons = []
        if self.code != old.code:
            reasons.append("code cells changed")
        if self.kernel != old.kernel:
            reasons.append(f"kernel changed ({old.kernel} → {self.kernel})")
        for name in sorted(set(self.deps) | set(old.deps)):
            if name not in old.deps:
                reasons.append(f"now imports {name}")
            elif name not in self.deps:
                reasons.append(f"no longer imports {name}")
            elif self.deps[name] != old.deps[name]:
                reasons.append(f"{name} sources changed")
        for name in sorted(set(self.env) | set(old.env)):
            if self.env.get(name) != old.env.get(name):
                reasons.append(f"{name} {old.env.get(name, '-')} → {self.env.get(name, '-')}")
        return reasons


def code_digest(section: Section) -> str:
    return _digest([c.source for c in section.code_cells])


def imports(section: Section, name: str) -> bool:
    pattern = re.compile(rf"^\s*(import|from)\s+{re.escape(name)}\b", re.M)
    return any(pattern.search(c.source) for c in section.code_cells)


class KeyMaker:
    """Computes keys; local package digests are computed once per build."""

    def __init__(self, kernel: str, dependencies: dict[str, Path], env_packages: list[str],
                 kernel_env: dict[str, str] | None = None):
        self.kernel = kernel
        self.dependencies = dependencies
        self.env = environment(env_packages)
        self.env.update({f"${k}": str(v) for k, v in sorted((kernel_env or {}).items())})
        self._tree: dict[str, str] = {}

    def _dep_digest(self, name: str) -> str:
        if name not in self._tree:
            self._tree[name] = tree_digest(self.dependencies[name])
        return self._tree[name]

    def key(self, section: Section) -> Key:
        deps = {n: self._dep_digest(n) for n in self.dependencies if imports(section, n)}
        return Key(code=code_digest(section), kernel=self.kernel, deps=deps, env=dict(self.env))
