"""The perf lane: complexity checks, not stopwatches.

A wall-clock bound ("under 5 s") fails on a loaded machine and passes on a fast one, so none is kept in the
unit lane. Here each check times one input kind at three sizes (best of RUNS runs, the garbage collector
paused), fits log(time) against log(size) by least squares and asserts the slope is at most MAX_SLOPE:
linear work gives ~1.0, n log n over 10× steps ~1.1, quadratic 2. A time under FLOOR counts as FLOOR, so
timings too small to measure cannot make a noisy slope.

Sizes are multiplied by $ARCHIVE_PERF_SCALE (default 1, what CI runs): `ARCHIVE_PERF_SCALE=10 make test-perf`
for a larger run on a quiet machine.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from builder.extract import Extractor
from builder.extract.gazetteer import Gazetteer, load_common_words
from builder.extract.model import MAX_CHARS
from builder.extract.registry import Registry
from builder.models import Article
from builder.render.snippets import body_html
from conftest import read, write
from test_hardening import HOSTILE_TEXT, ingest_and_extract

pytestmark = pytest.mark.perf


@pytest.fixture(scope="module", autouse=True)
def frozen_heap() -> Iterator[None]:
    """The suite's earlier tests leave a heap of gigabytes (sites, indexes): each run's gc.collect() would scan it
    all (in a full `make test` this lane took 20 minutes, alone one). Frozen, a collection scans only this lane's."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()

SCALE = float(os.environ.get("ARCHIVE_PERF_SCALE") or 1)
RUNS = 3
MAX_SLOPE = 1.3
FLOOR = 0.001  # seconds
HANG = 60 * SCALE  # one run at a smaller size taking longer than this is a hang
# At the largest size a run is stopped once it has taken PATIENCE seconds and so long that the slope is already
# above MAX_SLOPE: a quadratic case fails in seconds instead of minutes, and no verdict changes.
PATIENCE = 10 * SCALE


def scaled(*sizes: int, up_to: int | None = None) -> tuple[int, ...]:
    """`sizes` times SCALE, scaled less when the largest would pass `up_to`."""
    factor = min(SCALE, up_to / max(sizes)) if up_to else SCALE
    return tuple(max(1, round(size * factor)) for size in sizes)


# A hundredfold range: a quadratic step shows as slope 2 well within it, and the lane stays a few minutes in CI.
TEXT_SIZES = scaled(5_000, 50_000, 500_000)
# The model is ~10× slower per character and reads an article's first MAX_CHARS (100,000) characters only.
MODEL_SIZES = scaled(2_000, 10_000, 50_000, up_to=MAX_CHARS)
MARKDOWN_SIZES = scaled(5_000, 50_000, 500_000)
FURNITURE_SIZES = scaled(5_000, 50_000, 500_000)


# ─── measuring ──────────────────────────────────────────────────────────────────────────────────────────


class TooSlow(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the block after `seconds` (SIGALRM: main thread only)."""
    def on_alarm(signum, frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fitted_slope(sizes: Sequence[float], times: Sequence[float]) -> float:
    """Least-squares slope of log(max(time, FLOOR)) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, FLOOR)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def time_for_slope(slope: float, sizes: Sequence[float], times: Sequence[float]) -> float:
    """The time at sizes[-1] that, with `times` at the sizes before it, fits exactly `slope` (the fitted slope
    grows with the last time, so any longer time fits a steeper one)."""
    xs = [math.log(s) for s in sizes]
    mx = sum(xs) / len(xs)
    known = sum((x - mx) * math.log(max(t, FLOOR)) for x, t in zip(xs, times))
    return math.exp((slope * sum((x - mx) ** 2 for x in xs) - known) / (xs[-1] - mx))


