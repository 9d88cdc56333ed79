"""What readers get besides the page: notebook downloads, the report, edit and discussion links."""

from __future__ import annotations

import io
import zipfile

import nbformat


def test_each_section_offers_its_executed_notebook(book):
    assert book.build().returncode == 0
    html = book.read("site/chapters/ch_a/calc/index.html")
    assert 'href="../calc.ipynb"' in html and 'download="calc.ipynb"' in html
    nb = nbformat.reads(book.read("site/chapters/ch_a/calc.ipynb"), as_version=4)
    nbformat.validate(nb)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("sum = 5" in o.get("text", "") for o in outputs)
    assert any(c.cell_type == "markdown" and "先算一个和" in c.source for c in nb.cells)
    assert "下载记事本" not in book.read("site/chapters/ch_a/prose/index.html")  # no code, no notebook


def test_archive_holds_every_executed_notebook(book):
    assert book.build().returncode == 0
    with zipfile.ZipFile(io.BytesIO((book.root / "site/notebooks.zip").read_bytes())) as zf:
        assert zf.namelist() == ["d2l-zh-notebooks/ch_a/calc.ipynb"]
        nbformat.validate(nbformat.reads(zf.read(zf.namelist()[0]).decode(), as_version=4))


def test_report_lists_sections_with_state_time_and_versions(book):
    first = book.build()
    assert first.returncode == 0
    report = book.read("site/report/index.html")
    assert "1.1 计算" in report and "本次执行" in report
    assert "3.11" in report  # the Python version of the run
    assert book.build().returncode == 0
    assert "最新" in book.read("site/report/index.html")


def test_edit_and_discussion_links_follow_the_repository_setting(book):
    yml = book.read("mkdocs.yml").replace(
        "      unnumbered:", "      repository: https://example.org/book\n      unnumbered:")
    book.write("mkdocs.yml", yml)
    assert book.build().returncode == 0
    html = book.read("site/chapters/ch_a/calc/index.html")
    assert 'href="https://example.org/book/edit/main/docs/chapters/ch_a/calc.md"' in html
    assert 'href="https://example.org/book/discussions"' in html


def test_no_edit_or_discussion_links_without_a_repository(book):
    assert book.build().returncode == 0
    html = book.read("site/chapters/ch_a/calc/index.html")
    assert "/edit/main/" not in html and "讨论区" not in html


def test_last_updated_date_comes_from_git(book):
    import subprocess

    book.write("mkdocs.yml", book.read("mkdocs.yml") + "theme:\n  name: material\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=book.root, check=True)
    subprocess.run([*git, "add", "docs"], cwd=book.root, check=True)
    env = {"GIT_COMMITTER_DATE": "2024-03-05T12:00:00", "GIT_AUTHOR_DATE": "2024-03-05T12:00:00"}
    subprocess.run([*git, "commit", "-qm", "x"], cwd=book.root, check=True,
                   env={**__import__("os").environ, **env})
    assert book.build().returncode == 0
    assert "2024-03-05" in book.read("site/chapters/ch_a/calc/index.html")


def test_no_dates_outside_a_git_checkout(book):
    assert book.build().returncode == 0  # tmp folder: no repository, no date, no error
