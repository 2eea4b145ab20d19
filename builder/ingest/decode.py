"""Bytes → text, or the reason it cannot be read as an article."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}
_DELETE_CONTROLS = dict.fromkeys(_CONTROL)  # str.translate deletes them: counting runs in C
_REMOVED = dict.fromkeys([*(_CONTROL - {11, 12}), *range(0x80, 0xA0)])  # VT and FF are line breaks; C1 (0x9B is CSI)


class Unreadable(Exception):
    """The file is not text we can publish (empty, binary, undecodable)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # a warning worth showing, e.g. a legacy encoding was guessed


def decode(data: bytes) -> Decoded:
    if not data.strip():
        raise Unreadable("empty file" if not data else "file holds only white space")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise Unreadable(f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}: {exc.reason}") from None
            note = None if encoding == "utf-8" else f"encoded as {encoding.upper()}; converted to UTF-8"
            return _checked(Decoded(text, encoding, note))
    wide = _bomless_wide_encoding(data)
    if wide:
        try:
            return _checked(Decoded(data.decode(wide), wide, f"encoded as {wide.upper()} without a byte-order mark; converted to UTF-8"))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise Unreadable("binary file (contains NUL bytes)")
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    # Pasted news text that is not UTF-8 is nearly always Windows-1252; charset detectors
    # misread short Western text as cp1250/cp1125, so try the likely answer first.
    try:
        return _checked(Decoded(data.decode("cp1252"), "cp1252", "not valid UTF-8; decoded as Windows-1252 (cp1252)"))
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("binary file (no text encoding fits)")
    return _checked(Decoded(str(best), best.encoding, f"not valid UTF-8; decoded as {best.encoding}"))


def _bomless_wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 without a BOM shows as NULs in a regular pattern (mostly ASCII-range text)."""
    if len(data) < 4 or b"\x00" not in data:
        return None
    n = len(data)
    if n % 4 == 0:
        units = range(0, min(n, 400), 4)
        # Every 4-byte unit a code point (≤ U+10FFFF), most of them in the Basic Multilingual Plane: text, not
        # binary. (Requiring every one to be below U+0100 refused "café “quoted”" as a binary file.)
        if all(data[i + 3] == 0 and data[i + 2] <= 0x10 for i in units) and sum(data[i + 2] == 0 for i in units) > 0.7 * len(units):
            return "utf-32-le"
        if all(data[i] == 0 and data[i + 1] <= 0x10 for i in units) and sum(data[i + 1] == 0 for i in units) > 0.7 * len(units):
            return "utf-32-be"
    if n % 2 == 0:
        odd_zero = sum(1 for b in data[1:400:2] if b == 0) / len(data[1:400:2])
        even_zero = sum(1 for b in data[0:400:2] if b == 0) / len(data[0:400:2])
        if odd_zero > 0.7 and even_zero < 0.1:
            return "utf-16-le"
        if even_zero > 0.7 and odd_zero < 0.1:
            return "utf-16-be"
    return None


def _checked(decoded: Decoded) -> Decoded:
    """The whole text is checked (binary after a first page of text is still binary); the few control
    characters a text may hold (ESC, BEL, C1 codes such as CSI) are removed, so none reaches a page, an
    export or a terminal."""
    text = decoded.text
    controls = len(text) - len(text.translate(_DELETE_CONTROLS))
    if "\x00" in text or controls > max(2, len(text) // 50):
        raise Unreadable("binary file (control characters in the text)")
    stripped = text.translate(_REMOVED)
    if len(stripped) != len(text):
        note = f"{len(text) - len(stripped)} control character(s) (such as ESC or BEL) removed"
        decoded = Decoded(stripped, decoded.encoding, f"{decoded.note}; {note}" if decoded.note else note)
    if not decoded.text.strip():
        raise Unreadable("file holds no text")
    if replaced := decoded.text.count("\ufffd"):
        # The file already held U+FFFD (or bytes the guessed encoding could not map): characters were lost
        # before it reached us, e.g. a curly quote pasted through a wrong code page. Published as it is.
        note = (f"{replaced} U+FFFD replacement character{'s' if replaced > 1 else ''} (\ufffd): characters were "
                "lost before the file was saved (a wrong encoding somewhere upstream); the text keeps them as they are")
        return Decoded(decoded.text, decoded.encoding, f"{decoded.note}; {note}" if decoded.note else note)
    return decoded
