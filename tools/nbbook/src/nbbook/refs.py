"""Numbered figures, tables and equations, cross-references and citations.

Authoring syntax (documented in CONTRIBUTING.md):

* figure   ``![说明](img/x.svg){#fig:name}``      → numbered ``图 2.1``
* table    a line ``: 说明 {#tab:name}`` after a table → numbered ``表 2.1``
* equation ``$$ … $$ {#eq:name}``                  → ``\\tag{2.1}``
* refs     ``[@fig:name]`` ``[@tab:name]`` ``[@eq:name]`` → linked ``图 2.1`` / ``表 2.1`` / ``式 (2.1)``
* section  ``[](../chapter_x/y.md)`` (empty link text) → ``2.1 标题``
* cite     ``[@key]`` or ``[@a; @b]`` with keys in the BibTeX file → ``(LeCun et al., 1998)``

Nothing inside code fences, inline code or output blocks is touched. Core logic, no MkDocs import.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from .errors import CrossRefError

_FIG = re.compile(r"^!\[(?P<cap>[^\]]*)\]\((?P<src>[^)\s]+)\)\{#fig:(?P<name>[\w-]+)\}[ \t]*$", re.M)
_TAB = re.compile(r"^:[ \t]+(?P<cap>.+?)[ \t]*\{#tab:(?P<name>[\w-]+)\}[ \t]*$", re.M)
_EQ = re.compile(r"^\$\$(?P<body>.*?)\$\$[ \t]*\{#eq:(?P<name>[\w-]+)\}[ \t]*$", re.M | re.S)
_REF = re.compile(r"\[@(?P<body>[^\]\s][^\]]*)\]")
_SECLINK = re.compile(r"\[\]\((?P<target>[^)\s#]+\.md)(?P<frag>#[^)\s]*)?\)")
_H1 = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t]*(\{[^}]*\})?[ \t]*$", re.M)
# Code fences, raw <pre> blocks (rendered outputs) and inline code are left alone.
_PROTECTED = re.compile(
    r"(^(?P<f>`{3,}|~{3,})[^\n]*\n.*?^(?P=f)[ \t]*$|<pre\b.*?</pre>|`[^`\n]+`)", re.M | re.S
)

KIND_WORD = {"fig": "图", "tab": "表", "eq": "式"}


@dataclass
class Target:
    page: str  # src_uri of the page that holds it
    anchor: str  # HTML id ('' for a whole page)
    text: str  # what a reference displays


@dataclass
class PageInfo:
    src_uri: str
    number: str | None  # "2.1", "1", or None for unnumbered pages
    markdown: str
    title: str = ""


@dataclass
class Book:
    """Labels and numbers for the whole site, built in nav order before any page renders."""

    bibliography: dict[str, str] = field(default_factory=dict)  # key → "LeCun et al., 1998"
    bib_page: str = "references.md"
    pages: dict[str, PageInfo] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    cited: set[str] = field(default_factory=set)

    def scan(self, pages: list[PageInfo]) -> None:
        """Number every labelled figure, table and equation; counters run per chapter."""
        counters: dict[tuple[str, str], int] = {}
        self.pages = {p.src_uri: p for p in pages}
        self.targets = {}
        for page in pages:
            m = _H1.search(_mask(page.markdown)[0])
            page.title = m.group("title").strip() if m else posixpath.basename(page.src_uri)
            chapter = page.number.split(".")[0] if page.number else ""
            for kind, pattern in (("fig", _FIG), ("tab", _TAB), ("eq", _EQ)):
                for match in pattern.finditer(_mask(page.markdown)[0]):
                    label = f"{kind}:{match.group('name')}"
                    if label in self.targets:
                        other = self.targets[label].page
                        raise CrossRefError(f"{page.src_uri}: label {label} already defined in {other}")
                    counters[(chapter, kind)] = n = counters.get((chapter, kind), 0) + 1
                    number = f"{chapter}.{n}" if chapter else str(n)
                    self.targets[label] = Target(page.src_uri, label.replace(":", "-"), number)

    def heading_number(self, src_uri: str) -> str | None:
        page = self.pages.get(src_uri)
        return page.number if page else None

    def apply(self, src_uri: str, markdown: str) -> str:
        """Rewrite one page's Markdown: numbers, anchors, reference and citation links."""
        masked, stash = _mask(markdown)
        page = self.pages.get(src_uri)
        if page and page.number:
            masked = _H1.sub(lambda m: f"# {page.number} {m.group('title')}", masked, count=1)
        masked = _FIG.sub(lambda m: self._figure(m), masked)
        masked = _TAB.sub(lambda m: self._table(m), masked)
        masked = _EQ.sub(lambda m: self._equation(m), masked)
        masked = _SECLINK.sub(lambda m: self._section_link(src_uri, m), masked)
        masked = _REF.sub(lambda m: self._reference(src_uri, m), masked)
        return _unmask(masked, stash)

    # -- definitions -------------------------------------------------------------------
    def _figure(self, m: re.Match) -> str:
        t = self.targets[f"fig:{m.group('name')}"]
        return (
            f'<figure markdown="span" id="{t.anchor}">\n'
            f"  ![{m.group('cap')}]({m.group('src')})\n"
            f"  <figcaption>图 {t.text}　{m.group('cap')}</figcaption>\n</figure>"
        )

    def _table(self, m: re.Match) -> str:
        t = self.targets[f"tab:{m.group('name')}"]
        return f'<p class="nb-caption" id="{t.anchor}">表 {t.text}　{m.group("cap")}</p>'

    def _equation(self, m: re.Match) -> str:
        t = self.targets[f"eq:{m.group('name')}"]
        body = m.group("body").rstrip()
        return f'<span id="{t.anchor}"></span>\n\n$$\n{body.strip()} \\tag{{{t.text}}}\n$$'

    # -- references --------------------------------------------------------------------
    def _link(self, src_uri: str, target_page: str, anchor: str) -> str:
        if target_page == src_uri and anchor:
            return f"#{anchor}"
        rel = posixpath.relpath(target_page, posixpath.dirname(src_uri) or ".")
        return f"{rel}#{anchor}" if anchor else rel

    def _section_link(self, src_uri: str, m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), m.group("target")))
        page = self.pages.get(target)
        if page is None:
            return m.group(0)  # MkDocs reports links to missing pages itself
        text = f"{page.number} {page.title}" if page.number else page.title
        return f"[{text}]({m.group('target')}{m.group('frag') or ''})"

    def _reference(self, src_uri: str, m: re.Match) -> str:
        keys = [k.strip().lstrip("@") for k in m.group("body").split(";")]
        if not all(k and re.fullmatch(r"[\w:.\-]+", k) for k in keys):
            return m.group(0)  # not our syntax, leave it alone
        links = []
        for key in keys:
            kind = key.split(":", 1)[0]
            if kind in KIND_WORD and ":" in key:
                t = self.targets.get(key)
                if t is None:
                    raise CrossRefError(f"{src_uri}: reference [@{key}] names no label {key}")
                shown = f"({t.text})" if kind == "eq" else t.text
                links.append(f"[{KIND_WORD[kind]} {shown}]({self._link(src_uri, t.page, t.anchor)})")
            else:
                if key not in self.bibliography:
                    raise CrossRefError(f"{src_uri}: citation [@{key}] is not in the bibliography")
                self.cited.add(key)
                href = self._link(src_uri, self.bib_page, f"ref-{key}")
                links.append(f"[{self.bibliography[key]}]({href})")
        if all(":" not in k or k.split(":", 1)[0] not in KIND_WORD for k in keys):
            return "(" + "; ".join(links) + ")"
        return "、".join(links)


def _mask(markdown: str) -> tuple[str, list[str]]:
    stash: list[str] = []

    def keep(m: re.Match) -> str:
        stash.append(m.group(0))
        return f"\x00{len(stash) - 1}\x00"

    return _PROTECTED.sub(keep, markdown), stash


def _unmask(text: str, stash: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: stash[int(m.group(1))], text)
