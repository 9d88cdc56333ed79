"""选择计算设备：MXNet 能看到 GPU 时用 GPU，否则用 CPU。"""

from __future__ import annotations

import mxnet as mx


def try_gpu():
    """有 GPU 时返回 ``mx.gpu(0)``，否则返回 ``mx.cpu()``。"""
    # num_gpus() is 0 with the CPU build of MXNet, so no allocation attempt (and no error) is needed.
    return mx.gpu(0) if mx.context.num_gpus() > 0 else mx.cpu()


def try_all_gpus():
    """返回所有可用 GPU 的列表；没有 GPU 时返回 ``[mx.cpu()]``。"""
    ctxes = [mx.gpu(i) for i in range(mx.context.num_gpus())]
    return ctxes or [mx.cpu()]
