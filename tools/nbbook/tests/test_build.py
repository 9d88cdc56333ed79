"""The plugin end to end: execution, the record, staleness and failures (real mkdocs builds)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import nbformat


def test_first_build_executes_and_renders_outputs(book):
    result = book.build()
    assert result.returncode == 0, result.output
    assert result.executed == 1  # calc.md; prose.md has no code and index.md neither
    html = book.read("site/chapters/ch_a/calc/index.html")
    assert "sum = 5" in html
    assert "[0, 1, 4, 9]" in html
    assert 'class="nb-output"' in html
    record = nbformat.read(book.record("ch_a/calc.ipynb"), as_version=4)
    assert record.metadata["nbbook"]["key"]["digest"]
    assert not book.record("ch_a/prose.ipynb").exists()


def test_numbers_nav_and_fills_empty_section_links(book):
    assert book.build().returncode == 0
    html = book.read("site/chapters/ch_a/prose/index.html")
    assert "1.2 纯文字" in html  # numbered title
    assert ">1.1 计算</a>" in html  # [](calc.md) filled with number and title


def test_prose_edit_executes_nothing_code_edit_executes_one(book):
    assert book.build().executed == 1
    book.write("docs/chapters/ch_a/calc.md", book.read("docs/chapters/ch_a/calc.md").replace(
        "先算一个和。", "先算一个和，再看平方。"))
    again = book.build()
    assert again.returncode == 0 and again.executed == 0
    assert "再看平方" in book.read("site/chapters/ch_a/calc/index.html")
    assert "再看平方" in book.record("ch_a/calc.ipynb").read_text()  # the paired notebook follows
    assert "sum = 5" in book.read("site/chapters/ch_a/calc/index.html")  # outputs from record
    book.write("docs/chapters/ch_a/calc.md", book.read("docs/chapters/ch_a/calc.md").replace(
        "range(4)", "range(5)"))
    edited = book.build()
    assert edited.executed == 1
    assert "[0, 1, 4, 9, 16]" in book.read("site/chapters/ch_a/calc/index.html")


def test_dependency_change_marks_importing_sections_stale(book):
    assert book.build().executed == 1
    book.write("helperpkg/__init__.py", "def add(a, b):\n    return a + b + 0\n")
    status = subprocess.run([sys.executable, "-m", "nbbook.cli", "status"], cwd=book.root,
                            capture_output=True, text=True)
    assert "chapters/ch_a/calc.md  stale: helperpkg sources changed" in status.stdout
    assert book.build().executed == 1


def test_failing_cell_fails_build_and_leaves_record_alone(book):
    assert book.build().executed == 1
    before = book.record("ch_a/calc.ipynb").read_bytes()
    book.write("docs/chapters/ch_a/calc.md", book.read("docs/chapters/ch_a/calc.md").replace(
        "x = [i * i", "x = 1 / 0\ny = [i * i"))
    result = book.build()
    assert result.returncode != 0
    assert "chapters/ch_a/calc.md: code cell 2 (line 13) raised ZeroDivisionError" in result.output
    assert book.record("ch_a/calc.ipynb").read_bytes() == before


def test_cell_tagged_raises_exception_may_fail(book):
    book.write("docs/chapters/ch_a/calc.md", """\
        # 计算

        ```python tags=["raises-exception"]
        int("三")
        ```
        """)
    result = book.build()
    assert result.returncode == 0, result.output
    assert "ValueError" in book.read("site/chapters/ch_a/calc/index.html")


def test_hanging_cell_times_out_with_message(book):
    book.write("docs/chapters/ch_a/calc.md", "# 计算\n\n```python\nimport time\ntime.sleep(60)\n```\n")
    result = book.build(NBBOOK_TIMEOUT="3")
    assert result.returncode != 0
    assert "chapters/ch_a/calc.md: code cell 1 (line 4) timed out after 3 s" in result.output


def test_shell_fence_is_refused(book):
    book.write("docs/chapters/ch_a/calc.md", "# 计算\n\n```bash\npip install foo\n```\n")
    result = book.build()
    assert result.returncode != 0
    assert "chapters/ch_a/calc.md: code cell 1 is a ```bash fence" in result.output


def test_malformed_front_matter_is_a_clear_error(book):
    book.write("docs/chapters/ch_a/calc.md", "---\ntitle: [unclosed\n---\n# 计算\n\n```python\n1\n```\n")
    result = book.build()
    assert result.returncode != 0
    assert "chapters/ch_a/calc.md: malformed YAML front matter" in result.output
    assert "Traceback" not in result.output


def test_corrupted_record_is_recovered(book):
    assert book.build().executed == 1
    path = book.record("ch_a/calc.ipynb")
    path.write_text(path.read_text()[:200])  # a record cut off mid-write
    result = book.build()
    assert result.returncode == 0, result.output
    assert result.executed == 1
    json.loads(path.read_text())  # whole again


def test_killed_build_leaves_no_partial_record(book):
    book.write("docs/chapters/ch_a/calc.md", "# 计算\n\n```python\nimport time\ntime.sleep(30)\n```\n")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=book.root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.time() + 60
    for line in proc.stdout:  # wait until the cell is running, then kill the whole build
        if "executing 1 code cells" in line or time.time() > deadline:
            break
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    folder = book.record("ch_a")
    assert not book.record("ch_a/calc.ipynb").exists()
    assert not folder.exists() or not any(folder.iterdir())


def test_execute_never_renders_stale_section_without_outputs_and_warns(book):
    result = book.build(NBBOOK_EXECUTE="never")
    assert result.returncode == 0
    assert result.executed == 0
    assert "is stale (never executed (no record))" in result.output
    assert "sum = 5" not in book.read("site/chapters/ch_a/calc/index.html")


def test_reexecuting_unchanged_code_rewrites_an_identical_record(book):
    assert book.build().executed == 1
    first = nbformat.read(book.record("ch_a/calc.ipynb"), as_version=4)
    assert book.build(NBBOOK_EXECUTE="all").executed == 1
    second = nbformat.read(book.record("ch_a/calc.ipynb"), as_version=4)
    for nb in (first, second):
        del nb.metadata["nbbook"]["executed"], nb.metadata["nbbook"]["seconds"]
    assert first == second


def test_serve_reexecutes_only_on_code_edits(book):
    import queue
    import socket
    import threading

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=book.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def next_summary(timeout: float = 90) -> int:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if "executed" in line and "section(s)" in line:
                return int(line.split("executed ")[1].split(" ")[0])
        raise AssertionError("no rebuild summary from mkdocs serve")

    try:
        assert next_summary() == 1  # first build
        calc = "docs/chapters/ch_a/calc.md"
        time.sleep(1)
        book.write(calc, book.read(calc).replace("先算一个和。", "先算一个和吧。"))
        assert next_summary() == 0  # prose edit: rebuilt from the record
        time.sleep(1)
        book.write(calc, book.read(calc).replace("range(4)", "range(6)"))
        assert next_summary() == 1  # code edit: that section only
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_concurrent_builds_leave_a_whole_fresh_record(book):
    procs = [
        subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--site-dir", f"site{i}"],
                         cwd=book.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for i in range(2)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    nbformat.validate(nbformat.read(book.record("ch_a/calc.ipynb"), as_version=4))
    leftovers = [p.name for p in book.record("ch_a").iterdir() if p.suffix != ".ipynb"]
    assert leftovers == []
    assert book.build().executed == 0


def test_figures_are_written_as_files_next_to_the_page(book):
    book.write("docs/chapters/ch_a/calc.md", """\
        # 计算

        ```python
        import matplotlib.pyplot as plt
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("svg")
        plt.plot([0, 1, 2], [0, 1, 4]);
        ```
        """)
    assert book.build().returncode == 0
    html = book.read("site/chapters/ch_a/calc/index.html")
    assert '<img alt="" src="../calc_files/calc_1_0.svg"' in html
    assert "base64" not in html
    assert book.read("site/chapters/ch_a/calc_files/calc_1_0.svg").lstrip().startswith("<?xml")


def test_labels_on_pages_outside_the_nav_resolve(book):
    book.write("docs/chapters/ch_a/extra.md", "# 附加\n\n$$\na = b\n$$ {#eq:extra}\n\n见 [@eq:extra]。\n")
    result = book.build()
    assert result.returncode == 0, result.output
    html = book.read("site/chapters/ch_a/extra/index.html")
    assert 'id="eq-extra"' in html and 'href="#eq-extra"' in html


def test_caches_inside_a_dependency_do_not_make_sections_stale(book):
    assert book.build().executed == 1
    book.write("helperpkg/__pycache__/x.cpython-311.pyc", "junk")
    book.write("helperpkg/.ruff_cache/0.1/123", "junk")
    assert book.build().executed == 0


def test_kernel_env_reaches_the_kernel_and_enters_the_key(book):
    code = "import os\nprint(os.environ['BOOK_X'])"
    book.write("docs/chapters/ch_a/calc.md", f"# 计算\n\n```python\n{code}\n```\n")
    yml = book.read("mkdocs.yml").replace(
        "      unnumbered:", "      kernel_env:\n        BOOK_X: one\n      unnumbered:")
    book.write("mkdocs.yml", yml)
    assert book.build().executed == 1
    assert "one" in book.read("site/chapters/ch_a/calc/index.html")
    book.write("mkdocs.yml", yml.replace("BOOK_X: one", "BOOK_X: two"))
    assert book.build().executed == 1
    assert "two" in book.read("site/chapters/ch_a/calc/index.html")
