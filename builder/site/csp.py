"""A Content-Security-Policy for every page, as strict as mkdocs-material allows.

The theme runs a few inline scripts (palette, scope, config); each page's policy allows exactly those,
by hash, and nothing else inline. Styles stay 'unsafe-inline' because the theme and the month charts
set style attributes. Map tiles come from the configured tile host only.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)


def policy(html: str, tile_url: str, wasm: bool = False) -> str:
    """`wasm`: allow WebAssembly (Pagefind's search runs in wasm; 'wasm-unsafe-eval' permits compiling
    it, not JavaScript eval)."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
                     for body in _INLINE_SCRIPT.findall(html)})
    tiles = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        tiles = f" {parts.scheme}://{host}"
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *(["'wasm-unsafe-eval'"] if wasm else []), *hashes]),
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data:{tiles}",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def with_policy(html: str, tile_url: str, wasm: bool = False) -> str:
    """The page with a CSP <meta> as the first element of <head> (before any script can run)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, tile_url, wasm)}">'
    return _HEAD.sub(lambda m: m.group(0) + meta, html, count=1)
