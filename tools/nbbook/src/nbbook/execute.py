"""Run a section's notebook with nbclient, in the section's own folder, and report progress."""

from __future__ import annotations

import copy
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .errors import ExecutionFailed
from .sources import Section

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

Progress = Callable[[str], None]


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


@dataclass
class Result:
    notebook: nbformat.NotebookNode
    seconds: float


def _tail(text: str, lines: int = 8) -> str:
    return "\n".join(strip_ansi(text).rstrip().splitlines()[-lines:])


def execute(
    section: Section,
    kernel: str = "python3",
    timeout: int = 600,
    progress: Progress | None = None,
    kernel_env: dict[str, str] | None = None,
) -> Result:
    """Execute ``section`` and return the executed notebook; raise ``ExecutionFailed`` on error.

    A cell tagged ``raises-exception`` may raise; any other error stops the run and names the
    file, the code cell (1-based, with its line in the Markdown) and the traceback's last lines.
    """
    nb = copy.deepcopy(section.notebook)
    # Jupytext's reading options belong to jupytext.toml, not to each record.
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python 3", "language": "python"}
    code_ids = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    total = len(code_ids)
    state = {"cell": 0, "started": time.monotonic()}
    start = time.monotonic()
    say = progress or (lambda msg: None)

    def on_cell_start(cell, cell_index):
        if cell.cell_type == "code":
            state["cell"] = code_ids.index(cell_index) + 1
            state["started"] = time.monotonic()

    def on_cell_executed(cell, cell_index, execute_reply):
        if cell.cell_type == "code":
            n = state["cell"]
            took = time.monotonic() - state["started"]
            say(f"{section.rel}: cell {n}/{total} {took:5.1f} s "
                f"(elapsed {time.monotonic() - start:.1f} s)")

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        record_timing=False,
        # Kernel start-up chatter (e.g. the TCP transport notice) is not the book's output.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(section.path.parent)}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )

    def where() -> str:
        n = state["cell"]
        line = section.cell_line(n - 1) if n else None
        return f"{section.rel}: code cell {n}" + (f" (line {line})" if line else "")

    say(f"{section.rel}: executing {total} code cells")
    try:
        # A fixed cell name keeps tracebacks (and so the record) the same from run to run;
        # a fixed hash seed keeps set/dict-order-dependent output reproducible.
        env = {**os.environ, **{k: str(v) for k, v in (kernel_env or {}).items()},
               "IPYKERNEL_CELL_NAME": "<cell>", "PYTHONHASHSEED": "0"}
        client.execute(env=env)
    except CellTimeoutError:
        raise ExecutionFailed(
            f"{where()} timed out after {timeout} s (the nbbook 'timeout' option in mkdocs.yml)"
        ) from None
    except DeadKernelError as exc:
        raise ExecutionFailed(f"{where()}: the kernel died ({exc})") from None
    except CellExecutionError as exc:
        raise ExecutionFailed(
            f"{where()} raised {exc.ename}: {strip_ansi(exc.evalue)}\n{_tail(exc.traceback)}"
        ) from None
    return Result(notebook=nb, seconds=time.monotonic() - start)
