"""First-level divisions (governorates): which division a place's point lies in (Natural Earth polygons, shapely)."""

from __future__ import annotations

import json
from pathlib import Path


from .place_limits import ADMIN1_NEAR_DEGREES


def divisions_of(records: list[dict], polygons_path: Path) -> dict[str, str]:
    """Location id → the admin1 code of the division (admin1.geojson) its point lies in, or lies within
    ADMIN1_NEAR_DEGREES of. Shapely does the geometry; it is imported here, so a cached gazetteer never loads it."""
    from shapely import STRtree, points
    from shapely.geometry import shape

    features = json.loads(polygons_path.read_bytes())["features"]
    if not records or not features:
        return {}
    shapes = [shape(f["geometry"]) for f in features]
    codes = [(f["properties"]["country"], f["properties"]["admin1"]) for f in features]
    tree = STRtree(shapes)
    found: dict[str, str] = {}
    for record, point in zip(records, points([(r["lon"], r["lat"]) for r in records])):
        inside = [i for i in tree.query(point, predicate="within") if codes[i][0] == record["country"]]
        if not inside:  # nearest division of the same country, if close enough
            near = [int(i) for i in tree.query(point, predicate="dwithin", distance=ADMIN1_NEAR_DEGREES)
                    if codes[i][0] == record["country"]]
            inside = sorted(near, key=lambda i: shapes[i].distance(point))[:1]
        if inside:
            found[record["id"]] = codes[int(inside[0])][1]
    return found
