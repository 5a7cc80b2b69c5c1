"""Real documents for the reader tests, built on the spot (python-docx, LibreOffice, Pillow)."""
from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

# A three-level list as Vietnamese plans number their headings: "I.", "1.", "a)".
PLAN_NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
    "</w:abstractNum>"
)
PLAN_NUM = f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'


def _numbered(doc, text: str, level: int, bold: bool = False):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    numpr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
    p._p.get_or_add_pPr().append(numpr)
    return p


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = parse_xml(f'<w:tblBorders {nsdecls("w")}>' + "".join(
        f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>")
    tblpr.append(borders)


def make_plan_docx(path: Path) -> Path:
    """A small plan: header layout table, title, numbered headings, a merged-cell budget table."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(PLAN_NUMBERING))
    numbering.append(parse_xml(PLAN_NUM))
    d.styles["Normal"].font.size = Pt(13)

    header = d.add_table(rows=1, cols=2)
    _no_borders(header)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA"
    header.cell(0, 0).add_paragraph("Số: 3680/KH-UBND")
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Khánh Hòa, ngày 16 tháng 4 năm 2020")

    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("KẾ HOẠCH").bold = True
    d.add_heading("Thực hiện Chương trình mỗi xã một sản phẩm năm 2020", level=1)
    d.add_paragraph("Căn cứ Quyết định số 3253/QĐ-UBND ngày 26/10/2018 của UBND tỉnh Khánh Hòa;")
    _numbered(d, "MỤC TIÊU", 0, bold=True)
    _numbered(d, "Mục tiêu chung", 1)
    d.add_paragraph("Phát triển các hình thức tổ chức sản xuất, kinh doanh theo hướng gia tăng lợi ích cho cộng đồng.")
    _numbered(d, "Mục tiêu cụ thể", 1)
    _numbered(d, "Tạo ra 39 sản phẩm hàng hóa chất lượng cao;", 2)
    _numbered(d, "Triển khai xây dựng 2 - 3 điểm giới thiệu sản phẩm OCOP.", 2)
    _numbered(d, "Tỷ lệ sản phẩm đạt 3 sao trở lên", 3)
    _numbered(d, "KINH PHÍ", 0, bold=True)

    t = d.add_table(rows=4, cols=4)
    t.style = "Table Grid"
    for j, h in enumerate(["STT", "Đơn vị thực hiện", "Năm 2020", ""]):
        t.cell(0, j).text = h
    t.cell(0, 2).merge(t.cell(0, 3)).text = "Năm 2020"
    for j, h in enumerate(["", "", "Ngân sách tỉnh", "Vốn đối ứng"]):
        if h:
            t.cell(1, j).text = h
    t.cell(0, 0).merge(t.cell(1, 0)).text = "STT"
    t.cell(0, 1).merge(t.cell(1, 1)).text = "Đơn vị thực hiện"
    for j, v in enumerate(["1", "UBND thành phố Nha Trang", "650", "500"]):
        t.cell(2, j).text = v
    for j, v in enumerate(["", "Tổng cộng", "1.150", "900"]):
        t.cell(3, j).text = v

    d.add_paragraph("UBND tỉnh yêu cầu các sở, ngành nghiêm túc triển khai thực hiện.")
    d.save(path)
    return path


class LibreOffice:
    """soffice with one private profile for the test session."""

    def __init__(self, workdir: Path) -> None:
        self.profile = (workdir / "lo-profile").as_uri()
        self.workdir = workdir

    def convert(self, src: Path, target: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["soffice", f"-env:UserInstallation={self.profile}", "--headless", "--convert-to", target,
                        "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=120)
        ext = target.split(":")[0]
        out = outdir / f"{src.stem}.{ext}"
        assert out.is_file(), f"LibreOffice made no {out}"
        return out


ENCRYPT_FILTER = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                  '"DocumentOpenPassword":{"type":"string","value":"matkhau"}}')


def have_soffice() -> bool:
    return shutil.which("soffice") is not None


def rewrite_zip_member(src: Path, dst: Path, name: str, data: bytes) -> Path:
    """A copy of a zip package with one member's bytes replaced."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(copy.copy(info), data if info.filename == name else zin.read(info))
    return dst


__all__ = ["make_plan_docx", "LibreOffice", "ENCRYPT_FILTER", "have_soffice", "rewrite_zip_member", "qn"]
