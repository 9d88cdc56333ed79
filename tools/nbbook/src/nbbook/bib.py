"""The bibliography: author–year labels for citations and the references page."""

from __future__ import annotations

import html
from pathlib import Path

from pybtex.database import BibliographyData, parse_file
from pybtex.plugin import find_plugin

from .errors import NbbookError


def load(path: Path) -> BibliographyData:
    try:
        return parse_file(str(path), bib_format="bibtex")
    except Exception as exc:
        raise NbbookError(f"{path}: cannot read the bibliography: {exc}") from None


def _last(person) -> str:
    return " ".join(person.last_names).replace("{", "").replace("}", "")


def label(entry) -> str:
    """``LeCun et al., 1998`` / ``Hochreiter & Schmidhuber, 1997`` / ``Hebb, 1949``."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    year = entry.fields.get("year", "n.d.")
    if not people:
        who = entry.fields.get("title", "?")
    elif len(people) == 1:
        who = _last(people[0])
    elif len(people) == 2:
        who = f"{_last(people[0])} & {_last(people[1])}"
    else:
        who = f"{_last(people[0])} et al."
    return f"{who}, {year}"


def labels(data: BibliographyData) -> dict[str, str]:
    return {key: label(entry) for key, entry in data.entries.items()}


def references_page(data: BibliographyData, keys: set[str] | None = None, title: str = "参考文献") -> str:
    """Markdown for the bibliography page: one anchored paragraph per entry, sorted by label."""
    chosen = BibliographyData(
        entries={k: e for k, e in data.entries.items() if keys is None or k in keys}
    )
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "html")()
    formatted = {e.key: e.text.render(backend) for e in style.format_entries(chosen.entries.values())}
    lines = [f"# {title}", ""]
    for key in sorted(formatted, key=lambda k: label(chosen.entries[k]).lower()):
        lines.append(
            f'<p class="nb-ref" id="ref-{html.escape(key)}">'
            f"<strong>{html.escape(label(chosen.entries[key]))}</strong>　{formatted[key]}</p>"
        )
        lines.append("")
    return "\n".join(lines)
