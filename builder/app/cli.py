"""`archive`: build, serve and check the research archive. Run from the project root."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..extract.registry import TYPES
from ..terminal import printable

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXECUTOR_HELP = ("where parsing and extraction run: local (default: this machine's cores) or dask://HOST:PORT, "
                 "an existing Dask scheduler (aggregation and writing stay here)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="archive", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the mkdocs configuration (default: mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="normalise articles, generate pages and build the site")
    build.add_argument("--articles", metavar="DIR", help="folder of input articles (default: articles/)")
    build.add_argument("--site-dir", metavar="DIR", help="where to write the site (default: site/)")
    build.add_argument("--strict", action="store_true", help="exit 1 on any data problem or mkdocs warning")
    build.add_argument("--executor", metavar="dask://HOST:PORT", help=EXECUTOR_HELP)

    serve = commands.add_parser("serve", help="preview on localhost, rebuilding when an article changes")
    serve.add_argument("--articles", metavar="DIR")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")

    check = commands.add_parser("check", help="run the build up to mkdocs, rendering every page in memory, writing nothing (for pull requests)")
    check.add_argument("--articles", metavar="DIR")
    check.add_argument("--strict", action="store_true", help="exit 1 on any problem, warnings included")
    check.add_argument("--executor", metavar="dask://HOST:PORT", help=EXECUTOR_HELP)

    entities = commands.add_parser(
        "entities", help="curation: list candidate names (--candidates) or edit the registry (merge, ignore, type)")
    entities.add_argument("--candidates", action="store_true",
                          help="names found by the discovery rules but not (yet) entities, with counts and an example")
    entities.add_argument("--articles", metavar="DIR")
    entities.add_argument("--limit", type=int, default=100, metavar="N", help="show the N most frequent (default 100; 0 = all)")
    edits = entities.add_subparsers(dest="edit", metavar="{merge,ignore,type}")
    merge = edits.add_parser("merge", help="make name A an alias of entity B (B is created when new)")
    merge.add_argument("name", metavar="A")
    merge.add_argument("target", metavar="B")
    merge.add_argument("--type", choices=TYPES, dest="kind", help="the type of B when it is new (default: other)")
    ignore = edits.add_parser("ignore", help="never make an entity of name X (adds it to ignore:)")
    ignore.add_argument("name", metavar="X")
    retype = edits.add_parser("type", help="set the type of entity X (added to the registry when new)")
    retype.add_argument("name", metavar="X")
    retype.add_argument("kind", metavar="TYPE", choices=TYPES, help=" | ".join(TYPES))

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
    executor = getattr(args, "executor", None)
    if executor and executor != "local" and not (executor.startswith("dask://") and len(executor) > len("dask://")):
        print(f"archive: --executor {executor}: expected local or dask://HOST:PORT", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "entities" and not args.candidates and not args.edit:
        print("archive entities: give --candidates, or one of merge, ignore, type (see archive entities -h)", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "entities" and args.candidates and args.edit:
        print("archive entities: --candidates lists; it does not go with an edit", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from ..errors import Refused

    try:
        return {"build": _build, "serve": _serve, "check": _check, "entities": _entities}[args.command](args, config_file)
    except Refused as exc:
        print(printable(f"archive: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS


def _load_config(args, config_file: Path, serving: bool = False, strict: bool = False, site_dir: str | None = None):
    return load_config(config_file, getattr(args, "articles", None), getattr(args, "executor", None), serving, strict,
                       site_dir)


def load_config(config_file: Path, articles: str | None = None, executor: str | None = None, serving: bool = False,
                strict: bool = False, site_dir: str | None = None):
    """mkdocs.yml loaded as every command uses it: the archive plugin's settings derived (config.settings_of),
    its theme override and assets added. `articles`, `executor`: the command line's --articles, --executor;
    `strict`, `site_dir`: --strict and --site-dir, set over mkdocs.yml's (not strict: mkdocs.yml's own)."""
    from mkdocs.config import load_config as mkdocs_config

    from ..site.plugin import archive_plugin

    config = mkdocs_config(str(config_file), strict=True if strict else None, site_dir=site_dir)  # None: mkdocs.yml's
    plugin = archive_plugin(config)
    plugin.serving = serving
    plugin.executor = executor  # on_config (run again by mkdocs) puts it in the settings
    if articles:
        plugin.config.articles_dir = str(Path(articles).absolute())
    plugin.on_config(config)  # mkdocs runs it again at build time; it only derives paths
    return config


def _build(args, config_file: Path) -> int:
    from mkdocs.exceptions import Abort, BuildError

    from ..build import build_site
    from ..errors import Refused
    from ..pipeline import ConservationError
    from ..site.atomic import Locked, build_lock
    from ..site.pagefind import PagefindError

    site_dir_option = str(Path(args.site_dir).absolute()) if args.site_dir else None
    config = _load_config(args, config_file, strict=args.strict, site_dir=site_dir_option)
    site_dir = Path(config.site_dir)
    settings = config.plugins["archive"].settings
    try:
        with build_lock(settings.project_root):
            report = build_site(settings, config, site_dir)
    except Locked as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (Abort, BuildError, ConservationError, Refused, PagefindError) as exc:
        print(printable(f"archive: the site build failed; {site_dir} is left as it was: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    for problem in report.problems:
        logging.getLogger("builder").warning("%s", printable(f"{problem.severity.upper()}: {problem.file}: {problem.message}"))
    if report.search:
        logging.getLogger("builder").info("%s", report.search)
    print(printable(f"archive: built {site_dir}: {report.summary()}"))
    return EXIT_PROBLEMS if args.strict and report.problems else EXIT_OK


def _serve(args, config_file: Path) -> int:
    from .serve import serve

    config = _load_config(args, config_file, serving=True)
    host, _, port = args.dev_addr.rpartition(":")
    return serve(config, host or "127.0.0.1", int(port or 8000))


def _check(args, config_file: Path) -> int:
    from mkdocs.exceptions import Abort, BuildError

    from ..build import check_site
    from ..pipeline import ConservationError

    config = _load_config(args, config_file, strict=args.strict)
    try:
        # the build's own path (build.plan_site): every page rendered and filled, nothing written
        report = check_site(config.plugins["archive"].settings, config)
    except (Abort, BuildError, ConservationError) as exc:
        print(printable(f"archive: the check failed; the build would fail: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    index = report.index
    for problem in index.problems:
        print(printable(f"{problem.severity.upper()}: {problem.file}: {problem.message}"))
    errors = sum(p.severity == "error" for p in index.problems)
    print(f"archive: checked {index.inputs} files: {len(index.articles)} articles, {len(report.outputs)} files to publish, "
          f"{errors} errors, {len(index.problems) - errors} warnings")
    return EXIT_PROBLEMS if args.strict and index.problems else EXIT_OK


def _entities(args, config_file: Path) -> int:
    from .. import pipeline

    if args.edit:
        return _edit_registry(args, config_file)
    config = _load_config(args, config_file)
    index = pipeline.analyse(config.plugins["archive"].settings).index
    discovered = [s for s in index.entities.values() if s.record.origin == "discovered"]
    rows = index.candidates[: args.limit or None]
    print(f"{len(index.candidates)} candidate names (not entities yet); {len(discovered)} discovered entities have pages.")
    print("Promote a name with `archive entities type NAME TYPE`, merge it into an entity with")
    print("`archive entities merge NAME ENTITY`, or silence it with `archive entities ignore NAME` (all edit entities.yml).\n")
    print(f"{'mentions':>8} {'articles':>8}  name  —  example")
    for name, articles, mentions, example in rows:
        print(f"{mentions:>8} {articles:>8}  {printable(name)}  —  {printable(example[:160])}")
    hints = pipeline.curator_suggestions(index)
    merges = [s for s in hints if s.action == "merge"][: args.limit or None]
    junk = [s for s in hints if s.action == "ignore"][: args.limit or None]
    if merges:
        print(f"\nSuggested merges ({len(merges)}): `archive entities merge NAME ENTITY` if they are one actor.\n")
        for s in merges:
            print(f"{s.mentions:>8}  {printable(s.name)}  →  {printable(s.target)}  ({s.reason})")
    if junk:
        print(f"\nLikely not names ({len(junk)}): `archive entities ignore NAME` to drop a page.\n")
        for s in junk:
            print(f"{s.mentions:>8}  {printable(s.name)}  ({s.reason})")
    return EXIT_OK


def _edit_registry(args, config_file: Path) -> int:
    """merge / ignore / type: edit entities.yml in place, keep it only if the registry still loads."""
    from .. import curation
    from ..extract import registry

    config = _load_config(args, config_file)
    path = Path(config.plugins["archive"].settings.registry)
    try:  # shown as the curator would type it
        path = path.relative_to(Path.cwd())
    except ValueError:
        pass
    old = path.read_text("utf-8") if path.exists() else None
    try:
        if args.edit == "merge":
            new, message = curation.merge(old or "", args.name, args.target, args.kind)
        elif args.edit == "ignore":
            new, message = curation.ignore(old or "", args.name)
        else:
            new, message = curation.set_type(old or "", args.name, args.kind)
    except curation.CurationError as exc:
        print(f"archive: {path}: {exc}; nothing changed", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - ruamel's YAML errors: the file does not parse
        print(f"archive: {path}: cannot edit: {exc}".rstrip(), file=sys.stderr)
        return EXIT_USAGE
    if new == (old or ""):
        print(f"archive: {path}: {message}")
        return EXIT_OK
    path.write_text(new, "utf-8")
    try:
        registry.load(path)
    except registry.RegistryError as exc:
        if old is None:
            path.unlink()
        else:
            path.write_text(old, "utf-8")
        print(f"archive: the edit would break the registry, so {path} is left as it was: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"archive: {path}: {message}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
