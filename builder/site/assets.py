"""Static assets shipped inside the site: the map script and style, Leaflet, its cluster plugin and a
vector basemap (all vendored).

Everything under builder/site/assets/ is published under `assets/archive/` in the built site, so
`files()` keys are site-relative paths. STYLESHEETS and JAVASCRIPT list what every page carries (they
are site-relative as mkdocs' extra_css / extra_javascript expect): only archive-map.js (a few KB) and
its stylesheet. archive-map.js loads LAZY (Leaflet, Leaflet.markercluster and their stylesheets) from
beside itself, and only on a page that holds a map, so pages without one never fetch Leaflet's 148 KB.

Leaflet 1.9.4 (BSD-2-Clause) comes unmodified from the npm registry (`npm pack leaflet@1.9.4`:
dist/leaflet.js, dist/leaflet.css, dist/images/*, LICENSE); Leaflet.markercluster 1.5.3 (MIT) likewise
(`npm pack leaflet.markercluster@1.5.3`: dist/leaflet.markercluster.js, dist/MarkerCluster.css,
MIT-LICENCE.txt as LICENSE); the basemap is Natural Earth (public domain), made as vendor/basemap/README.txt
says. No CDN or tile server is contacted at run time unless a tile URL is configured.

archive-subject.css: entity and place pages' summary, events disclosure and pager.

archive-reader.js/.css: previews, permalinks, the co-occurrence network and the browse page. The network is
laid out with d3-force 3.0.1 and its dependencies d3-dispatch, d3-quadtree and d3-timer (ISC licence, unmodified
dist/*.min.js from `npm pack`, vendor/d3-force/LICENSE), which archive-reader.js loads only on pages with a
network.
"""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
PREFIX = "assets/archive"

STYLESHEETS = [f"{PREFIX}/archive-map.css", f"{PREFIX}/archive-reader.css", f"{PREFIX}/archive-subject.css"]
JAVASCRIPT = [f"{PREFIX}/archive-map.js", f"{PREFIX}/archive-a11y.js", f"{PREFIX}/archive-reader.js",
              f"{PREFIX}/archive-events.js", f"{PREFIX}/archive-entities.js"]  # archive-a11y.js: see its header
# Loaded by archive-map.js itself, in this order, on pages with a map (keep its STYLES/SCRIPTS/LAYERS in step).
LAZY = [f"{PREFIX}/vendor/leaflet/leaflet.css", f"{PREFIX}/vendor/leaflet.markercluster/MarkerCluster.css",
        f"{PREFIX}/vendor/leaflet/leaflet.js", f"{PREFIX}/vendor/leaflet.markercluster/leaflet.markercluster.js",
        f"{PREFIX}/vendor/basemap/countries.geojson", f"{PREFIX}/vendor/basemap/admin1-lines.geojson"]


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
