"""The machine-readable exports under data/ (schema in the README)."""

from __future__ import annotations

from ..render import exports
from . import EmitContext, Emission


class DataExports:
    name = "data-exports"
    depends_on = ("articles", "analysis")

    def emit(self, context: EmitContext) -> Emission:
        return Emission(files={f"data/{name}": data for name, data in exports.exports(context.index).items()})
