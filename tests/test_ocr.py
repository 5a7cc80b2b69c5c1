"""OCR of scanned pages: preprocessing (colour ink, skew, ruling), the pixel cap, per-page
confidence in the warnings, pages turned sideways, tables in the image. Real Tesseract
with Vietnamese data; the page images are drawn here (Pillow) and saved as image-only PDFs."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.extract import ExtractError, extract
from pipeline.extract import ocr
from pipeline.extract import ocr_preprocess as prep
from pipeline.extract.ocr_tables import find_rules

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract") or "vie" not in ocr.tesseract_langs(shutil.which("tesseract") or ""),
                                     reason="Tesseract with Vietnamese data is needed")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="DejaVu fonts (fonts-dejavu-core) are needed")

LINES = [
    "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
    "Số: 3680/KH-UBND ngày 15 tháng 5 năm 2020",
    "KẾ HOẠCH",
    "Thực hiện Chương trình mỗi xã một sản phẩm năm 2020",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục tiêu chung: phát triển các sản phẩm đặc sản của địa phương.",
    "2. Kinh phí thực hiện: 1.250 triệu đồng từ ngân sách tỉnh.",
    "Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các sở.",
]


def page_image(dpi: int = 200, lines: list[str] = LINES) -> Image.Image:
    """An A4 page of 13-point text at `dpi` (RGB)."""
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    im = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), int(13 / 72 * dpi))
    y = int(1.0 * dpi)
    for ln in lines:
        d.text((int(0.9 * dpi), y), ln, font=font, fill=(0, 0, 0))
        y += int(0.42 * dpi)
    return im


def save_scan(images: list[Image.Image], path: Path, dpi: int = 200) -> Path:
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return path


def text_of(ex) -> str:
    return "\n".join(b.text if b.kind == "paragraph" else "\n".join(" | ".join(r) for r in b.rows) for b in ex.blocks)


# ------------------------------------------------------------------ preprocessing, no Tesseract

@needs_font
@pytest.mark.parametrize("angle", [2.4, -1.3, 4.0])
def test_skew_is_measured_and_undone(angle):
    gray = np.asarray(page_image(150).convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    assert prep.skew_angle(gray, 150) == pytest.approx(angle, abs=0.15)
    level, turned = prep.deskew(gray, 150)
    assert turned == pytest.approx(-angle, abs=0.15)
    assert abs(prep.skew_angle(level, 150)) <= 0.15


@needs_font
def test_level_page_is_left_alone():
    gray = np.asarray(page_image(150).convert("L"))
    out, turned = prep.deskew(gray, 150)
    assert turned == 0.0 and out is gray


def test_coloured_ink_turns_pale_and_print_stays_black():
    rgb = np.full((40, 40, 3), 255, dtype=np.uint8)
    rgb[:, :10] = (0, 0, 0)  # print
    rgb[:, 10:20] = (205, 30, 40)  # a red seal
    rgb[:, 20:30] = (25, 45, 170)  # a blue signature
    g = prep.ink_gray(rgb)
    assert g[:, :10].max() == 0 and g[:, 10:].min() == 255


def test_ruling_is_whitened_and_letters_kept():
    im = Image.new("L", (900, 600), 255)
    d = ImageDraw.Draw(im)
    for y in (100, 200, 300):
        d.line([(50, y), (850, y)], fill=0, width=3)
    for x in (50, 450, 850):
        d.line([(x, 100), (x, 300)], fill=0, width=3)
    d.rectangle((100, 140, 108, 160), fill=0)  # a letter stroke inside a cell
    gray = np.asarray(im)
    mask = np.zeros(gray.shape, dtype=bool)
    h, v = find_rules(gray, 1.0, mask)
    assert len(h) == 3 and len(v) == 3
    out = prep.erase(gray, mask)
    assert (out[95:105, 60:840] == 255).all() and (out[110:290, 45:55] == 255).all()
    assert (out[140:161, 100:109] == 0).all()


# ------------------------------------------------------------------ the pixel cap

def blank_pdf(path: Path, width_pt: float, height_pt: float) -> Path:
    """A one-page PDF of the given size drawing one rectangle (so the page has no text
    and asks for OCR), written byte by byte."""
    content = b"0 0 0 rg 72 72 144 144 re f"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Contents 4 0 R >>".encode(),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


@needs_tesseract
def test_huge_page_is_refused_before_rendering(tmp_path):
    """A 2 KB PDF with one 200 x 200 inch page: refused with the reason, nothing rendered."""
    pdf = blank_pdf(tmp_path / "khổng lồ.pdf", 14400, 14400)
    assert pdf.stat().st_size < 2048
    with pytest.raises(ExtractError) as err:
        extract(pdf)
    assert err.value.reason == "page_too_large" and "khổng lồ.pdf" in str(err.value)
    assert "200 x 200 inches" in str(err.value) and "page 1" in str(err.value)


def test_large_page_is_read_at_a_lower_dpi():
    # A0 (33 x 47 inches) at 300 dpi would be 140 million pixels: read at the dpi that fits
    dpi = ocr.page_dpi(2384, 3370, 300, Path("a0.pdf"), 1)
    assert 100 <= dpi < 300
    assert (2384 / 72 * dpi) * (3370 / 72 * dpi) <= ocr.MAX_PAGE_PIXELS
    assert ocr.page_dpi(595, 842, 300, Path("a4.pdf"), 1) == 300


# ------------------------------------------------------------------ reading real page images

@needs_tesseract
@needs_font
def test_scan_with_seal_and_skew_reads_cleanly_with_confidence(tmp_path):
    """A colour scan, turned 2.5 degrees, with a red seal over the text: read as the text,
    each page's confidence in the warnings."""
    page = page_image(200)
    ink = Image.new("RGB", page.size, (255, 255, 255))
    d = ImageDraw.Draw(ink)
    d.ellipse((300, 450, 650, 800), outline=(205, 30, 40), width=8)
    d.line([(250, 640), (900, 560), (700, 700)], fill=(25, 45, 170), width=5)
    # ink over print: the print stays black under it
    both = Image.fromarray((np.asarray(page, dtype=np.uint16) * np.asarray(ink) // 255).astype(np.uint8))
    im = both.rotate(2.5, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    ex = extract(save_scan([im], tmp_path / "đóng dấu.pdf"))
    text = text_of(ex)
    for want in ("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Số: 3680/KH-UBND", "1.250 triệu đồng",
                 "Sở Nông nghiệp và Phát triển nông thôn chủ trì"):
        assert want in text, (want, text)
    (conf,) = [w for w in ex.warnings if w["code"] == "ocr_confidence"]
    assert "p1 " in conf["message"]
    assert not [w for w in ex.warnings if w["code"] == "ocr_low_confidence"]


@needs_tesseract
@needs_font
def test_sideways_page_is_turned_upright(tmp_path):
    im = page_image(200).rotate(90, expand=True)
    ex = extract(save_scan([im], tmp_path / "xoay.pdf"))
    text = text_of(ex)
    assert "Chương trình mỗi xã một sản phẩm" in text, text


@needs_tesseract
@needs_font
def test_unreadable_page_is_named_under_the_threshold(tmp_path):
    """A page blurred past reading has low confidence: named in the warnings, by number."""
    from PIL import ImageFilter

    good = page_image(200)
    rng = np.random.default_rng(7)
    arr = np.asarray(page_image(200).convert("L")).astype(np.float32) + rng.normal(0, 40, (good.height, good.width))
    bad = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(4.5))
    ex = extract(save_scan([good, bad.convert("RGB")], tmp_path / "mờ.pdf"))
    (low,) = [w for w in ex.warnings if w["code"] == "ocr_low_confidence"]
    assert "page 2 (" in low["message"] and "page 1 (" not in low["message"]


def test_confidence_warnings_name_the_pages_under_the_threshold():
    pages = {1: ocr.PageOcr([], 93.4), 2: ocr.PageOcr([], 41.0), 3: ocr.PageOcr([], None)}
    per_page, low = ocr.confidence_warnings(pages)
    assert per_page["message"].endswith("p1 93, p2 41, p3 no text")
    assert low["code"] == "ocr_low_confidence" and "page 2 (41)" in low["message"] and "page 1" not in low["message"]


# ------------------------------------------------------------------ signed PDFs: form layer, seal over the name

SIGNED = Path(__file__).resolve().parent.parent / "corpus" / "extra2" / "30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.pdf"
needs_signed = pytest.mark.skipif(not SIGNED.exists(), reason="corpus/extra2/30_bimson is needed")


def _signed_page(pno: int, forms: bool = True):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SIGNED))
    try:
        if forms:
            ocr.draw_forms(pdf)
        return ocr._render(pdf, SIGNED, pno, 200)
    finally:
        pdf.close()


