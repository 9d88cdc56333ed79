"""MkDocs hooks: thin wrappers around the pipeline, the renderer and the reference book."""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.nav import Section as NavSection
from mkdocs.structure.pages import Page

from . import bib
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
        pipeline = Pipeline(self.settings, progress=log.info)
        self.rendered: dict[str, str] = {}
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
            if outcome is None:
                continue
            if outcome.executed:
                executed += 1
            elif outcome.lookup.fresh:
                from_record += 1
            else:
                log.warning(f"{section.rel} is stale ({'; '.join(outcome.lookup.reasons)}); "
                            "rendered without outputs because execute is 'never'")
            stem = Path(file.src_uri).stem
            page = render(outcome.notebook, stem)
            self.rendered[file.src_uri] = page.markdown
            folder = posixpath.dirname(file.src_uri)
            for name, content in page.assets.items():
                files.append(File.generated(config, f"{folder}/{stem}_files/{name}", content=content))
        log.info(f"executed {executed} section(s), {from_record} from the record")
        self.executed_count = executed
        if self.bib_data is not None:
            text = bib.references_page(self.bib_data)
            files.append(File.generated(config, self.config.bibliography_page, content=text))
        return files

    def on_nav(self, nav: Navigation, config, files: Files) -> Navigation:
        infos: list[PageInfo] = []
        chapter = 0

        def unnumbered(item) -> bool:
            pages = [item] if isinstance(item, Page) else [p for p in _pages(item)]
            return all(any(p.file.src_uri.startswith(u) for u in self.config.unnumbered)
                       for p in pages)

        for item in nav.items:
            if isinstance(item, NavSection) and not unnumbered(item):
                chapter += 1
                item.title = f"{chapter} {item.title}"
                n = 0
                for page in _pages(item):
                    if Path(page.file.src_uri).stem == "index":
                        infos.append(self._info(page, str(chapter)))
                    else:
                        n += 1
                        infos.append(self._info(page, f"{chapter}.{n}"))
            elif isinstance(item, Page) and not unnumbered(item):
                chapter += 1
                infos.append(self._info(item, str(chapter)))
            else:
                infos.extend(self._info(p, None) for p in _pages(item))
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
        markdown = self.rendered.get(src, markdown)
        try:
            return self.book.apply(src, markdown)
        except NbbookError as exc:
            raise PluginError(str(exc)) from None

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
