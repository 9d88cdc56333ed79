"""Print the book's one-page print version to PDF with headless Chromium (no LaTeX).

Usage: python tools/pdf/make_pdf.py SITE_DIR OUTPUT.pdf
SITE_DIR is a site built with BOOK_PDF=true (it then holds print_page/); `nox -s pdf` does both.
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def make_pdf(site: Path, output: Path) -> None:
    if not (site / "print_page" / "index.html").exists():
        raise SystemExit(f"{site}/print_page/index.html is missing: build the site with BOOK_PDF=true")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed for the PDF: apt-get install chromium fonts-noto-cjk")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/print_page/", wait_until="load")
            # KaTeX typesets after load; wait until no raw display math is left.
            page.wait_for_function("document.querySelectorAll('.arithmatex .katex').length > 0"
                                   " || document.querySelectorAll('.arithmatex').length === 0",
                                   timeout=60000)
            page.emulate_media(media="print")
            output.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(output), format="A4", print_background=True,
                     margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    make_pdf(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {sys.argv[2]}")
