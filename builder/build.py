"""The driver: `archive build` runs ingest → extract → aggregate → emit, and writes the site itself.

    analyse (builder/pipeline.py)     articles/ → Index (parse and extract per article, cached; aggregate)
    emit (builder/emit/)              Index → pages, files and records, one emitter per page family
    shells (builder/site/shells.py)   mkdocs, through its Python API, renders the hand-written pages and one
                                      page shell per family (theme, nav, scripts); generated pages are filled
                                      into them, never written into docs/ for mkdocs to read back
    write (builder/site/writer.py)    only files whose content changed, into a hard-link clone of the old
                                      site, swapped in whole (builder/site/atomic.py)
    search (builder/site/pagefind.py) Pagefind over the searchable pages in shards, only those whose pages changed

What is unchanged since the last build is skipped at every level: the whole build when no input, setting or
code changed; an emitter whose declared dependencies are unchanged; a page whose view is unchanged; a file
whose bytes are unchanged. The state of the last build (the write manifest, each emitter's digest and
outputs) is `.cache/build-state.json`.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as build_cache
from . import emit, pipeline
from .aggregate import Index
from .paths import ShellRef, folder_of, output_path, page_name, page_url
from .ingest import discover
from .memory import cycle_collector_paused
from .models import Problem
from .render import HtmlPage
from .site import pagefind, shells as site_shells
from .site.atomic import discard, staging_dir, swap_in
from .emit import Output
from .site.writer import Manifest, SyncStats, check_tree, clone_tree, sync

log = logging.getLogger("builder")

STATE_FORMAT = 2
RECORDS_DIR = "articles"  # docs/articles/: the normalised records
KEEP = (pagefind.OUTPUT_SUBDIR, pagefind.OUTPUT_SUBDIR + ".next", pagefind.OUTPUT_SUBDIR + ".old")  # Pagefind's, not file by file


@dataclass
class BuildReport:
    articles: int
    inputs: int
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: SyncStats | None = None
    skipped: list[str] = field(default_factory=list)  # emitters whose dependencies were unchanged
    unchanged: bool = False  # nothing changed: the site was left as it was
    index: Index | None = None
    search: str = ""
    shells: dict | None = None  # the page shells of this build (the preview fills edited pages into them)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        timing = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.timings.items())
        head = (f"{self.inputs} files, {self.articles} articles published, {self.errors} errors, "
                f"{len(self.problems) - self.errors} warnings")
        if self.unchanged:
            return f"{head}; nothing changed ({timing})"
        files = (f"; {self.written.written} files written, {self.written.unchanged} unchanged, {self.written.removed} removed"
                 if self.written else "")
        return f"{head}{files} ({timing})"


@dataclass
class State:
    """What the last build left, to know what changed."""

    inputs: str = ""
    site_stamp: list = field(default_factory=list)
    manifest: Manifest = field(default_factory=Manifest)  # site/
    records: Manifest = field(default_factory=Manifest)  # docs/articles/
    emitters: dict[str, dict] = field(default_factory=dict)  # name → {"digest", "outputs": {path: identity}, "pages": [...]}
    search: str = ""
    problems: list[list[str]] = field(default_factory=list)
    counts: list[int] = field(default_factory=lambda: [0, 0])

    @classmethod
    def load(cls, path: Path) -> "State":
        try:
            if path.is_symlink():
                return cls()
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != STATE_FORMAT:
                return cls()
            return cls(data["inputs"], data["site_stamp"], Manifest.from_json(data["manifest"]),
                       Manifest.from_json(data["records"]), data["emitters"], data["search"], data["problems"], data["counts"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # no state, or a damaged one: build everything

    def save(self, path: Path) -> None:
        data = {"format": STATE_FORMAT, "inputs": self.inputs, "site_stamp": self.site_stamp,
                "manifest": self.manifest.to_json(), "records": self.records.to_json(), "emitters": self.emitters, "search": self.search,
                "problems": self.problems, "counts": self.counts}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".build-state-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, separators=(",", ":")))
        os.replace(tmp, path)


def _saved_problem(saved: list[str]) -> Problem:
    """A problem as the state keeps it: [file, severity, message]."""
    file, severity, message = saved
    return Problem(file, "error" if severity == "error" else "warning", message)


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def site_stamp(site_dir: Path) -> list:
    """Which site folder this is: a deleted or replaced site/ (a CI deploy) is not mistaken for the last build's."""
    try:
        st = os.lstat(site_dir)
        index = os.lstat(site_dir / "index.html")
        return [st.st_dev, st.st_ino, st.st_mtime_ns, index.st_ino, index.st_mtime_ns]
    except OSError:
        return []


