"""Developer tasks. Sessions run in the project's environment (`make setup` creates .venv):
MXNet and its pins are heavy, so nox does not build a virtualenv per session."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import nox

# Data sets come from the mirror setting; this workspace keeps a copy beside the repository.
_SHARED = Path(__file__).resolve().parent.parent / "shared" / "data"
if "D2LZH_DATA_MIRROR" not in os.environ and _SHARED.is_dir():
    os.environ["D2LZH_DATA_MIRROR"] = str(_SHARED)

nox.options.default_venv_backend = "none"
nox.options.sessions = ["lint", "tests"]


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, the plugin, the tests and the tasks."""
    session.run("ruff", "check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Everything CI checks: lint, unit and build tests, the record is fresh, strict build."""
    session.run("ruff", "check", ".")
    session.run("nbbook", "status", "--check")
    session.run("pytest", *session.posargs)
    session.run("mkdocs", "build", "--strict", env={"NBBOOK_EXECUTE": "never"})


@nox.session
def docs(session: nox.Session) -> None:
    """Strict build of the site into site/ (executes stale sections)."""
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the book on http://127.0.0.1:8000 with live reload."""
    session.run("mkdocs", "serve", *session.posargs)


@nox.session
def execute(session: nox.Session) -> None:
    """Execute stale sections and update notebooks/ (`nox -s execute -- --all` for all)."""
    session.run("nbbook", "execute", *session.posargs)


@nox.session
def sync(session: nox.Session) -> None:
    """Jupytext two-way sync of every section with its paired notebook."""
    session.run("jupytext", "--sync", *sorted(glob.glob("docs/chapters/**/*.md", recursive=True)))


@nox.session
def pdf(session: nox.Session) -> None:
    """The site plus its PDF (site/d2l-zh.pdf) printed by headless Chromium; needs `chromium`."""
    session.run("mkdocs", "build", "--strict", env={"BOOK_PDF": "true"})
    session.run("python", "tools/pdf/make_pdf.py", "site", "site/d2l-zh.pdf")


@nox.session
def bench(session: nox.Session) -> None:
    """Build and browser benchmarks; writes benchmarks/build.md and benchmarks/build.json."""
    session.run("python", "benchmarks/bench_build.py", *session.posargs)
    session.run("python", "benchmarks/bench_browser.py")
    session.run("python", "benchmarks/bench_training.py")
