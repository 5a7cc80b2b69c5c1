"""Files in legacy Vietnamese encodings (TCVN3, VNI), built from Unicode text with the
project's own tables inverted: a .txt of raw bytes, a DOCX whose header runs are in
.VnTime / .VnTimeH and whose body is Unicode."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import docx

from pipeline import lexicon

HEADER = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM", "Số: 1275/KH-UBND"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
PLACE_DATE = "Quảng Nam, ngày 12 tháng 5 năm 2009"
TITLE = ["KẾ HOẠCH", "Phát triển ngành nghề nông thôn và thương mại dịch vụ giai đoạn 2009 - 2015"]
BODY = [
    "Căn cứ Quyết định số 132/2000/QĐ-TTg ngày 24 tháng 11 năm 2000 của Thủ tướng Chính phủ về một số chính sách khuyến khích phát triển ngành nghề nông thôn;",
    "Uỷ ban nhân dân tỉnh xây dựng Kế hoạch phát triển ngành nghề nông thôn với những nội dung như sau:",
    "I. MỤC TIÊU",
    "1. Mục tiêu chung",
    "Phát triển ngành nghề nông thôn nhằm giải quyết việc làm, tăng thu nhập cho người lao động, góp phần chuyển dịch cơ cấu kinh tế nông thôn theo hướng công nghiệp hóa, hiện đại hóa.",
    "2. Mục tiêu cụ thể",
    "Đến năm 2015 có 60 làng nghề được công nhận; tốc độ tăng trưởng giá trị sản xuất ngành nghề nông thôn bình quân 15% mỗi năm.",
    "II. NHIỆM VỤ VÀ GIẢI PHÁP",
    "Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn thực hiện kế hoạch này; định kỳ hằng năm báo cáo Ủy ban nhân dân tỉnh.",
    "Sở Công Thương phối hợp với Ủy ban nhân dân các huyện, thành phố Tam Kỳ tổ chức xúc tiến thương mại, giới thiệu sản phẩm của các làng nghề truyền thống.",
]


def _inverse(name: str) -> dict[str, str]:
    return {v: k for k, v in lexicon.load("legacy_encodings")[name]["map"].items()}


def to_tcvn3(text: str) -> str:
    """Unicode text as a .VnTime font holds it (one Windows-1252 character per byte). Upper-case
    toned letters have no TCVN3 byte: they are written lower case (an "H" font draws them upper)."""
    inv = _inverse("tcvn3")
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c in inv:
            out.append(inv[c])
        elif c.lower() in inv:
            out.append(inv[c.lower()])
        else:
            out.append(c)
    return "".join(out)


def to_vni(text: str) -> str:
    inv = _inverse("vni")
    return "".join(inv.get(c, c) for c in unicodedata.normalize("NFC", text))


def plan_lines() -> list[str]:
    return [*HEADER, *MOTTO, PLACE_DATE, *TITLE, *BODY]


def legacy_txt(path: Path, encoding: str) -> Path:
    """The whole plan as raw bytes of a TCVN3 or VNI text file."""
    conv = to_tcvn3 if encoding == "tcvn3" else to_vni
    path.write_bytes("\r\n\r\n".join(conv(s) for s in plan_lines()).encode("cp1252"))
    return path


def _run(paragraph, text: str, font: str, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font  # python-docx sets rFonts ascii and hAnsi
    run.bold = bold
    return run


def mixed_docx(path: Path, body_font: str = "Times New Roman") -> Path:
    """The header block typed in .VnTime (upper-case lines in .VnTimeH, as in old Word files),
    the body in Unicode: what a plan edited over the years looks like."""
    d = docx.Document()
    for line in [*HEADER, *MOTTO]:
        upper = line.isupper()
        _run(d.add_paragraph(), to_tcvn3(line.lower() if upper else line), ".VnTimeH" if upper else ".VnTime", bold=upper)
    _run(d.add_paragraph(), to_tcvn3(PLACE_DATE), ".VnTime")
    _run(d.add_paragraph(), to_tcvn3(TITLE[0].lower()), ".VnTimeH", bold=True)
    _run(d.add_paragraph(), to_tcvn3(TITLE[1]), ".VnTime", bold=True)
    for line in BODY:
        _run(d.add_paragraph(), line, body_font)
    d.save(path)
    return path


def tcvn3_docx(path: Path) -> Path:
    """Every line in .VnTime (headings in .VnTimeH)."""
    d = docx.Document()
    for line in plan_lines():
        upper = line.isupper()
        _run(d.add_paragraph(), to_tcvn3(line.lower() if upper else line), ".VnTimeH" if upper else ".VnTime")
    d.save(path)
    return path


def legacy_pdf(path: Path, encoding: str = "tcvn3") -> Path:
    """A one-page PDF of the plan typed in legacy fonts, as Word of the 1990s printed it: each
    line drawn with the bytes of its text in .VnTime (TCVN3; upper-case lines in .VnTimeH, with
    lower-case bytes) or VNI-Times, WinAnsi-encoded and not embedded."""
    fonts = {"F1": ".VnTime", "F2": ".VnTimeH"} if encoding == "tcvn3" else {"F1": "VNI-Times", "F2": "VNI-Times,Bold"}
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
    for line in plan_lines():
        upper = line.isupper()
        text = to_tcvn3(line.lower() if upper else line) if encoding == "tcvn3" else to_vni(line)
        data = text.encode("cp1252")
        escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops += [f"/{'F2' if upper else 'F1'} 11 Tf", "(" + escaped.decode("latin-1") + ") Tj", "T*"]
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    widths = " ".join(["250"] + ["500"] * 223)  # a space narrower than a letter, as in any font
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for n, key in enumerate(("F1", "F2")):
        objects.append((f"<< /Type /Font /Subtype /TrueType /BaseFont /{fonts[key]} /Encoding /WinAnsiEncoding "
                        f"/FirstChar 32 /LastChar 255 /Widths [{widths}] /FontDescriptor {7 + n} 0 R >>").encode("latin-1"))
    for key in ("F1", "F2"):
        objects.append((f"<< /Type /FontDescriptor /FontName /{fonts[key]} /Flags 32 /FontBBox [0 -200 1000 900] "
                        "/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>").encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
