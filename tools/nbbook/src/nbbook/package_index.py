"""The book's package and the book: definitions saved from sections, and the package index page.

A code cell whose first line is the marker (``# @save``) saves its top-level definitions into the
package. Everything here reads source text with ``ast``: the package is never imported by the build.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

MARKER = "# @save"


def saved_definitions(code: str, marker: str = MARKER) -> dict[str, str]:
    """Top-level functions, classes and assignments of a marked cell, by name → source text."""
    lines = code.splitlines()
    if not lines or lines[0].strip() != marker:
        return {}
    tree = ast.parse(code)
    found: dict[str, str] = {}
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):  # a re-export such as `plt`
            names = [a.asname or a.name for a in node.names]
        for name in names:
            found[name] = _segment(code, node)
    return found


def as_in_package(source: str, alias: str = "d2l") -> str:
    """The book's saved code as the package holds it: ``d2l.sgd(…)`` becomes ``sgd(…)``.

    In a section, a saved definition calls earlier package functions through the module alias;
    inside the package those functions are module globals.
    """
    return re.sub(rf"\b{re.escape(alias)}\.(?=[A-Za-z_])", "", source)


def _segment(code: str, node: ast.AST) -> str:
    # Decorators belong to the definition.
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(code.splitlines()[start - 1 : node.end_lineno])


@dataclass
class Entry:
    name: str
    kind: str  # "function" | "class" | "constant" | "module"
    signature: str
    doc: str
    source: str  # the definition's source text ('' for re-exported modules)


def package_entries(package_dir: Path) -> dict[str, Entry]:
    """Every name in the package's ``__all__``, found by following ``from .x import …``."""
    return {e.name: e for e in _entries(package_dir / "__init__.py")}


def _entries(init: Path) -> list[Entry]:
    tree = ast.parse(init.read_text(encoding="utf-8"))
    exported: list[str] = []
    origin: dict[str, Path] = {}
    modules: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            exported = [ast.literal_eval(e) for e in node.value.elts]
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            base = init.parent.joinpath(*(node.module or "").split("."))
            path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
            for alias in node.names:
                origin[alias.asname or alias.name] = path
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    entries = []
    for name in exported:
        if name in origin:
            entries.append(_find(origin[name], name))
        else:
            entries.append(Entry(name, "module", "", f"``{modules.get(name, name)}`` 的别名。", ""))
    return entries


def _find(path: Path, name: str) -> Entry:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            if kind == "class":
                sig = _class_signature(node)
            else:
                returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
                sig = f"({ast.unparse(node.args)}){returns}"
            return Entry(name, kind, sig, ast.get_docstring(node) or "", _segment(text, node))
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return Entry(name, "constant", "", "", _segment(text, node))
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if any((a.asname or a.name) == name for a in node.names):
                base = path.parent.joinpath(*(node.module or "").split("."))
                target = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
                return _find(target, name)
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.level == 0):
            for a in node.names:
                if (a.asname or a.name) == name:
                    full = f"{node.module}.{a.name}" if isinstance(node, ast.ImportFrom) else a.name
                    return Entry(name, "module", "", f"``{full}`` 的别名。", _segment(text, node))
    raise LookupError(f"{path}: no definition of {name}")


def _class_signature(node: ast.ClassDef) -> str:
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            args = ast.unparse(item.args).removeprefix("self, ").removeprefix("self")
            return f"({args})"
    return "()"


def index_page(entries: dict[str, Entry], defined_in: dict[str, str], page_uri: str,
               title: str, module: str) -> str:
    """Markdown for the package index: signature, docstring summary, link to the section."""
    lines = [
        f"# {title}",
        "",
        f"本页由构建从 `{module}` 包的源代码自动生成，按字母顺序列出每个公开的名字、它的签名、说明，"
        "以及书中定义它的那一节。各节中以 `# @save` 开头的代码单元与包中的定义逐字相同。",
        "",
    ]
    base = posixpath.dirname(page_uri)
    for name in sorted((n for n in entries if not n.startswith("_")), key=str.lower):
        e = entries[name]
        lines.append(f"## `{name}`")
        lines.append("")
        if e.kind in ("function", "class"):
            prefix = "class " if e.kind == "class" else ""
            lines += ["```text", f"{prefix}{module}.{name}{e.signature}", "```", ""]
        summary = e.doc.strip().split("\n\n")[0].replace("\n", " ") if e.doc else ""
        if e.kind == "constant":
            summary = summary or "常量。"
        if summary:
            lines += [summary, ""]
        where = defined_in.get(name)
        if where:
            lines += [f"定义于：[]({posixpath.relpath(where, base)})", ""]
        else:
            lines += ["（定义它的小节尚未写成，或它只在包中提供。）", ""]
    return "\n".join(lines)
