"""Full-text search for big archives: run Pagefind over the built site (after mkdocs wrote it).

Pagefind reads every HTML page of `site_dir` and writes a static, chunked index to
`<site_dir>/pagefind/`; the browser then fetches only the chunks a query needs, instead of the
whole lunr index (`search/search_index.json`, which grows with the archive and which Material
fetches as soon as a page loads). Only pages whose content is wrapped in `data-pagefind-body` are indexed: the
article, entity and location pages (the plugin wraps them, `ArchivePlugin._searchable`); their
`data-pagefind-filter` attributes (type there, year and source in the article template) give the
search box its filters.

The binary ships in the `pagefind_bin` wheel (a dependency: `pagefind[bin]`); the `pagefind`
package finds it (or $PAGEFIND_BINARY_PATH). Pagefind's own UI bundles are deleted after indexing:
the search box is the archive's own (builder/site/assets/pagefind-ui/), which needs only
`pagefind.js`, its worker, the wasm and the index.

Determinism: Pagefind 1.5.2 writes the index chunks, fragments and wasm identically on every run,
but the values inside each filter file, and the filters listed in `pagefind.<lang>_<hash>.pf_meta`,
come out in a random order (a Rust HashMap); the file names are hashes of the contents, so three
filter files, the meta file and `pagefind-entry.json` differ from run to run. `canonicalise()` sorts
them, recompresses with a fixed gzip header and renames them after their new contents, so the same
site gives a byte-identical `pagefind/` (verified on 100- and 2,000-article archives). It also cuts the word
index's chunks into smaller pieces (`_rechunk`: a query fetches one chunk per word in every shard). The files
are CBOR behind a `pagefind_dcd` signature; if a Pagefind upgrade changes that layout, the output is
left as Pagefind wrote it and `PagefindResult.deterministic` is False (the plugin warns).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..markup.escape import site_json
from .writer import clone_tree

OUTPUT_SUBDIR = "pagefind"
# Pagefind's prebuilt UIs, unused by the archive's search box (which talks to pagefind.js directly).
UNUSED_UI = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
TIMEOUT_S = 1800
# Left out of the index (Pagefind's --exclude-selectors): the "¶" that `toc: permalink` adds to every
# heading (else every title ends in ¶); the boilerplate of generated pages, which would otherwise make
# every entity page match "articles" or "month" and every article match "original" or "words": the
# provenance lines, the chart's axis, and the section headings of entity and location pages ("Mentions
# per month", "Articles", "Appears with", "Nearby"). Article bodies keep their own headings.
EXCLUDE_SELECTORS = (
    ".headerlink",
    ".archive-provenance",
    ".archive-provenance-note",
    ".archive-chart__axis",
    '.archive-page:not([data-pagefind-filter="type:article"]) > h2',
)

_COUNTS = {
    "pages": re.compile(r"Indexed (\d+) pages?"),
    "words": re.compile(r"Indexed (\d+) words?"),
    "filters": re.compile(r"Indexed (\d+) filters?"),
    "languages": re.compile(r"Indexed (\d+) languages?"),
}


class PagefindError(RuntimeError):
    """Pagefind is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class PagefindResult:
    output_dir: Path
    pages: int  # pages indexed (those with data-pagefind-body)
    words: int  # distinct words
    filters: int  # filter names (source, year, type)
    languages: int
    files: int  # files under output_dir
    bytes: int  # their total size
    seconds: float  # wall time of the pagefind run
    version: str
    deterministic: bool = True  # False: the filter files could not be put in a canonical order

    def summary(self) -> str:
        return (f"pagefind {self.version}: {self.pages} pages, {self.words} words, {self.filters} filters "
                f"→ {self.files} files, {self.bytes / 1e6:.1f} MB in {self.seconds:.2f}s")