def inputs_digest(settings: pipeline.Settings, config, site: site_shells.SiteInputs, flags: str) -> str:
    """Everything the site is made from: the articles' bytes, the registry, the hand-written pages and
    configuration, the settings, and the builder's code and libraries."""
    h = hashlib.sha256()
    files, problems = discover(settings.articles_dir, settings.project_root)
    for item in files:
        h.update(item.display.encode("utf-8", "surrogatepass") + b"\0")
        h.update(hashlib.sha256(item.path.read_bytes()).digest())
    h.update(repr(sorted((p.file, p.severity, p.message) for p in problems)).encode("utf-8", "surrogatepass"))
    registry = settings.registry
    h.update(registry.read_bytes() if registry and registry.is_file() else b"-")
    h.update(repr((settings.tiles, settings.min_articles, settings.model, os.environ.get("ARCHIVE_MODEL"), flags)).encode())
    h.update(site.digest.encode())
    h.update(build_cache.code_digest().encode())
    h.update(",".join(f"{n}={build_cache.library_version(n)}" for n in LIBRARIES).encode())
    return h.hexdigest()


LIBRARIES = ("mkdocs", "mkdocs-material", "pagefind", "pagefind-bin", "spacy", "jinja2", "markdown", "nh3")


def build_site(settings: pipeline.Settings, config, site_dir: Path, *, serving: bool = False) -> BuildReport:
    """Build (or bring up to date) the site at `site_dir`; the caller holds the build lock.

    A build writes into a hard-link clone of the site and swaps it in whole: a failed or killed build
    leaves the old site (and the state describing it) as it was. The preview (`serving`) writes in place."""
    started = time.perf_counter()
    cache_dir = settings.cache_dir or settings.project_root / ".cache"
    state_path = cache_dir / ("serve-state.json" if serving else "build-state.json")
    state = State.load(state_path)
    site_inputs = site_shells.SiteInputs.of(config, serving)
    digest_now = inputs_digest(settings, config, site_inputs, f"serve={serving}")
    timings: dict[str, float] = {"check": time.perf_counter() - started}
    if digest_now == state.inputs and state.site_stamp and state.site_stamp == site_stamp(site_dir):
        return BuildReport(state.counts[1], state.counts[0], [_saved_problem(p) for p in state.problems], timings, unchanged=True)

    if serving:
        site_dir.mkdir(parents=True, exist_ok=True)
        target = site_dir
    else:
        target = staging_dir(site_dir)
        clone_tree(site_dir, target)
    try:
        with cycle_collector_paused():
            report = _build(settings, config, target, state, site_inputs, serving, timings)
        if not serving:
            swap_in(target, site_dir)
    except BaseException:
        if not serving:
            discard(target)
        raise
    state.inputs = digest_now
    state.problems = [[p.file, p.severity, p.message] for p in report.problems]
    state.counts = [report.inputs, report.articles]
    state.site_stamp = site_stamp(site_dir)
    state.save(state_path)
    report.timings["total"] = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class Plan:
    """Everything a build would publish, known before anything is written: `archive build` writes it,
    `archive check` only makes sure every byte of it can be made."""

    index: Index
    outputs: dict[str, Output]  # site-relative path → output (pages, files, copies, mkdocs' own, the sitemap)
    records: dict[str, Output]  # inside docs/articles/: the normalised records of the emitters that ran
    searchable: list[tuple[str, str]]  # (output path, identity) of every page search indexes
    skipped: list[str]  # emitters whose dependencies were unchanged
    shells: dict


