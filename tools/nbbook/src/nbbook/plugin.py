"""MkDocs hooks: thin wrappers around the pipeline, the renderer and the reference book."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.nav import Section as NavSection
from mkdocs.structure.pages import Page

from . import bib, downloads, gitdates, package_index, report
from .config import NbbookConfig
from .errors import NbbookError
from .pipeline import Pipeline, Settings
from .refs import Book, PageInfo
from .render import render
from .sources import _FRONT_MATTER

log = get_plugin_logger(__name__)


class NbbookPlugin(BasePlugin[NbbookConfig]):
    supports_multiple_instances = False

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        docs = Path(config.docs_dir)
        self.settings = Settings(
            docs_dir=docs,
            sections_dir=docs / self.config.sections_dir,
            record_dir=root / self.config.record_dir,
            kernel=self.config.kernel,
            timeout=self.config.timeout,
            dependencies={n: root / p for n, p in self.config.dependencies.items()},
            env_packages=list(self.config.env_packages),
            kernel_env=dict(self.config.kernel_env),
        )
        self.book = Book(bib_page=self.config.bibliography_page)
        self.bib_data = None
        if self.config.bibliography:
            try:
                self.bib_data = bib.load(docs / self.config.bibliography)
            except NbbookError as exc:
                raise PluginError(str(exc)) from None
            self.book.bibliography = bib.labels(self.bib_data)
        return config

    def on_files(self, files: Files, config) -> Files:
        self.dates = gitdates.last_updated(self.settings.docs_dir)
        pipeline = Pipeline(self.settings, progress=log.info)
        self.rendered: dict[str, str] = {}
        self.rows: list[report.Row] = []
        self.notebooks: dict[str, str] = {}  # page src_uri → downloadable notebook file name
        self.saved: dict[str, str] = {}  # name saved into the package → defining page
        archive: dict[str, bytes] = {}
        executed = from_record = 0
        mode = self.config.execute
        sections_prefix = self.config.sections_dir.rstrip("/") + "/"
        for file in list(files.documentation_pages()):
            if not file.src_uri.startswith(sections_prefix) or file.abs_src_path is None:
                continue
            try:
                section = pipeline.read(Path(file.abs_src_path))
                outcome = pipeline.run(section, mode)
            except NbbookError as exc:
                raise PluginError(str(exc)) from None
            for cell in section.code_cells:
                for name in package_index.saved_definitions(cell.source):
                    self.saved.setdefault(name, file.src_uri)
            if outcome is None:
                continue
            found = outcome.lookup
            if outcome.executed:
                executed += 1
                state, env, when = "executed", pipeline.keys.env, None
            elif found.fresh:
                from_record += 1
                state, env, when = "fresh", found.env or {}, found.executed
            else:
                log.warning(f"{section.rel} is stale ({'; '.join(found.reasons)}); "
                            "rendered without outputs because execute is 'never'")
                state, env, when = "stale", found.env or {}, found.executed
            self.rows.append(report.Row(file.src_uri, state, found.reasons, outcome.seconds, when, env))
            stem = Path(file.src_uri).stem
            page = render(outcome.notebook, stem)
            self.rendered[file.src_uri] = page.markdown
            folder = posixpath.dirname(file.src_uri)
            for name, content in page.assets.items():
                files.append(File.generated(config, f"{folder}/{stem}_files/{name}", content=content))
            if state != "stale":
                data = downloads.notebook_bytes(outcome.notebook)
                files.append(File.generated(config, f"{folder}/{stem}.ipynb", content=data))
                self.notebooks[file.src_uri] = f"{stem}.ipynb"
                archive[posixpath.relpath(f"{folder}/{stem}.ipynb", sections_prefix)] = data
        log.info(f"executed {executed} section(s), {from_record} from the record")
        self.executed_count = executed
        if self.bib_data is not None:
            text = bib.references_page(self.bib_data)
            files.append(File.generated(config, self.config.bibliography_page, content=text))
        index = self.config.package_index
        if index:
            files.append(File.generated(config, index["page"], content=f"# {index['title']}\n"))
        # Filled in on_page_markdown, once the nav has given every section its number.
        files.append(File.generated(config, self.config.report_page, content="# 执行报告\n"))
        files.append(File.generated(config, self.config.notebooks_archive,
                                    content=downloads.archive(archive)))
        return files

    def on_nav(self, nav: Navigation, config, files: Files) -> Navigation:
        infos: list[PageInfo] = []
        chapter = 0

        def unnumbered(item) -> bool:
            pages = [item] if isinstance(item, Page) else [p for p in _pages(item)]
            return all(any(p.file.src_uri.startswith(u) for u in self.config.unnumbered)
                       for p in pages)

        def number_of(item) -> int:
            pages = _pages(item)
            folder = pages[0].file.src_uri.split("/")[-2] if pages else ""
            return int(self.config.chapter_numbers.get(folder, chapter + 1))

        for item in nav.items:
            if isinstance(item, NavSection) and not unnumbered(item):
                chapter = number_of(item)
                item.title = f"{chapter} {item.title}"
                n = 0
                for page in _pages(item):
                    if Path(page.file.src_uri).stem == "index":
                        infos.append(self._info(page, str(chapter)))
                    else:
                        n += 1
                        infos.append(self._info(page, f"{chapter}.{n}"))
            elif isinstance(item, Page) and not unnumbered(item):
                chapter = number_of(item)
                infos.append(self._info(item, str(chapter)))
            else:
                infos.extend(self._info(p, None) for p in _pages(item))
        # Pages left out of the nav still render: their labels must be known too.
        in_nav = {i.src_uri for i in infos}
        for file in files.documentation_pages():
            if file.src_uri not in in_nav and file.page is not None:
                infos.append(self._info(file.page, None))
        try:
            self.book.scan(infos)
        except NbbookError as exc:
            raise PluginError(str(exc)) from None
        for info in infos:
            page = files.get_file_from_path(info.src_uri).page
            if page is not None and info.number:
                # Numbered titles in the nav and the page; read_source does not reset them.
                page.title = f"{info.number} {info.title}"
        return nav

    def _info(self, page: Page, number: str | None) -> PageInfo:
        src = page.file.src_uri
        if src in self.rendered:
            text = self.rendered[src]
        else:
            text = _FRONT_MATTER.sub("", page.file.content_string, count=1)
        return PageInfo(src_uri=src, number=number, markdown=text)

    def on_page_markdown(self, markdown: str, page: Page, config, files: Files) -> str:
        src = page.file.src_uri
        if src == self.config.report_page:
            titles = {p.src_uri: f"{p.number} {p.title}" if p.number else p.title
                      for p in self.book.pages.values()}
            return report.page(self.rows, titles, src)
        index = self.config.package_index
        if index and src == index["page"]:
            root = Path(config.config_file_path).parent
            entries = package_index.package_entries(root / index["package"])
            markdown = package_index.index_page(entries, self.saved, src, index["title"],
                                                index["package"])
        markdown = self.rendered.get(src, markdown)
        try:
            markdown = self.book.apply(src, markdown)
        except NbbookError as exc:
            raise PluginError(str(exc)) from None
        return self._reader_links(page, markdown)

    def _reader_links(self, page: Page, markdown: str) -> str:
        """Notebook download under the title; edit button and discussion link if configured."""
        src = page.file.src_uri
        if src in self.dates:
            page.meta.setdefault("revision_date", self.dates[src])  # Material shows "最后更新"
        if src in self.notebooks:
            name = self.notebooks[src]
            button = f'[下载记事本（.ipynb）]({name}){{ .nb-download download="{name}" }}'
            markdown = re.sub(r"^(# .*)$", lambda m: f"{m.group(1)}\n\n{button}", markdown,
                              count=1, flags=re.M)
        repo = (self.config.repository or "").rstrip("/")
        if repo and src.startswith(self.config.sections_dir.rstrip("/") + "/"):
            fields = {"repository": repo, "path": src, "title": quote(page.title or "")}
            page.edit_url = self.config.edit_url.format(**fields)
            url = self.config.discussion_url.format(**fields)
            markdown += f"\n\n## 讨论\n\n对本节有疑问或想法？欢迎到[讨论区]({url})交流。\n"
        return markdown

    def on_serve(self, server, config, builder):
        for path in self.settings.dependencies.values():
            if path.exists():
                server.watch(str(path))
        return server


def _pages(item) -> list[Page]:
    if isinstance(item, Page):
        return [item]
    if isinstance(item, NavSection):
        return [p for child in item.children for p in _pages(child)]
    return []