def executable() -> Path:
    """The pagefind binary: $PAGEFIND_BINARY_PATH, else the one in the pagefind_bin wheel, else on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise PagefindError("the `pagefind` Python package is not installed; "
                            "install the project's dependencies (pip install -e .), which include pagefind[bin]") from exc
    path = get_executable()
    if path is None or not Path(path).is_file():
        raise PagefindError(f"the pagefind binary was not found ({path or 'no pagefind_bin wheel, nothing on PATH'}); "
                            "install pagefind[bin] (a dependency of this project) or set PAGEFIND_BINARY_PATH")
    return Path(path)


def index_site(site_dir: Path, *, prune_ui: bool = True, output_subdir: str = OUTPUT_SUBDIR) -> PagefindResult:
    """Index the built site in `site_dir`; the search bundle is written to `site_dir/<output_subdir>/`, one bundle
    for the whole site (the preview's background refresh; `archive build` indexes in shards, `index_shards`)."""
    site_dir = Path(site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        raise PagefindError(f"{site_dir} holds no built site (no index.html); build it before indexing")
    result = _run(site_dir, site_dir / output_subdir, prune_ui=prune_ui)
    _write_manifest(result.output_dir, [])
    return result


def _run(source: Path, output: Path, *, prune_ui: bool = True, glob: str | None = None) -> PagefindResult:
    """Pagefind over the pages under `source` (all, or those `glob` names), its bundle written to `output`,
    canonicalised."""
    binary = executable()
    if output.exists():  # a stale bundle (mkdocs --dirty) must not leave old chunks behind
        shutil.rmtree(output)
    command = [str(binary), "--site", str(source), "--output-path", str(output),
               "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS)]
    if glob is not None:
        command += ["--glob", glob]
    site_dir = source
    started = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=site_dir)
    except OSError as exc:
        raise PagefindError(f"could not run {binary}: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise PagefindError(f"pagefind did not finish within {TIMEOUT_S}s on {site_dir}") from exc
    log = proc.stdout + proc.stderr
    if proc.returncode != 0 or not (output / "pagefind.js").is_file():
        raise PagefindError(f"pagefind failed (exit {proc.returncode}) on {site_dir}:\n{log.strip()[-4000:]}")
    counts = {name: int(m.group(1)) if (m := pattern.search(log)) else 0 for name, pattern in _COUNTS.items()}
    if counts["pages"] == 0:
        raise PagefindError(f"pagefind indexed no pages in {site_dir}: no page carries data-pagefind-body?\n{log.strip()[-2000:]}")
    if prune_ui:
        for name in UNUSED_UI:
            (output / name).unlink(missing_ok=True)
    try:
        canonicalise(output)
        deterministic = True
    except _Unexpected:
        deterministic = False
    seconds = time.perf_counter() - started
    files = sorted(p for p in output.rglob("*") if p.is_file())
    version = m.group(1) if (m := re.search(r"Running Pagefind v(\S+)", log)) else "?"
    return PagefindResult(output_dir=output, files=len(files), bytes=sum(p.stat().st_size for p in files),
                          seconds=seconds, version=version, deterministic=deterministic, **counts)


# --- shards -------------------------------------------------------------------------------------------
#
# One Pagefind run over the whole site re-reads every searchable page when one changes, and its memory grows
# with the site (it runs out around 30,000 pages). So the searchable pages are split into shards, each indexed
# on its own (Pagefind over the site with a glob naming the shard's pages) into its own bundle, kept in the
# cache under the digest of its pages' identities: a build re-indexes only the shards whose pages changed.
# The site's `pagefind/` holds one folder per shard and `shards.json` naming them; the browser imports the
# first shard's pagefind.js and merges the others into it with Pagefind's mergeIndex (their entry and meta
# files, then only the index chunks a query needs); results are ranked together by score, filter counts are
# summed.
#
# A page's shard: a bucket of a stable hash of its path (so of its id) among a power of two of buckets, the
# fewest that keep a bucket to SHARD_FILL of SHARD_PAGES on average. By the id, not the date: a new or edited
# article changes one shard wherever its date falls, and the shards stay even. Powers of two: pages move to
# other shards only when the site doubles. Article, entity, place and incident pages are mixed, not in shards
# of their own: Pagefind scores by BM25 within each shard (a word's rarity, the average page length), so a
# shard of one family would skew the ranking between families (on fakes-dev, with article, entity, place and
# incident pages in shards of their own, "missile" listed no article in its first 10 results, against 6 with
# one bundle); a shard drawn at random from the whole site has about the whole site's statistics. A changed article re-indexes its own shard and the shards of the
# subject pages it changes, which it would do in family shards too.

# The most pages a shard should hold. Not fewer: adding one article changes tens to hundreds of searchable pages
# (its neighbours' and related articles' pages, the subjects and incidents it names: 26 on fakes-dev, 935 in a
# 3,000-article synthetic archive), spread over every shard, so smaller shards did not shorten that build; they
# only cost first-search bytes (a meta file and an index chunk per word in each shard). At 14,515 searchable
# pages: 32 shards of about 450 pages, first search 392 KB; 8 shards of about 1,800, 273 KB; one bundle, 249 KB.
# Each Pagefind run then holds at most about 4,000 pages: its peak 219 MB there, against 1,664 MB for one bundle.
SHARD_PAGES = 4000
SHARD_FILL = 0.8  # more buckets once the average bucket would pass this share of SHARD_PAGES
MANIFEST = "shards.json"  # in pagefind/: {"shards": [folder, …]}; empty: pagefind/ itself is the one bundle
LAYOUT = "shards/3"  # part of every shard's digest: a change of layout re-indexes everything
MAX_GLOB = 100_000  # bytes: a longer glob indexes a linked copy of the pages (Pagefind could not parse a glob of
# 183 KB, it could one of 122 KB; Linux refuses a longer single argument than 131,072 bytes)
_PLAIN = re.compile(r"[\w./-]+")  # needs no escaping in Pagefind's glob (wax)


def shard_count(pages: int, max_pages: int | None = None) -> int:
    """How many buckets `pages` searchable pages are split into: 1 up to max_pages, else the smallest power of
    two whose average bucket holds at most SHARD_FILL × max_pages (hash buckets are not exactly even)."""
    max_pages = max_pages or SHARD_PAGES
    if pages <= max_pages:
        return 1
    count = 2
    while pages > count * max_pages * SHARD_FILL:
        count *= 2
    return count


def _bucket(path: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % count


def plan_shards(searchable: list[tuple[str, str]], max_pages: int | None = None) -> dict[str, list[tuple[str, str]]]:
    """(output path, identity) of every searchable page → shard name → its pages, sorted. A name says the
    number of buckets and the bucket: `shard-16-3`."""
    count = shard_count(len(searchable), max_pages)
    shards: dict[str, list[tuple[str, str]]] = {}
    for path, identity in searchable:
        shards.setdefault(f"shard-{count}-{_bucket(path, count)}", []).append((path, identity))
    return {name: sorted(pages) for name, pages in sorted(shards.items())}


def shard_digest(name: str, pages: list[tuple[str, str]]) -> str:
    """What a shard's bundle is a function of: its pages' identities, the indexing options, Pagefind's version."""
    h = hashlib.sha256()
    for part in (LAYOUT, pagefind_version(), repr(EXCLUDE_SELECTORS), name, *(f"{p}={i}" for p, i in pages)):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:32]


def pagefind_version() -> str:
    try:
        from importlib.metadata import version
        return version("pagefind_bin")
    except Exception:  # noqa: BLE001 - only part of a cache key
        return "?"


@dataclass(frozen=True)
class ShardsResult:
    output_dir: Path
    shards: int
    indexed: tuple[str, ...]  # the shards Pagefind ran on
    reused: int  # shards whose kept bundle was reused
    pages: int  # pages Pagefind indexed in this build (those of the indexed shards)
    seconds: float
    deterministic: bool = True

    def summary(self) -> str:
        if not self.indexed:
            return "search index: the same pages were indexed before, reused"
        return (f"search: pagefind {pagefind_version()}: {len(self.indexed)} of {self.shards} shards indexed "
                f"({self.pages} pages), {self.reused} reused, in {self.seconds:.2f}s")


def index_shards(site_dir: Path, searchable: list[tuple[str, str]], cache_dir: Path, *,
                 max_pages: int | None = None, output_subdir: str = OUTPUT_SUBDIR) -> ShardsResult:
    """Index the site's searchable pages shard by shard into `site_dir/<output_subdir>/<shard>/`, reusing from
    `cache_dir` every shard whose pages are unchanged. Each new deterministic bundle is kept in `cache_dir`
    under its digest (only the current shards are kept). In the site, an unchanged shard's folder is left in
    place; what is replaced or dropped is deleted in the background."""
    started = time.perf_counter()
    site_dir = Path(site_dir).resolve()
    shards = plan_shards(searchable, max_pages)
    if not shards:
        raise PagefindError(f"no searchable page in {site_dir}")
    if cache_dir.is_symlink():  # never written through a link: index into a scratch folder, keep nothing
        scratch = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir.parent))
        try:
            return index_shards(site_dir, searchable, scratch / "search", max_pages=max_pages,
                                output_subdir=output_subdir)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    trash = _Trash(cache_dir)
    digests = {name: shard_digest(name, pages) for name, pages in shards.items()}
    indexed: list[str] = []
    pages = 0
    deterministic = True
    bundles: dict[str, Path] = {}
    for name, members in shards.items():
        kept = cache_dir / digests[name]
        if (kept / "pagefind-entry.json").is_file():
            bundles[name] = kept
            continue
        result = _index_pages(site_dir, [path for path, _ in members], cache_dir / f".new-{digests[name]}")
        indexed.append(name)
        pages += result.pages
        if result.deterministic:
            trash.add(kept)
            result.output_dir.rename(kept)
            bundles[name] = kept
        else:  # used, not kept: reusing it would not give the bytes a fresh run would
            deterministic = False
            bundles[name] = result.output_dir
    output = site_dir / output_subdir
    _assemble(bundles, output, trash)
    keep = set(digests.values())
    for entry in cache_dir.iterdir():  # the shards of older builds, unkept bundles, leftovers
        if entry.name not in keep:
            trash.add(entry)
    trash.empty()
    return ShardsResult(output_dir=output, shards=len(shards), indexed=tuple(indexed),
                        reused=len(shards) - len(indexed), pages=pages,
                        seconds=time.perf_counter() - started, deterministic=deterministic)


def _glob(paths: list[str]) -> str:
    """Pagefind's glob naming exactly these pages: `articles/{a,b}/index.html,…` where the pages of a folder
    share a shape; metacharacters escaped."""
    def escape(text: str) -> str:
        return "".join(c if _PLAIN.fullmatch(c) else "\\" + c for c in text)
    groups: dict[tuple[str, str], list[str]] = {}
    for path in paths:
        parts = path.split("/")
        head, middle, tail = (parts[0], "/".join(parts[1:-1]), parts[-1]) if len(parts) > 2 else ("", path, "")
        groups.setdefault((head, tail), []).append(middle)
    alternatives = []
    for (head, tail), middles in sorted(groups.items()):
        inner = ",".join(escape(m) for m in sorted(middles))
        inner = inner if len(middles) == 1 else "{" + inner + "}"
        alternatives.append("/".join(x for x in (escape(head), inner, escape(tail)) if x))
    return alternatives[0] if len(alternatives) == 1 else "{" + ",".join(alternatives) + "}"


def _index_pages(site_dir: Path, paths: list[str], output: Path) -> PagefindResult:
    """Pagefind over these pages of the site only (their URLs as in the site), into `output`."""
    glob = _glob(paths)
    if len(glob.encode("utf-8")) <= MAX_GLOB:
        return _run(site_dir, output, glob=glob)
    staging = output.with_name(output.name + ".pages")  # a copy of just these pages, linked
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for path in paths:
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / path, staging / path)
            except OSError:
                shutil.copyfile(site_dir / path, staging / path)
        return _run(staging, output)
    finally:
        trash = _Trash(output.parent)
        trash.add(staging)
        trash.empty()


