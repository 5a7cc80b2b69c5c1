"""What a file really is, from its first bytes, whatever its name says."""
from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path) -> str | None:
    """"pdf", "docx", "zip" (another zip package), "ole" (legacy .doc or encrypted Office
    file), "html", "rtf", or None for plain text / unknown."""
    with open(path, "rb") as f:
        head = f.read(2048)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else "zip"
        except (zipfile.BadZipFile, OSError):
            return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    lower = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lower.startswith((b"<!doctype html", b"<html")) or (lower.startswith(b"<") and b"<body" in lower):
        return "html"
    return None


def is_encrypted_ooxml(path: Path) -> bool:
    """An "ole" file that is a password-protected .docx/.xlsx (an OLE container holding an
    EncryptionInfo stream), not a legacy .doc."""
    with open(path, "rb") as f:
        data = f.read(1 << 20)
        f.seek(0, 2)
        if f.tell() > 1 << 20:  # the container's directory may come after the encrypted package
            f.seek(max(1 << 20, f.tell() - (1 << 20)))
            data += f.read()
    return "EncryptionInfo".encode("utf-16-le") in data