def best_time(timed: Callable[[object], float], given: object, limit: float,
              enough: Callable[[float], bool] = lambda seconds: False) -> tuple[float, bool]:
    """(the best of up to RUNS runs of `timed(given)`, which returns its seconds, and whether every run was
    stopped at `limit`). Stops early once `enough(best)`."""
    best, stopped = math.inf, True
    for _ in range(RUNS):
        gc.collect()
        gc.disable()
        try:
            with deadline(limit):
                seconds = timed(given)
            stopped = False
        except TooSlow:
            seconds = limit
        finally:
            gc.enable()
        best = min(best, seconds)
        if not stopped and enough(best):
            break
    return best, stopped


def assert_grows_linearly(what: str, timed: Callable[[object], float], inputs: Sequence[tuple[int, object]]) -> None:
    """`inputs`: (size, input) by increasing size. Fails when the fitted slope of time over size exceeds
    MAX_SLOPE; the message gives the slope, the sizes and the times.

    Every smaller size is timed RUNS times (a slow run there would flatten the slope). At the largest size a
    further run could only lower the best time, and so the slope: runs stop once the slope is within
    MAX_SLOPE, and a run is stopped once it is longer than PATIENCE and than the time that fits MAX_SLOPE."""
    sizes, times = [size for size, _ in inputs], []
    for k, (size, given) in enumerate(inputs):
        if k < len(inputs) - 1:
            seconds, stopped = best_time(timed, given, HANG)
            assert not stopped, f"{what}: more than {HANG:.0f} s at {size:,} characters (a hang); times so far {times}"
        else:
            limit = max(PATIENCE, time_for_slope(MAX_SLOPE, sizes, times))
            seconds, stopped = best_time(timed, given, limit, lambda t: fitted_slope(sizes, [*times, t]) <= MAX_SLOPE)
        times.append(seconds)
    slope = fitted_slope(sizes, times)
    shown = ", ".join(f"{size:,}: {t:.3f} s" for size, t in zip(sizes, times))
    print(f"{what}: slope {slope:.2f} ({shown})")
    assert not stopped and slope <= MAX_SLOPE, (
        f"{what}: time grows as size^{slope:.2f}{' or steeper (stopped)' if stopped else ''}, "
        f"more than size^{MAX_SLOPE} (best of {RUNS}: {shown})")


def test_fitted_slope_tells_linear_from_quadratic():
    sizes = [10_000, 100_000, 1_000_000]
    assert fitted_slope(sizes, [0.01, 0.1, 1.0]) == pytest.approx(1.0)
    assert fitted_slope(sizes, [0.001, 0.1, 10.0]) == pytest.approx(2.0)
    assert fitted_slope(sizes, [0.00001, 0.0001, 0.001]) == pytest.approx(0.0)  # under FLOOR: flat, not noise
    limit = time_for_slope(MAX_SLOPE, sizes, [0.01, 0.1])
    assert fitted_slope(sizes, [0.01, 0.1, limit]) == pytest.approx(MAX_SLOPE)


# ─── ingest and extraction ──────────────────────────────────────────────────────────────────────────────

