"""Post-OCR repair of what Tesseract gets wrong in Vietnamese administrative text."""
from __future__ import annotations


def repair_word(text: str) -> str:
    return text


def repair_block_text(text: str) -> str:
    return text