def plan_site(settings, config, site_dir: Path, state: State, site_inputs, store: build_cache.BuildCache,
              timings: dict[str, float]) -> Plan:
    """Analyse, emit and fill the shells: the one path `build`, `check` and the preview run. `state` is the
    last build's (updated in place with this build's emitters); an empty State emits everything."""
    analysis = pipeline.analyse(settings, store)
    index, inputs, gazetteer = analysis.index, analysis.inputs, analysis.gazetteer
    timings.update(analysis.timings)

    started = time.perf_counter()
    parts = _parts(index, settings, config, site_inputs)
    context = emit.EmitContext(index=index, tiles=settings.tiles, country_of=gazetteer.country, store=store.table("html"),
                               original_paths={item.display: item.path for item in inputs}, workers=settings.workers,
                               site_url=config.site_url or "")
    emissions: dict[str, emit.Emission] = {}
    reused: dict[str, dict] = {}
    skipped = []
    for emitter in emit.emitters():
        key = emit.digest(emitter.name, *(parts[p] for p in emitter.depends_on))
        previous = state.emitters.get(emitter.name)
        if (previous and previous["digest"] == key and _still_there(site_dir, previous["outputs"], state.manifest)
                and _still_there(settings.docs_dir / RECORDS_DIR, previous.get("records", {}), state.records)):
            reused[emitter.name] = previous
            skipped.append(emitter.name)
            continue
        emissions[emitter.name] = emitter.emit(context)
        state.emitters[emitter.name] = {"digest": key}
    timings["emit"] = time.perf_counter() - started
    records = {path: output for e in emissions.values() for path, output in e.records.items()}
    # no symbolic link in the builder's folders of docs/ (checked before anything is written)
    check_tree(settings.docs_dir, {f"{RECORDS_DIR}/{path}": b"" for path in records})

    started = time.perf_counter()
    requests = _shell_requests(emissions, reused)
    shells = site_shells.render(config, site_inputs, requests, cache_dir=settings.cache_dir)
    timings["shells"] = time.perf_counter() - started

    outputs: dict[str, Output] = {}
    for path, (identity, source) in shells.files.items():
        outputs[path] = Output(path, identity, copy_from=source)
    for name, emission in emissions.items():
        produced: dict[str, str] = {}
        pages_meta = []
        for page in emission.pages:
            ref = ShellRef(page.src_uri if page.own_shell else site_shells.stub_uri(folder_of(page.src_uri)),
                           page.own_shell)
            shell = shells.shells.get(ref.src_uri)
            if shell is None:  # the hand-written home page has no summary slot: it stays as written
                continue
            target = output_path(page.src_uri)
            identity = emit.digest(shell.identity, page.title, hashlib.sha1(page.packed).hexdigest(), repr(page.og),
                                   config.site_url or "")
            outputs[target] = Output(target, identity, produce=_filler(shell, page, ref, config.site_url))
            produced[target] = identity
            pages_meta.append([page.src_uri, page.date, bool(page.search_type), page.own_shell])
        for path, data in emission.files.items():
            identity = hashlib.sha1(data).hexdigest()
            outputs[path] = Output(path, identity, produce=_constant(data))
            produced[path] = identity
        for path, source in emission.copies.items():
            identity = hashlib.sha1(source.read_bytes()).hexdigest()
            outputs[path] = Output(path, identity, copy_from=source)
            produced[path] = identity
        state.emitters[name].update(outputs=produced, pages=pages_meta,
                                    records={p: o.identity for p, o in emission.records.items()},
                                    files=sorted(emission.files))
    for name, previous in reused.items():
        for path, identity in previous["outputs"].items():
            outputs[path] = Output(path, identity)  # unchanged and in place (checked by _still_there)
    searchable: list[tuple[str, str]] = []
    page_urls: list[tuple[str, str | None]] = []
    all_pages = [meta for entry in state.emitters.values() for meta in entry.get("pages", [])]
    for src_uri, date, is_searchable, _ in all_pages:
        page_urls.append((page_url(src_uri), date))
        if is_searchable:
            searchable.append((output_path(src_uri), outputs[output_path(src_uri)].identity))
    sitemap = sitemap_xml(config.site_url, sorted(set(shells.page_urls) | {u for u, _ in page_urls}))
    outputs["sitemap.xml"] = Output("sitemap.xml", hashlib.sha1(sitemap).hexdigest(), produce=lambda: sitemap)
    gz = gzip.compress(sitemap, mtime=0)
    outputs["sitemap.xml.gz"] = Output("sitemap.xml.gz", hashlib.sha1(gz).hexdigest(), produce=lambda: gz)
    return Plan(index, outputs, records, searchable, skipped, shells.shells)


