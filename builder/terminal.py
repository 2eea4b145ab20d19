"""Text from articles, made safe to print: a terminal acts on control characters (ESC starts an escape
sequence, BEL rings, CR rewrites the line), and bidirectional overrides reorder what is shown."""

from __future__ import annotations

import unicodedata

_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}


def printable(text: object) -> str:
    """`text` with every control character (C0, DEL, C1) and bidi control shown as a \\xNN / \\uNNNN escape."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 and unicodedata.category(ch) == "Cc"
                   else f"\\u{ord(ch):04x}" if ord(ch) in _BIDI or unicodedata.category(ch) == "Cc"
                   else ch for ch in text)
