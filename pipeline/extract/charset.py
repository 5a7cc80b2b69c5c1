"""Bytes of a text file to str: Unicode forms by BOM or by their zero bytes, then UTF-8, then a
legacy Vietnamese encoding (TCVN3, VNI) recognised by its statistics."""
from __future__ import annotations

from pipeline.extract.errors import ExtractError
from pipeline.extract.legacy_encoding import decode_legacy_bytes

# UTF-32 first: its little-endian BOM starts with UTF-16's.
BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
ZERO_SAMPLE = 4096


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) of a byte order mark at the start, else None."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def zero_pattern_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, from where its zero bytes fall (text that is mostly
    ASCII or Latin has a zero in every code unit's high bytes); None when there is no such
    pattern (a text file has no zero bytes at all)."""
    head = data[:ZERO_SAMPLE]
    if b"\x00" not in head:
        return None
    n = len(head) - len(head) % 4
    if n < 8:
        return None
    zeros = [sum(1 for i in range(k, n, 4) if head[i] == 0) / (n // 4) for k in range(4)]
    if zeros[2] > 0.9 and zeros[3] > 0.9:  # the two high bytes of a BMP character
        return "utf-32-le"
    if zeros[0] > 0.9 and zeros[1] > 0.9:
        return "utf-32-be"
    if zeros[1] > 0.6 and zeros[3] > 0.6:
        return "utf-16-le"
    if zeros[0] > 0.6 and zeros[2] > 0.6:
        return "utf-16-be"
    return None


def decode_text(data: bytes, path: str) -> tuple[str, list[dict]]:
    """The text of a file's bytes and the warnings to give about its encoding; ExtractError
    "not_utf8" when it is no encoding this knows."""
    bom = bom_encoding(data)
    name, skip = bom if bom else (zero_pattern_encoding(data), 0)
    if name:
        try:
            return data[skip:].decode(name), []
        except UnicodeDecodeError as exc:
            raise ExtractError(path, "bad_encoding", f"the text starts like {name.upper()} but is not (byte {exc.start + skip}): {exc.reason}") from exc
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        legacy = decode_legacy_bytes(data)
        if legacy is not None:
            text, warning = legacy
            return text, [warning]
        raise ExtractError(path, "not_utf8", f"text is not UTF-8 (byte {exc.start}): {exc.reason}") from exc
