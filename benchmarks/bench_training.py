"""Training throughput on Fashion-MNIST (run with `nox -s bench`, or `python benchmarks/bench_training.py`).

Images per second over one full training epoch (60,000 images, batch 256), for the book's two models:

* softmax regression: Gluon ``nn.Dense(10)``, softmax cross-entropy, SGD with learning rate 0.1;
* LeNet with sigmoid activations: Conv2D(6, 5) → MaxPool → Conv2D(16, 5) → MaxPool → Dense(120) →
  Dense(84) → Dense(10), SGD with learning rate 0.9.

Each model is trained by

* ``d2l``: the book's code, ``d2l.load_data_fashion_mnist(256)`` and ``d2l.train_ch3`` / ``d2l.train_ch5``;
* ``gluon``: a hand-written loop with a hybridized ``HybridSequential`` net and loss on in-memory NDArrays;
* ``torch``: the same network and loop in PyTorch (CPU), if PyTorch is installed
  (``pip install -r benchmarks/requirements-bench.txt``);
* ``d2lzh 1.0.0``: for reference, the original package's loader (``transform_first(ToTensor())`` and
  a ``DataLoader``) and loop (``asscalar()`` on every batch), copied below.

An epoch is what the book's training functions time and print: the training pass with the running loss
and accuracy, then the accuracy on the 10,000 test images. Every case runs in its own process (MXNet
reads its engine settings when it is imported) under each MXNet setting: one warm-up epoch, then
``--epochs`` measured epochs; the table shows the best and the median epoch. The machine may be shared,
so the best epoch is the headline number. Results go to benchmarks/training.md and training.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
NUM_TRAIN, BATCH = 60000, 256
LR = {"softmax": 0.1, "lenet": 0.9}

# MXNet settings, applied before mxnet is imported. The first one is what we recommend for the book.
SETTINGS = {
    "naive-omp2": {"MXNET_ENGINE_TYPE": "NaiveEngine", "OMP_NUM_THREADS": "2"},
    "naive-omp1": {"MXNET_ENGINE_TYPE": "NaiveEngine", "OMP_NUM_THREADS": "1"},
    "threaded-default": {},
    "threaded-omp2": {"OMP_NUM_THREADS": "2"},
}
RECOMMENDED = "naive-omp2"
# (model, implementation, net class): what runs under each MXNet setting
MXNET_CASES = [
    ("softmax", "d2l", "Sequential"),
    ("softmax", "d2l", "HybridSequential"),
    ("softmax", "gluon", "HybridSequential"),
    ("softmax", "d2lzh 1.0.0", "Sequential"),
    ("lenet", "d2l", "HybridSequential"),
    ("lenet", "d2l", "Sequential"),
    ("lenet", "gluon", "HybridSequential"),
    ("lenet", "d2lzh 1.0.0", "Sequential"),
]


# ------------------------------------------------------------------------------------- workers


def _mxnet_net(model: str, cls_name: str):
    from mxnet import init
    from mxnet.gluon import nn

    net = getattr(nn, cls_name)()
    if model == "softmax":
        net.add(nn.Dense(10))
        net.initialize(init.Normal(sigma=0.01))
    else:
        net.add(
            nn.Conv2D(channels=6, kernel_size=5, activation="sigmoid"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation="sigmoid"),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation="sigmoid"),
            nn.Dense(84, activation="sigmoid"),
            nn.Dense(10),
        )
        net.initialize(init.Xavier())
    return net


def _mxnet_arrays():
    """Fashion-MNIST as float32 NCHW NDArrays in [0, 1] and int32 labels (train, test)."""
    from mxnet import nd
    from mxnet.gluon import data as gdata

    import d2lzh as d2l

    out = []
    for train in (True, False):
        ds = d2l.FashionMNIST(train=train)
        out += [gdata.vision.transforms.ToTensor()(ds.images), nd.array(ds.labels, dtype="int32")]
    return out


def work_d2l(model: str, cls_name: str, epochs: int) -> dict:
    import mxnet as mx
    from mxnet import gluon
    from mxnet.gluon import loss as gloss

    import d2lzh as d2l

    start = time.perf_counter()
    train_iter, test_iter = d2l.load_data_fashion_mnist(BATCH)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    for _ in train_iter:
        pass
    loader_epoch = time.perf_counter() - start
    net = _mxnet_net(model, cls_name)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LR[model]})
    with contextlib.redirect_stdout(io.StringIO()):
        if model == "softmax":
            loss = gloss.SoftmaxCrossEntropyLoss()
            h = d2l.train_ch3(net, train_iter, test_iter, loss, epochs + 1, BATCH, None, None, trainer)
        else:
            h = d2l.train_ch5(net, train_iter, test_iter, BATCH, trainer, mx.cpu(), epochs + 1)
    return {"epochs": h["time"][1:], "test_acc": h["test_acc"][-1], "loader_setup": setup,
            "loader_epoch": loader_epoch}


def work_gluon(model: str, cls_name: str, epochs: int) -> dict:
    """The fastest loop we know with MXNet: everything hybridized, data in memory, metrics on device."""
    import mxnet as mx
    import numpy as np
    from mxnet import autograd, gluon, nd
    from mxnet.gluon import loss as gloss

    X, y, Xt, yt = _mxnet_arrays()
    net = _mxnet_net(model, cls_name)
    net.hybridize(static_alloc=True)
    loss = gloss.SoftmaxCrossEntropyLoss()
    loss.hybridize(static_alloc=True)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LR[model]})
    times, acc = [], 0.0
    for _ in range(epochs + 1):
        start = time.perf_counter()
        perm = np.random.permutation(NUM_TRAIN)
        l_sum, correct = nd.zeros(1), nd.zeros(1)
        for i in range(0, NUM_TRAIN, BATCH):
            idx = nd.array(perm[i : i + BATCH])
            Xb, yb = X.take(idx), y.take(idx)
            with autograd.record():
                y_hat = net(Xb)
                ls = loss(y_hat, yb)
            ls.backward()
            trainer.step(Xb.shape[0])
            l_sum += ls.sum()
            correct += (y_hat.argmax(axis=1) == yb.astype("float32")).sum()
        test_correct = nd.zeros(1)
        for i in range(0, len(yt), BATCH):
            y_hat = net(Xt[i : i + BATCH])
            test_correct += (y_hat.argmax(axis=1) == yt[i : i + BATCH].astype("float32")).sum()
        l_sum.asscalar(), correct.asscalar()
        acc = test_correct.asscalar() / len(yt)
        mx.nd.waitall()
        times.append(time.perf_counter() - start)
    return {"epochs": times[1:], "test_acc": acc}


def work_original(model: str, cls_name: str, epochs: int) -> dict:
    """d2lzh 1.0.0 as the original book printed it: per-image ToTensor in a DataLoader, asscalar per batch."""
    import mxnet as mx
    from mxnet import autograd, gluon, nd
    from mxnet.gluon import data as gdata
    from mxnet.gluon import loss as gloss

    import d2lzh as d2l

    transformer = gdata.vision.transforms.ToTensor()
    mnist_train, mnist_test = d2l.FashionMNIST(train=True), d2l.FashionMNIST(train=False)
    # num_workers=0: worker processes do not help on 2 cores and hang with NaiveEngine
    train_iter = gdata.DataLoader(mnist_train.transform_first(transformer), BATCH, shuffle=True)
    test_iter = gdata.DataLoader(mnist_test.transform_first(transformer), BATCH, shuffle=False)

    def evaluate_accuracy(data_iter, net, ctx):
        acc_sum, n = nd.array([0], ctx=ctx), 0
        for X, y in data_iter:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx).astype("float32")
            acc_sum += (net(X).argmax(axis=1) == y).sum()
            n += y.size
        return acc_sum.asscalar() / n

    net = _mxnet_net(model, cls_name)
    loss = gloss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LR[model]})
    ctx, times, acc = mx.cpu(), [], 0.0
    for _ in range(epochs + 1):
        train_l_sum, train_acc_sum, n, start = 0.0, 0.0, 0, time.perf_counter()
        for X, y in train_iter:
            X, y = X.as_in_context(ctx), y.as_in_context(ctx)
            with autograd.record():
                y_hat = net(X)
                batch_l = loss(y_hat, y).sum()
            batch_l.backward()
            trainer.step(BATCH)
            y = y.astype("float32")
            train_l_sum += batch_l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        acc = evaluate_accuracy(test_iter, net, ctx)
        times.append(time.perf_counter() - start)
    return {"epochs": times[1:], "test_acc": acc}


def work_torch(model: str, cls_name: str, epochs: int) -> dict:
    import torch
    from torch import nn

    import d2lzh as d2l

    def tensors(train):
        ds = d2l.FashionMNIST(train=train)
        images = torch.from_numpy(ds.images.asnumpy()).permute(0, 3, 1, 2).float().div(255).contiguous()
        return images, torch.from_numpy(ds.labels).long()

    (X, y), (Xt, yt) = tensors(True), tensors(False)
    torch.manual_seed(0)
    if model == "softmax":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
        nn.init.normal_(net[1].weight, std=0.01)
        nn.init.zeros_(net[1].bias)
    else:
        net = nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Flatten(),
            nn.Linear(256, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10),
        )  # fmt: skip
        for m in net:
            if isinstance(m, nn.Conv2d | nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
    loss = nn.CrossEntropyLoss(reduction="sum")
    opt = torch.optim.SGD(net.parameters(), lr=LR[model])
    times, acc = [], 0.0
    for _ in range(epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(NUM_TRAIN)
        l_sum, correct = torch.zeros(()), torch.zeros((), dtype=torch.long)
        for i in range(0, NUM_TRAIN, BATCH):
            idx = perm[i : i + BATCH]
            Xb, yb = X[idx], y[idx]
            y_hat = net(Xb)
            batch_l = loss(y_hat, yb)
            opt.zero_grad()
            (batch_l / len(yb)).backward()  # like Gluon's trainer.step(batch_size)
            opt.step()
            with torch.no_grad():
                l_sum += batch_l
                correct += (y_hat.argmax(dim=1) == yb).sum()
        with torch.no_grad():
            test_correct = sum(
                (net(Xt[i : i + BATCH]).argmax(dim=1) == yt[i : i + BATCH]).sum()
                for i in range(0, len(yt), BATCH)
            )
        l_sum.item(), correct.item()
        acc = test_correct.item() / len(yt)
        times.append(time.perf_counter() - start)
    return {"epochs": times[1:], "test_acc": acc, "torch": torch.__version__,
            "threads": torch.get_num_threads()}


WORKERS = {"d2l": work_d2l, "gluon": work_gluon, "d2lzh 1.0.0": work_original, "torch": work_torch}


# ------------------------------------------------------------------------------------- driver


def run_case(model: str, impl: str, cls_name: str, epochs: int, env: dict[str, str]) -> dict:
    args = [sys.executable, __file__, "--worker", model, impl, cls_name, "--epochs", str(epochs)]
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **env}, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"{model} {impl} {env} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summarise(case: tuple[str, str, str, str], runs: list[dict]) -> dict:
    """One row: the epochs of every run of a case (several rounds) and their best and median rate."""
    setting, model, impl, cls_name = case
    secs = [s for r in runs for s in r["epochs"]]
    row = {"setting": setting, "model": model, "impl": impl, "net": cls_name,
           "env": SETTINGS.get(setting, {}), "epochs": secs, "runs": len(runs),
           "best_img_s": NUM_TRAIN / min(secs), "median_img_s": NUM_TRAIN / statistics.median(secs),
           "test_acc": runs[-1]["test_acc"]}
    for key in ("loader_setup", "loader_epoch"):
        if key in runs[0]:
            row[key] = min(r[key] for r in runs)
    for key in ("torch", "threads"):
        if key in runs[0]:
            row[key] = runs[0][key]
    return row


def torch_available() -> bool:
    proc = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True)
    return proc.returncode == 0


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def fmt(x: float) -> str:
    return f"{x / 1000:.1f}k"


def write_results(results: list[dict], meta: dict) -> None:
    (HERE / "training.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")

    def find(setting, model, impl, net="HybridSequential"):
        return next((r for r in results if (r["setting"], r["model"], r["impl"], r["net"])
                     == (setting, model, impl, net)), None)

    def rate(r):
        return fmt(r["best_img_s"]) if r else "–"

    def env_text(setting):
        return ", ".join(f"`{k}={v}`" for k, v in SETTINGS[setting].items()) or "no variables set"

    lines = [
        "# Training throughput",
        "",
        f"Measured by `nox -s bench` (`benchmarks/bench_training.py`) on {meta['machine']}, "
        f"{meta['cores']} cores, Python {meta['python']}, MXNet {meta['mxnet']}, "
        f"PyTorch {meta['torch'] or 'not installed'}. Fashion-MNIST, batch {BATCH}; an epoch is the "
        f"{NUM_TRAIN:,} training images plus the test accuracy on 10,000 images, as the book's training "
        f"functions time it. Each case runs in a fresh process: a warm-up epoch, then {meta['epochs']} "
        f"measured epochs; PyTorch and the recommended MXNet setting run in {meta['rounds']} interleaved "
        f"rounds. Images per second of the best epoch (median in brackets below). "
        f"Load average before the run: {meta['load_before']}; after: {meta['load_after']}.",
        "",
        f"## Summary: MXNet with {env_text(RECOMMENDED)} (`{RECOMMENDED}`)",
        "",
        "| model and loop | d2l img/s | hand-written hybridized Gluon | PyTorch | d2l / PyTorch | goal |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows = [("softmax", "train_ch3", "Sequential", 1.0), ("softmax", "train_ch3", "HybridSequential", 1.0),
            ("lenet", "train_ch5", "HybridSequential", 0.9), ("lenet", "train_ch5", "Sequential", 0.9)]
    for model, fn, net, goal in rows:
        d, g, t = find(RECOMMENDED, model, "d2l", net), find(RECOMMENDED, model, "gluon"), \
            find("torch", model, "torch", "Sequential")
        ratio = f"{d['best_img_s'] / t['best_img_s']:.2f}×" if d and t else "–"
        lines.append(f"| {model}: `d2l.{fn}`, `nn.{net}` | {rate(d)} | {rate(g)} | {rate(t)} | {ratio} | "
                     f"≥ {goal:.1f}× |")
    settings = list(dict.fromkeys(r["setting"] for r in results if r["setting"] != "torch"))
    lines += [
        "",
        "## MXNet settings",
        "",
        "| setting | variables | softmax, d2l (Sequential) | LeNet, d2l (HybridSequential) | "
        "LeNet, hand-written Gluon | LeNet, d2lzh 1.0.0 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for setting in settings:
        lines.append(
            f"| `{setting}` | {env_text(setting)} | {rate(find(setting, 'softmax', 'd2l', 'Sequential'))} | "
            f"{rate(find(setting, 'lenet', 'd2l'))} | {rate(find(setting, 'lenet', 'gluon'))} | "
            f"{rate(find(setting, 'lenet', 'd2lzh 1.0.0', 'Sequential'))} |"
        )
    lines += [
        "",
        "## All cases",
        "",
        "| model | implementation | net | setting | best img/s | (median) | epochs | test acc |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['model']} | {r['impl']} | {r['net']} | {r['setting']} | {fmt(r['best_img_s'])} | "
            f"({fmt(r['median_img_s'])}) | {len(r['epochs'])} | {r['test_acc']:.3f} |"
        )
    loader = [r for r in results if "loader_epoch" in r and r["setting"] == RECOMMENDED]
    if loader:
        r = min(loader, key=lambda r: r["loader_epoch"])
        lines += [
            "",
            f"`d2l.load_data_fashion_mnist(256)` reads and converts both sets once in "
            f"{r['loader_setup']:.2f} s, "
            f"then iterates the {NUM_TRAIN:,} training images in {r['loader_epoch'] * 1000:.0f} ms.",
        ]
    lines += [
        "",
        "Notes:",
        "",
        "* The book's code runs as fast as the hand-written hybridized loop: `d2l.train_ch3` and "
        "`d2l.train_ch5` hybridize a `HybridBlock` net and the Gluon loss, keep the running sums on the "
        "device, and `d2l.load_data_fashion_mnist` converts the images once and takes each batch with one "
        "`take` (`d2l.ArrayIter`).",
        "* `NaiveEngine` with two OpenMP threads is best for the convolutional network; the default "
        "threaded engine is faster for softmax regression (the Python loop overlaps the engine's thread) "
        "but runs each operator on one thread, and with two OpenMP threads it is the slowest for LeNet.",
        "* Two OpenMP threads on two cores need both cores: when another process is busy, an epoch can "
        "take several times longer (the medians and the spread of the rounds show it), while PyTorch "
        "slows down much less.",
    ]
    (HERE / "training.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=2, help="measured epochs per run (after one warm-up)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of PyTorch and the recommended setting")
    parser.add_argument("--render", action="store_true", help="only rewrite training.md from training.json")
    parser.add_argument("--worker", nargs=3, metavar=("MODEL", "IMPL", "NET"), help=argparse.SUPPRESS)
    parser.add_argument("--settings", nargs="*", default=list(SETTINGS), help="MXNet settings to run")
    args = parser.parse_args()
    if "D2LZH_DATA_MIRROR" not in os.environ and SHARED_DATA.is_dir():
        os.environ["D2LZH_DATA_MIRROR"] = str(SHARED_DATA)
    if args.render:  # rewrite training.md from training.json
        data = json.loads((HERE / "training.json").read_text())
        write_results(data["results"], data["meta"])
        return
    if args.worker:
        model, impl, cls_name = args.worker
        print(json.dumps(WORKERS[impl](model, cls_name, args.epochs)))
        return

    import mxnet

    meta = {"machine": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
            "mxnet": mxnet.__version__, "epochs": args.epochs, "rounds": args.rounds,
            "load_before": load_average()}
    cases = []
    if torch_available():
        cases += [("torch", model, "torch", "Sequential") for model in ("softmax", "lenet")]
    else:
        print("PyTorch is not installed (pip install -r benchmarks/requirements-bench.txt): "
              "skipping the PyTorch cases")
    cases += [(setting, *case) for setting in args.settings for case in MXNET_CASES]
    runs: dict[tuple, list[dict]] = {case: [] for case in cases}
    # Rounds interleave the cases, so that a busy spell on a shared machine does not hit one case only.
    # Later rounds repeat PyTorch and the recommended setting; d2lzh 1.0.0 runs once, one epoch.
    for rnd in range(args.rounds):
        for case in cases:
            setting, model, impl, cls_name = case
            if rnd and (setting not in ("torch", RECOMMENDED) or impl == "d2lzh 1.0.0"):
                continue
            epochs = 1 if impl == "d2lzh 1.0.0" else args.epochs
            runs[case].append(run_case(model, impl, cls_name, epochs, SETTINGS.get(setting, {})))
            rate = NUM_TRAIN / min(runs[case][-1]["epochs"])
            print(f"round {rnd + 1}: {model:8s} {impl:12s} {cls_name:17s} {setting:17s} "
                  f"{fmt(rate):>7s} img/s", flush=True)
    results = [summarise(case, runs[case]) for case in cases]
    meta["torch"] = next((r["torch"] for r in results if "torch" in r), None)
    meta["load_after"] = load_average()
    write_results(results, meta)
    print(f"wrote {HERE / 'training.md'} and {HERE / 'training.json'}")


if __name__ == "__main__":
    main()
