"""The execution report page: every executed section, its state, time and environment."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


@dataclass
class Row:
    src_uri: str  # the section's page
    state: str  # "fresh" | "executed" | "stale"
    reasons: list[str]
    seconds: float | None
    executed: str | None  # ISO time of the run that produced the outputs
    env: dict[str, str]


def page(rows: list[Row], titles: dict[str, str], report_uri: str, title: str = "执行报告") -> str:
    """Markdown for the report; ``titles`` maps page src_uri → numbered title."""
    total = sum(r.seconds or 0 for r in rows)
    lines = [
        f"# {title}",
        "",
        "本页由构建自动生成，列出每个含代码的小节的执行记录：输出来自哪一次运行、用了多长时间、"
        "在什么软件版本下执行。“最新”表示记录与当前代码一致；“本次执行”表示这次构建刚刚重新运行；"
        "“过期”表示代码或依赖已改动而记录尚未更新（括号中是原因）。",
        "",
        f"共 {len(rows)} 节，记录中的执行时间合计 {total:.1f} 秒。",
        "",
        "| 小节 | 状态 | 执行时间（秒） | 执行于（UTC） | Python | MXNet | NumPy |",
        "|---|---|---:|---|---|---|---|",
    ]
    words = {"fresh": "最新", "executed": "本次执行", "stale": "过期"}
    base = posixpath.dirname(report_uri)
    for r in sorted(rows, key=lambda r: r.src_uri):
        link = posixpath.relpath(r.src_uri, base or ".")
        state = words[r.state] + (f"（{'；'.join(r.reasons)}）" if r.state == "stale" else "")
        when = (r.executed or "-").replace("T", " ").replace("Z", "")
        secs = f"{r.seconds:.1f}" if r.seconds is not None else "-"
        lines.append(
            f"| [{titles.get(r.src_uri, r.src_uri)}]({link}) | {state} | {secs} | {when} "
            f"| {r.env.get('python', '-')} | {r.env.get('mxnet', '-')} | {r.env.get('numpy', '-')} |"
        )
    return "\n".join(lines) + "\n"
