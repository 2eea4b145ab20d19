"""A Content-Security-Policy for every page, as strict as mkdocs-material allows.

The theme runs a few inline scripts (palette, scope, config); each page's policy allows exactly those,
by hash, and nothing else inline. Script files are allowed by hash too (each `<script src>` gets the
matching `integrity` attribute), with 'strict-dynamic' for what they load themselves (Pagefind's module,
workers): no 'self', so no other file of the site, such as a published original (`originals/*.txt`, the
article's own bytes), can ever run as a script, even where the host does not send
`X-Content-Type-Options: nosniff`. Styles stay 'unsafe-inline' because the theme and the month charts
set style attributes. Map tiles come from the configured tile host only.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)


_INTEGRITY = re.compile(r"<script\b[^>]*\bintegrity=\"(sha256-[^\"]+)\"", re.I)
_SCRIPT_SRC = re.compile(r"<script\b([^>]*?)\bsrc=\"([^\"]+)\"([^>]*)>", re.I)


def sha256_source(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def with_integrity(html: str, script_bytes) -> str:
    """Each `<script src=…>` with an `integrity` attribute: `script_bytes(src)` → the file's bytes, or None for
    a script the site does not hold (it is left as it is, and the policy will not allow it)."""
    def tag(m: re.Match) -> str:
        if "integrity=" in m.group(0):
            return m.group(0)
        data = script_bytes(m.group(2))
        if data is None:
            return m.group(0)
        return f'<script{m.group(1)}src="{m.group(2)}" integrity="{sha256_source(data)}"{m.group(3)}>'
    return _SCRIPT_SRC.sub(tag, html)


def policy(html: str, tile_url: str, wasm: bool = False) -> str:
    """`wasm`: allow WebAssembly (Pagefind's search runs in wasm; 'wasm-unsafe-eval' permits compiling
    it, not JavaScript eval)."""
    inline = {f"'{sha256_source(body.encode())}'" for body in _INLINE_SCRIPT.findall(html)}
    files = {f"'{h}'" for h in _INTEGRITY.findall(html)}
    hashes = sorted(inline | files)
    tiles = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        tiles = f" {parts.scheme}://{host}"
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'strict-dynamic'", *(["'wasm-unsafe-eval'"] if wasm else []), *hashes]),
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


def with_policy(html: str, tile_url: str, wasm: bool = False, script_bytes=lambda src: None) -> str:
    """The page with a CSP <meta> as the first element of <head> (before any script can run), its script
    files marked with their hashes (see with_integrity)."""
    html = with_integrity(html, script_bytes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, tile_url, wasm)}">'
    return _HEAD.sub(lambda m: m.group(0) + meta, html, count=1)
