"""Build benchmarks for the book (run with `nox -s bench`).

Every scenario runs `mkdocs build` on a temporary copy of the book, in this order:

1. cold: no execution record at all, every section executes;
2. warm: nothing changed since (1);
3. render-only: execution switched off (NBBOOK_EXECUTE=never);
4. prose edit: one sentence of a section changed;
5. code edit: one code cell of a section changed;

then weighs a chapter page: its HTML plus the files only it uses, apart from the theme's shared
assets. Results go to benchmarks/build.json and benchmarks/build.md.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PARTS = ["mkdocs.yml", "jupytext.toml", "CONTRIBUTING.md", "docs", "notebooks", "d2lzh"]
SECTION = "docs/chapters/chapter_prerequisite/ndarray.md"
PAGE = "chapters/chapter_prerequisite/ndarray"


def copy_book(dest: Path, with_record: bool) -> None:
    for part in PARTS:
        if part == "notebooks" and not with_record:
            continue
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)


def build(root: Path, **env: str) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=root, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    seconds = time.perf_counter() - start
    out = proc.stdout + proc.stderr
    if proc.returncode:
        raise SystemExit(f"build failed:\n{out}")
    executed = int(re.search(r"executed (\d+) section\(s\)", out).group(1))
    return {"seconds": round(seconds, 2), "executed": executed}


def page_weight(site: Path) -> dict:
    html = site / PAGE / "index.html"
    own = [p for p in (site / PAGE).parent.rglob("*") if p.is_file() and PAGE.split("/")[-1] in p.name]
    own_bytes = sum(p.stat().st_size for p in own if p != html)
    text = html.read_text(encoding="utf-8")
    shared = 0
    for ref in set(re.findall(r'(?:href|src)="([^"#?]+\.(?:css|js))"', text)):
        path = (site / PAGE / ref).resolve()
        if path.exists():
            shared += path.stat().st_size
    return {"html_kb": round(html.stat().st_size / 1024, 1),
            "page_assets_kb": round(own_bytes / 1024, 1),
            "shared_css_js_kb": round(shared / 1024, 1)}


def main() -> None:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_book(root, with_record=False)
        results["cold build (no record)"] = build(root)
        results["warm build, nothing changed"] = build(root)
        results["render-only build (execute: never)"] = build(root, NBBOOK_EXECUTE="never")
        md = root / SECTION
        text = md.read_text(encoding="utf-8")
        md.write_text(text.replace("## 小结", "## 小结\n\n（基准测试：只改文字。）", 1), encoding="utf-8")
        results["after a prose-only edit"] = build(root)
        text = md.read_text(encoding="utf-8")
        md.write_text(text.replace("```python\n", "```python\nprint('bench')\n", 1), encoding="utf-8")
        results["after a one-cell code edit"] = build(root)
        weight = page_weight(root / "site")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    data = {"machine": machine, "builds": results, "chapter_page": {PAGE: weight}}
    (HERE / "build.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Build benchmarks",
        "",
        f"Measured by `nox -s bench` on {machine}. Each build is a fresh `mkdocs build` process",
        "(so it includes MkDocs start-up and the jieba dictionary load, about 1 s).",
        "",
        "| scenario | seconds | sections executed |",
        "|---|---:|---:|",
    ]
    lines += [f"| {k} | {v['seconds']} | {v['executed']} |" for k, v in results.items()]
    lines += [
        "",
        f"Chapter page `{PAGE}/`: HTML {weight['html_kb']} KB, page-only assets "
        f"{weight['page_assets_kb']} KB; theme CSS/JS shared by all pages {weight['shared_css_js_kb']} KB.",
        "",
    ]
    (HERE / "build.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
