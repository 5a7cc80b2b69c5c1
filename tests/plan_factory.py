"""Small hand-made plan records (PLAN_SCHEMA.md) for exact-value tests of the store,
queries and reports: real sentences from Vietnamese plans, spans computed from the text."""
from __future__ import annotations

import hashlib


def make_record(path: str, *, province: str | None, level: str, number: str, issue_date: str,
                title: str, period: tuple[int, int] | None = None, district: str | None = None,
                province_2025: str | None = None, duties: list[tuple] = (), tasks: list[tuple] = (),
                targets: list[tuple] = (), budget: tuple[int, dict[str, int]] | None = None,
                programs: tuple[str, ...] = ("OCOP",), version: str = "") -> dict:
    """duties: (agency, agency_text, role, duty); tasks: (title, lead, coordinators,
    (start, end, kind, text) | None); targets: (text, value, value_max, unit);
    budget: (total, {source: amount})."""
    parts: list[str] = [title.upper(), f"Số: {number}"]

    def add(text: str) -> dict:
        start = sum(len(p) + 1 for p in parts)
        parts.append(text)
        return {"start": start, "end": start + len(text)}

    objectives, task_rows, timeline, resps = [], [], [], []
    if targets:
        obj_targets = []
        for text, value, value_max, unit in targets:
            obj_targets.append({"text": text, "value": value, "value_max": value_max, "unit": unit,
                                "subject": None, "percent": unit == "%", "year": period[1] if period else None,
                                "span": add(text)})
        objectives.append({"id": "o1", "section": None, "kind": "specific", "text": "Mục tiêu cụ thể",
                           "span": obj_targets[0]["span"], "targets": obj_targets})
    for i, (ttitle, lead, coord, tl) in enumerate(tasks, 1):
        span = add(f"{i}. {ttitle}")
        entry = None
        if tl:
            start, end, kind, ttext = tl
            entry = {"text": ttext, "start": start, "end": end, "kind": kind, "task": f"t{i}",
                     "span": {"start": span["end"] - len(ttitle), "end": span["end"]}}
            timeline.append(entry)
        task_rows.append({"id": f"t{i}", "section": None, "numbering": str(i), "title": ttitle, "text": ttitle,
                          "lead": list(lead), "coordinators": list(coord),
                          "timeline": dict(entry) if entry else None, "deliverable": None, "span": span})
    for agency, agency_text, role, duty in duties:
        span = add(f"{agency_text}: {duty}")
        resps.append({"agency": agency, "agency_text": agency_text, "level": "province", "role": role,
                      "duty": duty, "task": None, "section": None, "span": span})
    text = "\n".join(parts)
    sha = hashlib.sha256((path + version + text).encode()).hexdigest()
    budget_obj = None
    if budget:
        total, sources = budget
        budget_obj = {"total_vnd": total, "unit_text": "triệu đồng",
                      "sources": [{"name": k, "amount_vnd": v} for k, v in sources.items()],
                      "items": [{"id": "b1", "parent": None, "numbering": "1", "label": "Tổng cộng",
                                 "amounts_vnd": {"Tổng": total, **sources}}],
                      "checks": [{"rule": "total_equals_text", "ok": True, "detail": None}]}
    return {
        "schema_version": "1", "id": sha[:16],
        "source": {"path": path, "sha256": sha, "format": "txt", "pages": None, "ocr": False},
        "text": text,
        "metadata": {"doc_type": "ke_hoach", "attached_doc_types": [], "number": number, "issue_date": issue_date,
                     "issue_place": province, "issuer": f"Ủy ban nhân dân tỉnh {province}" if province else None,
                     "level": level, "province": province, "district": district,
                     "province_2025": province_2025 or province, "title": title, "programs": list(programs),
                     "period": {"start_year": period[0], "end_year": period[1]} if period else None,
                     "signer": {"name": "Lê Hữu Hoàng", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"},
                     "legal_bases": [{"doc_type": "quyet_dinh", "number": "490/QĐ-TTg", "issue_date": "2018-05-07",
                                      "issuer": "Thủ tướng Chính phủ", "text": "Quyết định số 490/QĐ-TTg"}],
                     "references": [], "recipients": ["Như trên"]},
        "sections": [], "objectives": objectives, "tasks": task_rows, "responsibilities": resps,
        "timeline": timeline, "budget": budget_obj, "tables": [], "warnings": [],
    }


def khanh_hoa(version: str = "") -> dict:
    return make_record(
        "inbox/khanhhoa_kh3680.txt", province="Khánh Hòa", level="province", number="3680/KH-UBND",
        issue_date="2020-04-16", period=(2020, 2020), version=version,
        title="Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh Khánh Hòa năm 2020",
        duties=[
            ("Sở Công Thương", "Sở Công Thương", "lead",
             "Chủ trì, phối hợp với các Sở, ngành có liên quan, địa phương triển khai xây dựng điểm giới thiệu "
             "và bán sản phẩm OCOP"),
            ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và PTNT", "coordinate",
             "Phối hợp thẩm định, cân đối bố trí kinh phí thực hiện Chương trình OCOP"),
            ("Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông", "lead",
             "Chủ trì, phối hợp với các Sở, ban ngành liên quan triển khai các hoạt động thông tin, tuyên truyền "
             "về Chương trình OCOP"),
        ],
        tasks=[
            ("Tổ chức tập huấn, đào tạo cho các chủ thể sản xuất tham gia Chương trình OCOP",
             ["Sở Nông nghiệp và Phát triển nông thôn"], ["Sở Công Thương"],
             ("2020-04-01", "2020-06-30", "interval", "Quý II năm 2020")),
            ("Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh", ["Sở Nông nghiệp và Phát triển nông thôn"], [],
             ("2020-10-01", "2020-12-31", "interval", "Quý IV năm 2020")),
        ],
        targets=[("Tạo ra 39 sản phẩm hàng hóa chất lượng cao", 39, None, "sản phẩm"),
                 ("Triển khai xây dựng 2 - 3 điểm giới thiệu, bán sản phẩm OCOP", 2, 3, "điểm")],
        budget=(17_770_000_000, {"Ngân sách tỉnh": 6_520_000_000, "Vốn đối ứng": 11_250_000_000}),
    )


