"""Reader-side benchmarks in headless Chromium (run by `nox -s bench` after bench_build.py).

* search latency: from a query reaching Material's search box to the first result on screen,
  median over several queries, after the index has loaded;
* chapter page weight: bytes a chapter page transfers beyond the assets every page shares.

Builds the book into a temporary folder; appends to benchmarks/build.json and build.md.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUERIES = ["梯度", "数据", "NDArray", "attach_grad", "初始化", "GPU"]
CHAPTER_PAGE = "chapters/chapter_prerequisite/autograd/"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TIME_QUERY = """async (q) => {
  const input = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const until = (ok, what) => new Promise((done, fail) => {
    const t = performance.now();
    const check = () => ok() ? done() : performance.now() - t > 10000
      ? fail(new Error(what)) : requestAnimationFrame(check);
    check();
  });
  const type = (text) => {
    input.value = text;
    input.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true}));
  };
  input.focus();
  type('');
  await until(() => !list.querySelector('.md-search-result__item'), 'results not cleared');
  const t0 = performance.now();
  type(q);
  await until(() => list.querySelector('.md-search-result__item'), 'no result for ' + q);
  return performance.now() - t0;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("bench_browser needs Debian's chromium")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT,
                       check=True, env={**os.environ, "NBBOOK_EXECUTE": "never", "NO_MKDOCS_2_WARNING": "1"})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page()
            page.goto(url)
            page.click(".md-search__input")
            page.evaluate(TIME_QUERY, "模型")  # the first query also waits for the index to load
            times = [page.evaluate(TIME_QUERY, q) for q in QUERIES for _ in range(3)]
            sizes: dict[str, int] = {}
            chapter = browser.new_page()
            chapter.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
            chapter.goto(url + CHAPTER_PAGE, wait_until="networkidle")
            browser.close()
        server.shutdown()
    shared = sum(v for k, v in sizes.items() if "/assets/" in k or "search_index" in k)
    own = sum(v for k, v in sizes.items() if "/assets/" not in k and "search_index" not in k)
    result = {
        "search_ms_median": round(statistics.median(times), 1),
        "search_ms_max": round(max(times), 1),
        "queries": QUERIES,
        "chapter_page": CHAPTER_PAGE,
        "chapter_page_own_kb": round(own / 1024, 1),
        "shared_assets_kb": round(shared / 1024, 1),
    }
    data_file = HERE / "build.json"
    data = json.loads(data_file.read_text()) if data_file.exists() else {}
    data["browser"] = result
    data_file.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "",
        "## In the browser (headless Chromium)",
        "",
        "| measure | value | target |",
        "|---|---:|---:|",
        f"| search: query to first result, median of {len(times)} ({', '.join(QUERIES)}) "
        f"| {result['search_ms_median']} ms | ≤ 100 ms |",
        f"| search: slowest query | {result['search_ms_max']} ms | |",
        f"| chapter page `{CHAPTER_PAGE}` transferred, beyond shared assets "
        f"| {result['chapter_page_own_kb']} KB | ≤ 150 KB |",
        f"| shared theme assets and search index (cached across pages) | {result['shared_assets_kb']} KB | |",
        "",
    ]
    with (HERE / "build.md").open("a") as fh:
        fh.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
