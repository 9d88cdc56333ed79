"""各模块共用的小工具。"""

from __future__ import annotations

import os
from typing import Any


def mkdir_if_not_exist(path):
    """创建文件夹（若不存在）。``path`` 可以是路径，或像书中那样是路径各部分的列表。"""
    folder = path if isinstance(path, str | os.PathLike) else os.path.join(*path)
    os.makedirs(folder, exist_ok=True)


def _make_list(obj: Any, default_values: list | None = None) -> list | tuple | None:
    """None → ``default_values``；单个对象 → ``[obj]``；列表或元组原样返回。"""
    if obj is None:
        obj = default_values
    elif not isinstance(obj, list | tuple):
        obj = [obj]
    return obj
