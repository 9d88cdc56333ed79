"""The PDF of the whole book, printed from the site by headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata

import pytest
from booksite import ROOT, build, copy_book

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None and not __import__("os").environ.get("CI"),
                       reason="Debian's chromium is not installed (CI installs it and never skips)"),
]


def test_pdf_has_cover_contents_and_extractable_chinese(tmp_path):
    from pypdf import PdfReader

    root = copy_book(tmp_path)
    code, out, executed = build(root, BOOK_PDF="true")
    assert code == 0 and executed == 0, out
    pdf = root / "site/d2l-zh.pdf"
    subprocess.run([sys.executable, str(ROOT / "tools/pdf/make_pdf.py"), str(root / "site"), str(pdf)],
                   check=True, timeout=300)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 20
    # Chromium maps some CJK glyphs to Kangxi radicals (⼿ for 手); NFKC folds them back.
    text = [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]
    assert "动手学深度学习" in text[0]  # cover
    assert "目录" in text[1] and "2.3 自动求梯度" in text[1]
    assert any("2.3 自动求梯度" in t and "attach_grad" in t for t in text[2:])  # chapter with code
    # Math was typeset (the contributing guide quotes `$$` on purpose, so look at chapter pages).
    autograd = [t for t in text[2:] if "2.3 自动求梯度" in t]
    assert autograd and not any("$$" in t or "\\boldsymbol" in t for t in autograd)
