"""d2lzh: the shared code of 《动手学深度学习》 (import d2lzh as d2l)."""

__version__ = "1.0.0"