def _build(settings, config, site_dir: Path, state: State, site_inputs, serving: bool,
           timings: dict[str, float]) -> BuildReport:
    started = time.perf_counter()
    store = build_cache.BuildCache(settings.cache_dir)
    timings["cacheload"] = time.perf_counter() - started
    plan = plan_site(settings, config, site_dir, state, site_inputs, store, timings)
    index = plan.index

    started = time.perf_counter()
    if plan.records:
        records_dir = settings.docs_dir / RECORDS_DIR
        records_dir.mkdir(parents=True, exist_ok=True)
        sync(records_dir, plan.records, state.records)
    timings["records"] = time.perf_counter() - started
    started = time.perf_counter()
    store.save()
    timings["cachesave"] = time.perf_counter() - started

    started = time.perf_counter()
    target_dir = site_dir
    written = sync(target_dir, plan.outputs, state.manifest, keep=KEEP)
    timings["write"] = time.perf_counter() - started

    searchable = plan.searchable
    search_digest = emit.digest(*(f"{p}={i}" for p, i in sorted(searchable)), pagefind.EXCLUDE_SELECTORS.__repr__(),
                                pagefind.LAYOUT, str(pagefind.SHARD_PAGES))
    search_note = "search index unchanged"
    if not searchable:
        shutil.rmtree(target_dir / pagefind.OUTPUT_SUBDIR, ignore_errors=True)
        search_note, state.search = "search: no searchable page, no search index", ""
    elif search_digest != state.search or not (target_dir / pagefind.OUTPUT_SUBDIR).is_dir():
        started = time.perf_counter()
        if serving:
            search_note = "search index: refreshed in the background"
            state.search = ""  # the preview's search is rebuilt by the server
        else:
            # shard by shard: a shard whose pages are unchanged is reused from the cache (a CI deploy into a
            # fresh site/ reuses them all), only the others are indexed
            result = pagefind.index_shards(target_dir, searchable, _search_cache(settings))
            search_note = result.summary()
            if not result.deterministic:
                log.warning("search: Pagefind %s wrote its filter files in an unexpected layout; they were left as "
                            "written, so rebuilding the same site may not give identical bytes", pagefind.pagefind_version())
            state.search = search_digest
            timings["pagefind"] = time.perf_counter() - started
    return BuildReport(len(index.articles), index.inputs, index.problems, timings, written, plan.skipped, index=index,
                       search=search_note, shells=plan.shells)


@dataclass(frozen=True)
class CheckReport:
    index: Index
    outputs: dict[str, str]  # every file the build would write → the sha1 of its bytes ("docs/articles/…" for records)
    timings: dict[str, float]