MORE_HOSTILE_TEXT = {
    **{f"run of {c}": (lambda c: lambda n: f"Assad said {c * n} in Aleppo.")(c) for c in "([{\"‹"},
    "long URL without spaces": lambda n: "See https://example.org/" + "Syria/Aleppo-2016_x?id=Homs&" * (n // 28) + " there.",
    "a name per sentence": lambda n: "".join(f"General Xa{i} spoke. " for i in range(n // 20)),
    "one sentence of and": lambda n: "Iran" + " and Iran" * (n // 9) + ".",
}
TEXT = {**HOSTILE_TEXT, **MORE_HOSTILE_TEXT}


def _extractor(gazetteer, model=None) -> Extractor:
    tiers = load_common_words()
    return Extractor(Registry(), gazetteer, tiers["A"] | tiers["B"], model)


@pytest.fixture(scope="module")
def extractor(gazetteer):
    """As tests/test_hardening.py's: registry, gazetteer and rules, no spaCy model."""
    return _extractor(gazetteer)


@pytest.fixture(scope="module")
def model_extractor(gazetteer):
    """With the spaCy model the build would use (its tokenizer is where runs of '[' were quadratic)."""
    from builder.extract import model

    name, warning = model.resolve_name(None)
    if name is None:
        pytest.skip(warning or "no spaCy model (ARCHIVE_MODEL=none)")
    return _extractor(gazetteer, model.load(name))


def _texts(make, sizes) -> list[tuple[int, str]]:
    return [(len(text), text) for text in ("Title\n\n" + make(n) for n in sizes)]


@pytest.mark.parametrize("name", TEXT)
def test_ingest_and_extract_time_grows_linearly(extractor, name):
    assert_grows_linearly(name, lambda text: ingest_and_extract(extractor, text), _texts(TEXT[name], TEXT_SIZES))


@pytest.mark.parametrize("name", TEXT)
def test_ingest_and_extract_with_the_model_time_grows_linearly(model_extractor, name):
    assert_grows_linearly(f"{name} (model)", lambda text: ingest_and_extract(model_extractor, text),
                          _texts(TEXT[name], MODEL_SIZES))


# ─── Markdown bodies ────────────────────────────────────────────────────────────────────────────────────


def _nested(line: Callable[[int], str], width: int) -> Callable[[int], str]:
    """Lines indented one level deeper each, about n characters in all (`width` characters a level)."""
    return lambda n: "\n".join(line(i) for i in range(max(2, math.isqrt(2 * n // width))))


# tests/test_hardening.py's HOSTILE_MARKDOWN, made to measure
MARKDOWN = {
    "list deep (4 spaces)": _nested(lambda i: "    " * i + "- x", 4),
    "list deep (2 spaces)": _nested(lambda i: "  " * i + "- x", 2),
    "list deep (tabs)": _nested(lambda i: "\t" * i + "* x", 1),
    "quotes deep": lambda n: ">" * n + " x",
    "quote lines": _nested(lambda i: "> " * i + "x", 2),
    "brackets": lambda n: "[" * n,
    "link openings": lambda n: "[x](" * (n // 4),
    "image openings": lambda n: "![x" * (n // 3),
}


def render_markdown(body: str) -> float:
    started = time.perf_counter()
    html = body_html(Article(id="x", title="t", body=body, original="x", sha256="0", kind="markdown",
                             body_is_markdown=True), [], lambda m: None)
    seconds = time.perf_counter() - started
    assert "article-body" in html
    return seconds


@pytest.mark.parametrize("name", MARKDOWN)
def test_hostile_markdown_render_time_grows_linearly(name):
    bodies = [MARKDOWN[name](n) for n in MARKDOWN_SIZES]
    assert_grows_linearly(name, render_markdown, [(len(body), body) for body in bodies])


# ─── page furniture (was tests/test_furniture.py: under 10 s for a megabyte) ─────────────────────────────

FURNITURE = ["Tags Syria ", "... 12 Tags ", "pic.twitter.comAbCdEf12 ", "\u2014 " + "a" * 58 + " (@h) ",
             "Related News ", "Source A"]


def read_timed(path: Path) -> float:
    started = time.perf_counter()
    article, problems = read(path)
    seconds = time.perf_counter() - started
    assert article is not None, problems
    return seconds


@pytest.mark.parametrize("unit", FURNITURE)
def test_furniture_rules_time_grows_linearly(tmp_path, unit):
    inputs = []
    for n in FURNITURE_SIZES:
        text = "Title line\n\n" + unit * (n // len(unit))
        inputs.append((len(text), write(tmp_path, f"{n}.txt", text)))
    assert_grows_linearly(f"furniture {unit[:24]!r}", read_timed, inputs)


# ─── the gazetteer cache (was tests/test_gazetteer.py) ──────────────────────────────────────────────────


def test_the_gazetteer_cache_loads_faster_than_a_build(gazetteer, gazetteer_cache_dir):
    assert not gazetteer.from_cache  # the session's cold build
    warm = [Gazetteer.load(gazetteer_cache_dir) for _ in range(RUNS)]
    assert all(w.from_cache for w in warm)
    assert min(w.load_seconds for w in warm) < gazetteer.load_seconds, ([w.load_seconds for w in warm], gazetteer.load_seconds)