def krong_no() -> dict:
    return make_record(
        "inbox/krongno_kh83.txt", province="Đắk Nông", district="Krông Nô", level="district",
        province_2025="Lâm Đồng", number="83/KH-UBND", issue_date="2021-03-15", period=(2021, 2021),
        title="Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm (OCOP) huyện Krông Nô năm 2021",
        duties=[
            ("Phòng Kinh tế và Hạ tầng", "Phòng Kinh tế & Hạ tầng", "lead",
             "Chủ trì, phối hợp UBND các xã, thị trấn Đăk Mâm và các đơn vị có liên quan thực hiện có hiệu quả "
             "hoạt động khuyến công, xúc tiến thương mại"),
            ("Phòng Tài chính - Kế hoạch", "Phòng TC-KH", "lead",
             "Chủ trì, phối hợp với phòng Nông nghiệp và Phát triển nông thôn cân đối vốn từ nguồn Chương trình "
             "mục tiêu quốc gia xây dựng nông thôn mới"),
            ("Ủy ban nhân dân cấp xã", "UBND các xã, thị trấn", "coordinate",
             "Phối hợp tuyên truyền Chương trình OCOP đến mọi tầng lớp nhân dân"),
        ],
        tasks=[
            ("Tuyên truyền Chương trình OCOP đến mọi tầng lớp nhân dân", ["Phòng Văn hóa và Thông tin"],
             ["Ủy ban nhân dân cấp xã"], ("2021-01-01", "2021-12-31", "continuous", "Thường xuyên")),
            ("Đưa 01-02 sản phẩm OCOP bày bán tại các hệ thống siêu thị", ["Phòng Kinh tế và Hạ tầng"], [],
             (None, "2021-11-30", "deadline", "trước ngày 30/11/2021")),
        ],
        targets=[("Phấn đấu có từ 4-5 sản phẩm được đánh giá, xếp hạng trong năm 2021", 4, 5, "sản phẩm")],
        budget=(1_200_000_000, {"Ngân sách huyện": 1_200_000_000}),
    )
