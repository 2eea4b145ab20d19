"""`archive`: build, serve and check the research archive. Run from the project root."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .terminal import printable

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="archive", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the mkdocs configuration (default: mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="normalise articles, generate pages and build the site")
    build.add_argument("--articles", metavar="DIR", help="folder of input articles (default: articles/)")
    build.add_argument("--site-dir", metavar="DIR", help="where to write the site (default: site/)")
    build.add_argument("--strict", action="store_true", help="exit 1 on any data problem or mkdocs warning")

    serve = commands.add_parser("serve", help="preview on localhost, rebuilding when an article changes")
    serve.add_argument("--articles", metavar="DIR")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")

    check = commands.add_parser("check", help="run the build up to mkdocs, rendering every page in memory, writing nothing (for pull requests)")
    check.add_argument("--articles", metavar="DIR")
    check.add_argument("--strict", action="store_true", help="exit 1 on any problem, warnings included")

    entities = commands.add_parser("entities", help="curation: list discovered names that are not in the registry")
    entities.add_argument("--candidates", action="store_true", required=True,
                          help="names found by the discovery rules but not (yet) entities, with counts and an example")
    entities.add_argument("--articles", metavar="DIR")
    entities.add_argument("--limit", type=int, default=100, metavar="N", help="show the N most frequent (default 100; 0 = all)")

    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(f"archive: no {config_file} here; run from the project root or pass --config-file", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "articles", None) and not Path(args.articles).is_dir():
        print(f"archive: --articles {args.articles}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from .errors import Refused

    try:
        return {"build": _build, "serve": _serve, "check": _check, "entities": _entities}[args.command](args, config_file)
    except Refused as exc:
        print(printable(f"archive: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS


def _load_config(args, config_file: Path, **overrides):
    from mkdocs.config import load_config

    config = load_config(str(config_file), **overrides)
    plugin = config.plugins["archive"]
    if getattr(args, "articles", None):
        plugin.config.articles_dir = str(Path(args.articles).absolute())
    plugin.on_config(config)  # mkdocs runs it again at build time; it only derives paths
    return config


def _build(args, config_file: Path) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, BuildError

    from .errors import Refused
    from .pipeline import ConservationError
    from .site.atomic import Locked, build_lock, discard, staging_dir, swap_in

    started = time.perf_counter()
    overrides = {"strict": True} if args.strict else {}
    if args.site_dir:
        overrides["site_dir"] = str(Path(args.site_dir).absolute())
    config = _load_config(args, config_file, **overrides)
    site_dir = Path(config.site_dir)
    plugin = config.plugins["archive"]
    try:
        with build_lock(plugin.settings.project_root):
            staging = staging_dir(site_dir)
            config.site_dir = str(staging)
            try:
                build(config)
            except (Abort, BuildError, ConservationError, Refused) as exc:
                discard(staging)
                print(printable(f"archive: the site build failed; {site_dir} is left as it was: {exc}"), file=sys.stderr)
                return EXIT_PROBLEMS
            except BaseException:
                discard(staging)
                raise
            swap_in(staging, site_dir)
    except Locked as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    result = plugin.result
    print(printable(f"archive: built {site_dir}: {result.summary()}; total {time.perf_counter() - started:.2f}s"))
    return EXIT_PROBLEMS if args.strict and result.problems else EXIT_OK


def _serve(args, config_file: Path) -> int:
    from mkdocs.commands.serve import serve

    if args.articles:  # the plugin reads this when mkdocs loads the config for each rebuild
        import os

        os.environ["ARCHIVE_ARTICLES_DIR"] = str(Path(args.articles).absolute())
    serve(str(config_file), dev_addr=args.dev_addr, livereload=True)
    return EXIT_OK


def _check(args, config_file: Path) -> int:
    from . import pipeline

    config = _load_config(args, config_file)
    plugin = config.plugins["archive"]
    try:
        index = pipeline.generate(plugin.settings, write=False).index  # the build's own steps, nothing written
    except pipeline.ConservationError as exc:
        print(printable(f"archive: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    for problem in index.problems:
        print(printable(f"{problem.severity.upper()}: {problem.file}: {problem.message}"))
    errors = sum(p.severity == "error" for p in index.problems)
    print(f"archive: checked {index.inputs} files: {len(index.articles)} articles, {errors} errors, "
          f"{len(index.problems) - errors} warnings")
    return EXIT_PROBLEMS if args.strict and index.problems else EXIT_OK


def _entities(args, config_file: Path) -> int:
    from . import pipeline

    config = _load_config(args, config_file)
    index, _, _, _ = pipeline.analyse(config.plugins["archive"].settings)
    discovered = [s for s in index.entities.values() if s.record.origin == "discovered"]
    rows = index.candidates[: args.limit or None]
    print(f"{len(index.candidates)} candidate names (not entities yet); {len(discovered)} discovered entities have pages.")
    print("Promote a name by adding it to entities.yml (with type and aliases), merge it by adding it as an alias,")
    print("or silence it under `ignore:`.\n")
    print(f"{'mentions':>8} {'articles':>8}  name  —  example")
    for name, articles, mentions, example in rows:
        print(f"{mentions:>8} {articles:>8}  {printable(name)}  —  {printable(example[:160])}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
