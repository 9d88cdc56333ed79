"""Numbering, cross-references and citations on Markdown text (no MkDocs build)."""

from __future__ import annotations

import pytest
from nbbook.errors import CrossRefError
from nbbook.refs import Book, PageInfo

A = """# 线性回归

![单层网络](img/net.svg){#fig:net}

| x | y |
|---|---|
| 1 | 2 |
: 一个表 {#tab:small}

$$
y = wx + b
$$ {#eq:linear}

由 [@eq:linear] 和 [@fig:net] 可知，见 [@tab:small]。`[@eq:linear]` 在代码里不变。

```python
print("[@fig:net]")
```
"""

B = """# 梯度下降

沿用[](a.md)中的 [@eq:linear]，并参考 [@hebb1949; @lecun1998]。
"""


@pytest.fixture
def book() -> Book:
    b = Book(bibliography={"hebb1949": "Hebb, 1949", "lecun1998": "LeCun et al., 1998"},
             bib_page="references.md")
    b.scan([PageInfo("chapters/c3/a.md", "3.1", A), PageInfo("chapters/c3/b.md", "3.2", B)])
    return b


def test_definitions_are_numbered_per_chapter_and_anchored(book):
    out = book.apply("chapters/c3/a.md", A)
    assert out.startswith("# 3.1 线性回归")
    assert '<figure markdown="span" id="fig-net">' in out and "图 3.1　单层网络" in out
    assert 'id="tab-small">表 3.1　一个表' in out
    assert '<span id="eq-linear"></span>' in out and "y = wx + b \\tag{3.1}" in out


def test_references_link_within_and_across_pages(book):
    out = book.apply("chapters/c3/a.md", A)
    assert "由 [式 (3.1)](#eq-linear) 和 [图 3.1](#fig-net) 可知，见 [表 3.1](#tab-small)" in out
    other = book.apply("chapters/c3/b.md", B)
    assert "[式 (3.1)](a.md#eq-linear)" in other
    assert "沿用[3.1 线性回归](a.md)中的" in other


def test_code_and_inline_code_are_left_alone(book):
    out = book.apply("chapters/c3/a.md", A)
    assert "`[@eq:linear]` 在代码里不变" in out
    assert 'print("[@fig:net]")' in out


def test_citations_link_to_the_bibliography(book):
    out = book.apply("chapters/c3/b.md", B)
    assert ("([Hebb, 1949](../../references.md#ref-hebb1949); "
            "[LeCun et al., 1998](../../references.md#ref-lecun1998))") in out
    assert book.cited == {"hebb1949", "lecun1998"}


def test_unknown_label_or_key_names_the_page(book):
    with pytest.raises(CrossRefError, match=r"chapters/c3/b.md: reference \[@fig:nope\]"):
        book.apply("chapters/c3/b.md", "见 [@fig:nope]。")
    with pytest.raises(CrossRefError, match=r"citation \[@nobody2020\] is not in the bibliography"):
        book.apply("chapters/c3/b.md", "见 [@nobody2020]。")


def test_duplicate_label_is_refused():
    b = Book()
    with pytest.raises(CrossRefError, match="c3/c.md: label fig:net already defined in chapters/c3/a"):
        b.scan([PageInfo("chapters/c3/a.md", "3.1", A), PageInfo("chapters/c3/c.md", "3.3", A)])
