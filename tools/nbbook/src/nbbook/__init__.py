"""nbbook: execute, record and render the book's Jupytext Markdown sections for MkDocs."""

__version__ = "0.1.0"