def check_site(settings, config) -> CheckReport:
    """`archive check`: the build's own path (plan_site, from an empty state: every emitter runs, every page is
    rendered and filled into its shell), writing nothing but the caches; only the search index is not made.
    A pull request whose check passes cannot fail the deploy on the way there."""
    timings: dict[str, float] = {}
    store = build_cache.BuildCache(settings.cache_dir)
    with cycle_collector_paused():
        plan = plan_site(settings, config, Path(config.site_dir), State(), site_shells.SiteInputs.of(config, False),
                         store, timings)
        outputs = {path: hashlib.sha1(output_bytes(output)).hexdigest() for path, output in plan.outputs.items()}
        outputs.update({f"docs/{RECORDS_DIR}/{path}": hashlib.sha1(output_bytes(output)).hexdigest()
                        for path, output in plan.records.items()})
    store.save()
    return CheckReport(plan.index, outputs, timings)


def output_bytes(output: Output) -> bytes:
    if output.produce is not None:
        return output.produce()
    if output.copy_from is not None:
        return output.copy_from.read_bytes()
    raise ValueError(f"{output.path}: an output kept from the last build has no bytes here")


def _search_cache(settings) -> Path:
    return (settings.cache_dir or settings.project_root / ".cache") / "search"


def _parts(index: Index, settings, config, site_inputs) -> dict[str, str]:
    articles = emit.digest(build_cache.stage_digest("articles"),
                           *(f"{a.id}:{a.sha256}:{a.original}" for a in index.articles))
    registry = settings.registry.read_bytes() if settings.registry and settings.registry.is_file() else b"-"
    # the analysis is a pure function of the articles, the registry, these settings and the code
    analysis = emit.digest(articles, build_cache.code_digest(), registry,
                           repr((settings.min_articles, settings.model, os.environ.get("ARCHIVE_MODEL"))))
    return {
        "articles": emit.digest(articles, build_cache.code_digest()),
        "analysis": analysis,
        "settings": emit.digest(repr(settings.tiles), config.site_url or ""),
        "shells": site_inputs.digest,
    }


def _still_there(site_dir: Path, outputs: dict[str, str], manifest: Manifest) -> bool:
    """Every output of a skipped emitter is in the site as the last build wrote it."""
    for path, identity in outputs.items():
        known = manifest.files.get(path)
        if not known or known[0] != identity:
            return False
        try:
            st = os.lstat(site_dir / path)
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns] != list(known[1:]):
            return False
    return True


def _shell_requests(emissions: dict[str, emit.Emission], reused: dict[str, dict]) -> site_shells.ShellRequests:
    folders: set[str] = set()
    own: set[str] = set()
    files: set[str] = set()
    for emission in emissions.values():
        for page in emission.pages:
            (own.add(page.src_uri) if page.own_shell else folders.add(folder_of(page.src_uri)))
        files.update(emission.files)
    for previous in reused.values():
        for src_uri, _, _, own_shell in previous.get("pages", []):  # a reused emitter's pages keep their shells
            (own.add(src_uri) if own_shell else folders.add(folder_of(src_uri)))
        files.update(previous.get("files", ()))
    return site_shells.ShellRequests(tuple(sorted(folders)), tuple(sorted(own)), tuple(sorted(files)))


def _filler(shell: site_shells.Shell, page: HtmlPage, ref: ShellRef, site_url: str | None):
    name = page_name(page.src_uri)
    head = page.og_meta()
    if head and site_url:  # the permalink a citation or a link preview should use
        head += f'<meta property="og:url" content="{html.escape(site_url.rstrip("/") + "/" + page_url(page.src_uri))}">'
    return lambda: shell.fill(page.title, page.content, None if ref.own else name, head).encode("utf-8")


def sitemap_xml(site_url: str | None, urls: list[str]) -> bytes:
    """Every page of the site, hand-written and generated (the sitemaps.org format mkdocs writes)."""
    base = (site_url or "/").rstrip("/") + "/"
    rows = "".join(f"\n    <url>\n         <loc>{html.escape(base + url)}</loc>\n    </url>" for url in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}\n</urlset>").encode("utf-8")
