"""Options of the ``nbbook`` plugin (``plugins: - nbbook: …`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NbbookConfig(base.Config):
    # Where sections live (relative to docs_dir) and where their executed record is kept
    # (relative to mkdocs.yml); the two trees mirror each other, as in jupytext.toml.
    sections_dir = c.Type(str, default="chapters")
    record_dir = c.Type(str, default="notebooks")

    # Execution: 'auto' runs sections whose key changed, 'never' renders from the record only
    # (a stale section is then shown without outputs, with a warning), 'all' re-runs everything.
    execute = c.Choice(("auto", "never", "all"), default="auto")
    timeout = c.Type(int, default=600)  # seconds per cell
    kernel = c.Type(str, default="python3")
    # Environment variables for the kernel (e.g. MXNet engine settings, read when mxnet is
    # imported). They enter every key: changing them marks all sections stale.
    kernel_env = c.Type(dict, default={})

    # What outputs depend on besides code: local packages by import name → folder (relative to
    # mkdocs.yml), and installed packages whose versions enter every key.
    dependencies = c.Type(dict, default={})
    env_packages = c.ListOfItems(c.Type(str), default=[])

    # Numbering: nav entries whose files start with one of these prefixes get no number.
    unnumbered = c.ListOfItems(c.Type(str), default=[])
    # Fixed chapter numbers by chapter folder (the book's outline), so that a chapter keeps its
    # number while earlier ones are still being written; others are numbered in nav order.
    chapter_numbers = c.Type(dict, default={})

    # Reader links. `repository` is the project's web address (unset: no edit/discussion links);
    # patterns may use {repository}, {path} (the page's source, relative to docs_dir), {title}.
    repository = c.Optional(c.Type(str))
    edit_url = c.Type(str, default="{repository}/edit/main/docs/{path}")
    discussion_url = c.Type(str, default="{repository}/discussions")

    # Generated pages: the execution report, and one archive with every executed notebook.
    report_page = c.Type(str, default="report.md")
    notebooks_archive = c.Type(str, default="notebooks.zip")

    # The package index page: every public name of a local package (folder relative to mkdocs.yml)
    # with its signature, docstring and the section whose `# @save` cell defines it.
    package_index = c.Optional(c.Type(dict))  # {package: d2lzh, page: chapters/…/d2lzh.md, title: …}

    # Citations: a BibTeX file (relative to docs_dir) and the generated page that lists it.
    bibliography = c.Optional(c.Type(str))
    bibliography_page = c.Type(str, default="references.md")
