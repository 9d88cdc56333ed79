"""The built site in headless Chromium (Debian's `chromium`, driven by Playwright)."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (CI installs it and never skips)",
    ),
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium must be installed in CI (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    external: list[str] = []
    pg.on("request", lambda r: external.append(r.url) if "127.0.0.1" not in r.url
          and not r.url.startswith(("data:", "blob:")) else None)
    yield pg
    context.close()
    assert not external, f"the site asked the network for {external}"


def search(page, site_url: str, query: str) -> list[str]:
    """Type ``query`` into the search box as a reader would; return the result links."""
    page.goto(site_url)
    page.click(".md-search__input")
    box = page.locator("input.md-search__input")
    box.press_sequentially(query, delay=40)
    # Playwright inserts CJK text without key events; an IME's commit ends with a keyup,
    # which is what Material's search listens for.
    box.press("End")
    page.locator(".md-search-result__item a").first.wait_for(timeout=15000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def open_result(page, site_url: str, query: str, section: str) -> None:
    """Search for ``query``, expect a result in ``section`` (a URL fragment) and open it."""
    hrefs = search(page, site_url, query)
    assert any(section in h for h in hrefs), hrefs
    page.locator(f'.md-search-result__item a[href*="{section}"]').first.click()
    page.wait_for_url(f"**/{section}**")


def test_search_finds_gradient_and_opens_autograd(page, site_url):
    open_result(page, site_url, "梯度", "chapter_prerequisite/autograd/")
    assert "自动求梯度" in page.locator("article h1").inner_text()


def test_math_is_typeset_not_raw(page, site_url):
    page.goto(site_url + "chapters/chapter_prerequisite/autograd/")
    page.locator(".katex").first.wait_for(timeout=10000)
    assert page.locator(".katex-display").count() >= 1
    body = page.locator("article").inner_text()
    assert "$$" not in body and "\\boldsymbol" not in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "autograd.png"), full_page=False)


def test_nav_shows_numbered_chapters_and_sections(page, site_url):
    page.goto(site_url + "chapters/chapter_prerequisite/ndarray/")
    nav = page.locator("nav.md-nav--primary").inner_text()
    for label in ("1 深度学习简介", "2 预备知识", "2.2 数据操作", "2.3 自动求梯度"):
        assert label in nav, label
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ndarray.png"), full_page=False)


def test_cross_reference_lands_on_its_target(page, site_url):
    page.goto(site_url + "chapters/chapter_introduction/deep-learning-intro/")
    link = page.locator('article a[href="#eq-learning-objective"]').first
    link.click()
    page.wait_for_function("location.hash === '#eq-learning-objective'")
    target = page.locator("#eq-learning-objective")
    assert target.count() == 1
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled into view
    page.goto(site_url + "chapters/chapter_prerequisite/autograd/")
    page.locator('article a:has-text("2.2 数据操作")').first.click()
    page.wait_for_url("**/chapter_prerequisite/ndarray/")


def test_notebook_download_is_a_valid_notebook_with_outputs(page, site_url):
    import nbformat

    page.goto(site_url + "chapters/chapter_prerequisite/ndarray/")
    with page.expect_download() as info:
        page.locator("a.nb-download").click()
    nb = nbformat.read(info.value.path(), as_version=4)
    nbformat.validate(nb)
    assert info.value.suggested_filename == "ndarray.ipynb"
    assert sum(bool(c.get("outputs")) for c in nb.cells if c.cell_type == "code") > 10


def test_dark_palette_toggles(page, site_url):
    page.goto(site_url)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    before = page.evaluate(scheme)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"{scheme} !== '{before}'")
    assert {before, page.evaluate(scheme)} == {"default", "slate"}


def test_search_finds_a_code_identifier_and_opens_its_section(page, site_url):
    open_result(page, site_url, "train_ch3", "softmax-regression-scratch/")
    assert "train_ch3" in page.locator("article").inner_text()


def test_figures_load(page, site_url):
    page.goto(site_url + "chapters/chapter_deep-learning-basics/linear-regression-scratch/")
    images = page.locator("article img")
    assert images.count() >= 1
    page.wait_for_load_state("load")
    widths = images.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert all(w > 0 for w in widths), widths
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("article img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "linear-regression-scratch.png"))
