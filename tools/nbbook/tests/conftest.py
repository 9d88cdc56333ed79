"""A tiny book in a temporary folder, built with the real `mkdocs` command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

MKDOCS_YML = """\
site_name: 测试书
docs_dir: docs
nav:
  - chapters/ch_a/index.md
  - 第一章:
      - chapters/ch_a/calc.md
      - chapters/ch_a/prose.md
plugins:
  - search
  - nbbook:
      timeout: !ENV [NBBOOK_TIMEOUT, 60]
      execute: !ENV [NBBOOK_EXECUTE, auto]
      dependencies:
        helperpkg: helperpkg
      unnumbered: [chapters/ch_a/index.md]
markdown_extensions:
  - attr_list
  - md_in_html
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
"""

CALC = """\
# 计算

先算一个和。

```python
import helperpkg
print("sum =", helperpkg.add(2, 3))
```

## 第二步

```python
x = [i * i for i in range(4)]
x
```
"""

PROSE = """\
# 纯文字

这里没有代码，参见[](calc.md)。
"""


@dataclass
class Build:
    returncode: int
    output: str

    @property
    def executed(self) -> int:
        m = re.search(r"executed (\d+) section\(s\)", self.output)
        assert m, self.output
        return int(m.group(1))


class Book:
    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def build(self, *args: str, **env: str) -> Build:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", *args],
            cwd=self.root,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Build(proc.returncode, proc.stdout + proc.stderr)

    def record(self, rel: str) -> Path:
        return self.root / "notebooks" / rel


@pytest.fixture
def book(tmp_path: Path) -> Book:
    b = Book(tmp_path)
    b.write("mkdocs.yml", MKDOCS_YML)
    b.write("docs/chapters/ch_a/index.md", "# 第一章\n\n引言。\n")
    b.write("docs/chapters/ch_a/calc.md", CALC)
    b.write("docs/chapters/ch_a/prose.md", PROSE)
    b.write("helperpkg/__init__.py", "def add(a, b):\n    return a + b\n")
    b.write("helperpkg/README", "helper\n")
    return b


@pytest.fixture(autouse=True)
def _importable_helper(monkeypatch, tmp_path):
    # The kernel imports `helperpkg` from the tiny book's root.
    monkeypatch.setenv("PYTHONPATH", str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
