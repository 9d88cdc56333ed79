"""数据层的异常。每条消息都写明是哪个文件，以及接下来该怎么做。"""

from __future__ import annotations


class DataError(Exception):
    """基类：无法提供某个数据文件。"""


class DataUnavailableError(DataError, OSError):
    """本地（缓存、镜像）没有该文件，也无法下载。"""


class DataHashError(DataError, ValueError):
    """文件内容与已知的校验和（或大小）不符。"""


class UnsafeArchiveError(DataError, ValueError):
    """压缩包条目会落到目标文件夹之外（绝对路径、``..``、链接、设备文件）。"""


class DataFormatError(DataError, ValueError):
    """数据文件可读，但格式不对（例如 IDX 文件头错误）。"""