@needs_tesseract
@needs_signed
def test_number_and_date_stamped_in_a_signature_field_are_read():
    """The signing tool wrote the number and the date into signature fields: drawn with the
    form layer, as a viewer prints them; the page without it has blanks there."""
    binary = shutil.which("tesseract")
    head = {}
    for forms in (True, False):
        image, dpi = _signed_page(1, forms)
        page = ocr.read_page_image(binary, image[: image.shape[0] // 6], dpi, 1, "vie")
        head[forms] = "\n".join(b.text for b in page.blocks)
    assert "Số: 3070" in head[True] and "ngày 09 tháng" in head[True], head[True]
    assert "3070" not in head[False]


@needs_tesseract
@needs_signed
@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=220)
def test_name_under_the_seal_of_a_grey_scan_is_read_again():
    """In grey, the seal and the signature over the signer's name look like a picture to
    Tesseract: the name is read only when the ink no word covers is read again."""
    from dataclasses import replace

    binary = shutil.which("tesseract")
    image, dpi = _signed_page(6)
    gray = np.asarray(image).mean(axis=2).astype(np.uint8)  # a grey scan: no colour to drop
    text = {}
    for reread in (True, False):
        page = ocr.read_page_image(binary, gray, dpi, 6, "vie", replace(ocr.OPTIONS, reread_uncovered=reread))
        text[reread] = "\n".join(b.text for b in page.blocks)
    assert "Trịnh Tuấn Thành" in text[True], text[True][-300:]
    assert "Trịnh Tuấn Thành" not in text[False]
    assert text[True].replace("\nTrịnh Tuấn Thành", "") == text[False]  # nothing else added
