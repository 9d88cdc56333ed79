"""Errors the author can act on; each message names the file, cell or setting at fault."""


class NbbookError(Exception):
    """Base class: raised by core modules, turned into ``PluginError`` by the plugin."""


class SourceError(NbbookError):
    """A section's Markdown cannot be read as a notebook (front matter, forbidden cells)."""


class ExecutionFailed(NbbookError):
    """A cell raised, timed out or killed the kernel."""


class CrossRefError(NbbookError):
    """A cross-reference or citation names a label or key that does not exist."""