def _assemble(bundles: dict[str, Path], output: Path, trash: "_Trash") -> None:
    """`output` gets one folder per shard, linked to its kept bundle (a folder already holding that bundle is left
    alone: the same pagefind-entry.json names the same meta file, whose name is the hash of every file it
    lists), and the manifest; anything else in it goes."""
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        output.unlink()
    output.mkdir(parents=True, exist_ok=True)
    for name, bundle in sorted(bundles.items()):
        folder = output / name
        wanted = (bundle / "pagefind-entry.json").read_bytes()
        try:
            if not folder.is_symlink() and (folder / "pagefind-entry.json").read_bytes() == wanted:
                continue
        except OSError:
            pass
        trash.add(folder)
        clone_tree(bundle, folder)
    for entry in output.iterdir():
        if entry.name not in bundles and entry.name != MANIFEST:
            trash.add(entry)
    _write_manifest(output, sorted(bundles))


def _write_manifest(bundle: Path, shards: list[str]) -> None:
    """`shards.json`: the folders of `bundle` that hold the shards' bundles; none: `bundle` is the one bundle."""
    fresh = bundle / (MANIFEST + ".next")
    fresh.write_text(site_json({"shards": shards}, separators=(",", ":")), encoding="utf-8")
    fresh.replace(bundle / MANIFEST)


