"""Encrypted PDFs that need no password to read: an owner password only restricts copying or
printing, and every viewer opens them. pdfminer trips on some (`/P 0`, no permission at all:
its 32-bit arithmetic overflows) and would call them corrupt; PDFium decrypts them."""
from __future__ import annotations

import io
from pathlib import Path


def unlocked_bytes(path: Path) -> bytes | None:
    """The decrypted bytes of an encrypted PDF that opens without a user password; None when
    the file is not encrypted, needs a password, or PDFium cannot read it either."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw) < 0:
            return None  # not encrypted: its trouble is elsewhere
        buf = io.BytesIO()
        doc.save(buf, flags=pdfium_c.FPDF_REMOVE_SECURITY)
        return buf.getvalue()
    except pdfium.PdfiumError:
        return None
    finally:
        doc.close()
