"""Static assets shipped inside the site: the map script and style, and Leaflet itself (vendored).

Everything under builder/site/assets/ is published under `assets/archive/` in the built site, so
`files()` keys are site-relative paths. STYLESHEETS and JAVASCRIPT list, in load order, what a page
with a map needs (Leaflet before archive-map.js); they are site-relative as mkdocs' extra_css /
extra_javascript expect.

Leaflet 1.9.4 (BSD-2-Clause) comes unmodified from the npm registry (`npm pack leaflet@1.9.4`:
dist/leaflet.js, dist/leaflet.css, dist/images/*, LICENSE): no CDN is contacted at run time.
"""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
PREFIX = "assets/archive"

STYLESHEETS = [f"{PREFIX}/vendor/leaflet/leaflet.css", f"{PREFIX}/archive-map.css"]
JAVASCRIPT = [f"{PREFIX}/vendor/leaflet/leaflet.js", f"{PREFIX}/archive-map.js", f"{PREFIX}/archive-events.js"]


def paths() -> dict[str, Path]:
    """Every asset file, keyed by its site-relative path (`assets/archive/...`), in a stable order."""
    return {
        f"{PREFIX}/{path.relative_to(ASSETS_DIR).as_posix()}": path
        for path in sorted(ASSETS_DIR.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and "__pycache__" not in path.parts
    }


def files() -> dict[str, bytes]:
    """Every asset's bytes, keyed like `paths()`."""
    return {key: path.read_bytes() for key, path in paths().items()}