class _Trash:
    """What a build replaces is moved aside at once and deleted by a background process (thousands of small
    files take seconds to unlink), or by the next build if that process dies."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / f".trash-{os.getpid()}-{time.monotonic_ns()}"
        self.used = False

    def add(self, path: Path) -> None:
        if not (path.exists() or path.is_symlink()) or path == self.folder:
            return
        if path.is_symlink() or not path.is_dir():
            path.unlink()
            return
        self.folder.mkdir(exist_ok=True)
        self.used = True
        try:
            path.rename(self.folder / f"{len(list(self.folder.iterdir()))}")
        except OSError:  # another file system
            shutil.rmtree(path, ignore_errors=True)

    def empty(self) -> None:
        if not self.used:
            return
        try:
            subprocess.Popen(["rm", "-rf", "--", str(self.folder)], start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)


# --- canonical output -------------------------------------------------------------------------------

SIGNATURE = b"pagefind_dcd"


class _Unexpected(Exception):
    """The bundle is not laid out as this code expects (another Pagefind version)."""


def canonicalise(output: Path) -> None:
    """Sort the filter files and the meta file's filter list, and rename them after their contents.

    Everything is read and checked before anything changes: on any surprise this raises _Unexpected
    and leaves the bundle as Pagefind wrote it.
    """
    try:
        entry, writes, removes = _plan(output)
    except (KeyError, TypeError, ValueError, OSError) as exc:
        raise _Unexpected(str(exc)) from exc
    for path in removes:
        path.unlink()
    for path, payload in writes:
        path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))
    (output / "pagefind-entry.json").write_text(site_json(entry, separators=(",", ":")),
                                                encoding="utf-8")


def _plan(output: Path) -> tuple[dict, list[tuple[Path, bytes]], list[Path]]:
    """→ the new pagefind-entry.json, the files to write (path, CBOR payload) and the files they replace."""
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    writes: list[tuple[Path, bytes]] = []
    removes: list[Path] = []
    for lang, info in sorted(entry["languages"].items()):
        meta_path = output / f"pagefind.{info['hash']}.pf_meta"
        meta = _load(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise _Unexpected(f"{meta_path.name}: no filter list")
        renamed: dict[str, str] = {}
        for item in meta[3]:
            if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
                raise _Unexpected(f"{meta_path.name}: filter entry {item!r}")
            chunk = item[1]
            chunk_path = output / "filter" / f"{chunk}.pf_filter"
            content = _load(chunk_path)
            if not (isinstance(content, list) and len(content) == 2 and isinstance(content[1], list)
                    and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], list)
                            for v in content[1])):
                raise _Unexpected(f"{chunk_path.name}: unexpected layout")
            content[1] = sorted(([value, sorted(pages)] for value, pages in content[1]), key=lambda v: v[0])
            payload = _encode(content)
            renamed[chunk] = f"{chunk.split('_', 1)[0]}_{hashlib.sha256(payload).hexdigest()[:7]}"
            writes.append((output / "filter" / f"{renamed[chunk]}.pf_filter", payload))
            removes.append(chunk_path)
        meta[3] = sorted(([name, renamed[chunk]] for name, chunk in meta[3]), key=lambda f: f[0])
        meta[2] = _rechunk(output, meta[2], writes, removes)
        if len(meta) > 4 and isinstance(meta[4], list):  # sorts (data-pagefind-sort), if any: by name
            meta[4] = sorted(meta[4], key=lambda s: str(s[0]) if isinstance(s, list) and s else "")
        payload = _encode(meta)
        info["hash"] = f"{lang}_{hashlib.sha256(payload).hexdigest()[:10]}"
        writes.append((output / f"pagefind.{info['hash']}.pf_meta", payload))
        removes.append(meta_path)
    return entry, writes, removes


# Pagefind cuts its word index into chunks of about 50 KB (20–25 KB gzipped) and a query fetches, in every shard,
# the chunk holding each of its words: with many shards that is most of a first search's bytes. So each chunk
# is cut again into pieces of about CHUNK_BYTES, bounded as Pagefind bounds its own chunks (the meta file lists
# each chunk's first and last word, cut one character past what they share with the neighbouring chunk's
# word; a query loads the chunks whose bounds hold its words).
CHUNK_BYTES = 10_000  # an index chunk's CBOR before gzip (about 4–5 KB gzipped)


def _rechunk(output: Path, chunks, writes: list[tuple[Path, bytes]], removes: list[Path]) -> list[list[str]]:
    """The meta file's chunk list [[from, to, name], …] with every chunk past CHUNK_BYTES cut into pieces. A piece
    is the chunk's own bytes for its words, under a new array head: nothing is re-encoded."""
    if not (isinstance(chunks, list) and all(isinstance(c, list) and len(c) == 3 and all(isinstance(x, str) for x in c)
                                             for c in chunks)):
        raise _Unexpected("the meta file's index chunk list")
    result: list[list[str]] = []
    for first, last, name in chunks:
        path = output / "index" / f"{name}.pf_index"
        payload = _payload(path)
        if len(payload) <= CHUNK_BYTES:
            result.append([first, last, name])
            continue
        entries = _entries(payload, path)
        pieces: list[list[tuple[str, int, int]]] = [[]]
        size = 0
        for entry in entries:
            n = entry[2] - entry[1]
            if pieces[-1] and size + n > CHUNK_BYTES:
                pieces.append([])
                size = 0
            pieces[-1].append(entry)
            size += n
        if len(pieces) == 1:
            result.append([first, last, name])
            continue
        removes.append(path)
        for i, piece in enumerate(pieces):
            low = first if i == 0 else _bounds(pieces[i - 1][-1][0], piece[0][0])[1]
            high = last if i == len(pieces) - 1 else _bounds(piece[-1][0], pieces[i + 1][0][0])[0]
            body = payload[piece[0][1]:piece[-1][2]]
            cut = _head(4, 1) + _head(4, len(piece)) + body
            piece_name = f"{name.split('_', 1)[0]}_{hashlib.sha256(cut).hexdigest()[:7]}"
            writes.append((output / "index" / f"{piece_name}.pf_index", cut))
            result.append([low, high, piece_name])
    return result


