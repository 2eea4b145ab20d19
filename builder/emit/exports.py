"""The machine-readable exports under data/ (schema in the README), and the search box's name index
(data/names.json, builder/render/names.py)."""

from __future__ import annotations

from ..render import exports
from ..markup.escape import site_json
from ..render.names import name_shards, names_json
from . import EmitContext, Emission


class DataExports:
    name = "data-exports"
    depends_on = ("articles", "analysis")

    def emit(self, context: EmitContext) -> Emission:
        files = {f"data/{name}": data for name, data in exports.exports(context.index).items()}
        files["data/names.json"] = names_json(context.index)
        shards = name_shards(context.index)
        files.update({f"data/names/{shard}.json": data for shard, data in shards.items()})
        # which shards exist, so the search box asks only for those (a missing one would be a 404 in the console)
        files["data/names/shards.json"] = (site_json(sorted(shards), separators=(",", ":")) + "\n").encode()
        return Emission(files=files)
