"""``nbbook status`` / ``nbbook execute``: the record without building the site."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from mkdocs.config import load_config

from .errors import NbbookError
from .pipeline import Pipeline, Settings


def settings_from(config_file: str) -> Settings:
    cfg = load_config(config_file)
    opts = cfg.plugins["nbbook"].config
    root = Path(cfg.config_file_path).parent
    docs = Path(cfg.docs_dir)
    return Settings(
        docs_dir=docs,
        sections_dir=docs / opts.sections_dir,
        record_dir=root / opts.record_dir,
        kernel=opts.kernel,
        timeout=opts.timeout,
        dependencies={n: root / p for n, p in opts.dependencies.items()},
        env_packages=list(opts.env_packages),
        kernel_env=dict(opts.kernel_env),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nbbook", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    sub = parser.add_subparsers(dest="command", required=True)
    st = sub.add_parser("status", help="list each section as fresh or stale (and why)")
    st.add_argument("--check", action="store_true", help="exit 1 if any section is stale")
    ex = sub.add_parser("execute", help="execute stale sections and update the record")
    ex.add_argument("--all", action="store_true", help="re-execute every section")
    ex.add_argument("paths", nargs="*", help="only these section files")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.WARNING)
    pipeline = Pipeline(settings_from(args.config_file), progress=print)
    wanted = {Path(p).resolve() for p in getattr(args, "paths", [])}
    stale = 0
    try:
        for path in pipeline.section_paths():
            if wanted and path.resolve() not in wanted:
                continue
            section = pipeline.read(path)
            if not section.is_executable:
                continue
            if args.command == "status":
                found = pipeline.lookup(section)
                state = "fresh" if found.fresh else "stale: " + "; ".join(found.reasons)
                took = f"{found.seconds:6.1f} s" if found.seconds is not None else "       -"
                print(f"{took}  {section.rel}  {state}")
                stale += not found.fresh
            else:
                pipeline.run(section, "all" if args.all else "auto")
    except NbbookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.command == "status" and args.check and stale:
        print(f"{stale} stale section(s): run `nox -s execute` and commit notebooks/", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