def _payload(path: Path) -> bytes:
    if not path.is_file():
        raise _Unexpected(f"{path.name} is missing")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise _Unexpected(f"{path.name}: no {SIGNATURE.decode()} signature")
    return data[len(SIGNATURE):]


def _entries(payload: bytes, path: Path) -> list[tuple[str, int, int]]:
    """An index chunk, [[[word, pages, meta pages], …]]: each word with the span of its entry's bytes. The entries
    are walked, not built (integers, arrays and strings of definite length only), and the words must come in order
    and fill the chunk exactly."""
    def head(i: int) -> tuple[int, int, int]:
        first = payload[i]
        major, info, i = first >> 5, first & 31, i + 1
        if info < 24:
            return major, info, i
        if info > 27:
            raise _Unexpected(f"{path.name}: unsupported CBOR head {first:#x}")
        size = 1 << (info - 24)
        return major, int.from_bytes(payload[i:i + size], "big"), i + size

    try:
        major, n, i = head(0)
        if (major, n) != (4, 1):
            raise _Unexpected(f"{path.name}: unexpected layout")
        major, count, i = head(i)
        if major != 4:
            raise _Unexpected(f"{path.name}: unexpected layout")
        entries = []
        for _ in range(count):
            start = i
            major, n, i = head(i)
            if major != 4 or n < 1:
                raise _Unexpected(f"{path.name}: unexpected entry")
            major, length, i = head(i)
            if major != 3:
                raise _Unexpected(f"{path.name}: an entry without its word")
            word = payload[i:i + length].decode("utf-8")
            i += length
            todo = n - 1  # the items left to skip in this entry, nested ones included
            while todo:
                major, n, i = head(i)
                todo -= 1
                if major == 4:
                    todo += n
                elif major in (2, 3):
                    i += n
                elif major not in (0, 1):
                    raise _Unexpected(f"{path.name}: unexpected item in an entry")
            entries.append((word, start, i))
    except (IndexError, UnicodeDecodeError) as exc:
        raise _Unexpected(f"{path.name}: truncated") from exc
    if i != len(payload) or [e[0] for e in entries] != sorted(e[0] for e in entries) or not entries:
        raise _Unexpected(f"{path.name}: unexpected layout")
    return entries


def _bounds(before: str, after: str) -> tuple[str, str]:
    """The last bound of a chunk ending with `before` and the first of the next, starting with `after`: each word
    cut one character past their common prefix (Pagefind's own rule)."""
    n = 0
    while n < min(len(before), len(after)) and before[n] == after[n]:
        n += 1
    return before[:n + 1], after[:n + 1]


def _load(path: Path):
    if not path.is_file():
        raise _Unexpected(f"{path.name} is missing")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)  # BadGzipFile is an OSError: _plan() turns it into _Unexpected
    if not data.startswith(SIGNATURE):
        raise _Unexpected(f"{path.name}: no {SIGNATURE.decode()} signature")
    payload = data[len(SIGNATURE):]
    value, end = _decode(payload, 0)
    if end != len(payload) or _encode(value) != payload:  # only rewrite what this codec reproduces exactly
        raise _Unexpected(f"{path.name}: not plain CBOR")
    return value


# A minimal CBOR codec (RFC 8949) for what Pagefind writes: unsigned and negative integers, byte and
# text strings, arrays and maps of definite length, false/true/null.

def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise _Unexpected(f"integer too large: {n}")


def _encode(value) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise _Unexpected(f"cannot encode {type(value).__name__}")


def _decode(data: bytes, i: int):
    try:
        first = data[i]
    except IndexError:
        raise _Unexpected("truncated CBOR") from None
    major, info, i = first >> 5, first & 31, i + 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise _Unexpected(f"unsupported CBOR head {first:#x}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        chunk, i = data[i:i + n], i + n
        return (chunk.decode("utf-8") if major == 3 else bytes(chunk)), i
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(n):
            key, i = _decode(data, i)
            mapping[key], i = _decode(data, i)
        return mapping, i
    if major == 7 and n in (20, 21, 22):
        return (False, True, None)[n - 20], i
    raise _Unexpected(f"unsupported CBOR item {first:#x}")
