"""The comparison report: every plan side by side, as JSON, Excel and one offline HTML page.

`write_comparison(db, out_dir)` writes comparison.json, comparison.xlsx and
comparison.html (plotly charts with the plotly library inlined, so the page works without
a network): plans grouped by province and by post-2025 province, budgets by province and
source, targets side by side, an agency × plan matrix of lead/coordinate roles, a
timeline per plan, the themes each plan covers and similar tasks aligned across plans.
"""
from __future__ import annotations

import json
import math
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from vnplan.api import load
from vnplan.themes import classify, labels

TEMPLATES = Path(__file__).parent / "templates"
ALIGN_THRESHOLD = 0.45  # cosine similarity of TF-IDF vectors above which two tasks "say the same"
DOC_TYPE_LABELS = {"ke_hoach": "Kế hoạch", "quyet_dinh": "Quyết định", "chuong_trinh": "Chương trình",
                   "de_an": "Đề án", "bao_cao": "Báo cáo", "cong_van": "Công văn", "thong_bao": "Thông báo",
                   "tin_bai": "Tin bài", "other": "Khác"}
LEVEL_LABELS = {"national": "Trung ương", "province": "Tỉnh", "district": "Huyện", "commune": "Xã"}


# --------------------------------------------------------------------------- data

def _clean(value: Any) -> Any:
    """JSON-safe scalars (pandas gives NaN and numpy types)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e6:
        return int(value)  # money summed by pandas comes back as float
    return value


def _int(value: Any) -> int | None:
    value = _clean(value)
    return None if value is None else int(value)


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict("records")]


TIMELINE_KINDS = {"deadline": "hạn", "period": "giai đoạn", "point": "mốc", "recurring": "thường xuyên",
                  "start": "bắt đầu", "other": "khác"}


def plan_label(row: dict | pd.Series) -> str:
    """A short label for charts: locality and number ("Khánh Hòa 3680/KH-UBND"), else
    locality, the start of the title and the date (a plan without a number)."""
    where = _clean(row.get("locality")) or _clean(row.get("province")) or ""
    if _clean(row.get("number")):
        return f"{where} {row.get('number')}".strip()
    title = _clean(row.get("title")) or ""
    title = title[:40] + "…" if len(title) > 40 else title
    return " — ".join(x for x in (where, title, _clean(row.get("issue_date")) or "") if x) or row.get("id", "")[:8]


def _unique_labels(plans: pd.DataFrame) -> list[str]:
    """Plan labels, with the id added where two plans would read the same."""
    labels_ = [plan_label(r) for r in plans.to_dict("records")]
    seen = pd.Series(labels_).duplicated(keep=False).tolist()
    return [f"{lab} [{pid[:6]}]" if dup else lab for lab, dup, pid in zip(labels_, seen, plans["id"])]


def _work_items(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """What each plan sets out to do: its tasks, plus its duties (plans whose tasks the
    parser could not delimit still state their work as duties of agencies)."""
    tasks = frames["tasks"]
    resp = frames["responsibilities"]
    texts = [text if text.startswith(title) else f"{title}. {text}".strip(". ")
             for title, text in zip(tasks["title"].fillna(""), tasks["text"].fillna(""))]
    items = [pd.DataFrame({"plan_id": tasks["plan_id"], "source": "task", "text": texts,
                           "agency": tasks["lead"].fillna("")}),
             pd.DataFrame({"plan_id": resp["plan_id"], "source": "duty", "text": resp["duty"].fillna(""),
                           "agency": resp["agency"].fillna("")})]
    out = pd.concat(items, ignore_index=True)
    out = out[out["text"].str.len() > 0]
    return out.drop_duplicates(subset=["plan_id", "text"]).reset_index(drop=True)


SEGMENT_CHARS = 240  # the gist of a duty is its opening (verb and object); segmenting is ~40k chars/s
THEME_SHARE = 0.08  # a plan "covers" a theme when this share of its work items (and two or more) touch it


def covered_themes(counts: pd.Series, n_items: int) -> list[str]:
    """The themes that are a real part of a plan, most frequent first (one passing
    mention of "kiểm tra" does not make a plan about inspection)."""
    floor = max(2, THEME_SHARE * n_items)
    return [t for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n >= floor]


def theme_matrix(plans: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """plan × theme: how many of the plan's tasks and duties touch each theme."""
    names = labels()
    counts = {pid: dict.fromkeys(names, 0) for pid in plans["id"]}
    for pid, text in zip(items["plan_id"], items["text"]):
        for theme in classify(text[:SEGMENT_CHARS]):  # the gist, not a closing "báo cáo UBND"
            counts[pid][theme] += 1
    matrix = pd.DataFrame.from_dict(counts, orient="index", columns=list(names))
    matrix.index.name = "plan_id"
    return matrix


@lru_cache(maxsize=50_000)
def _segment(text: str) -> str:
    """Word-segmented text ("tập_huấn"), cached: a watch session re-reports the same tasks."""
    from underthesea import word_tokenize

    return word_tokenize(text[:SEGMENT_CHARS], format="text").lower()


def align_tasks(items: pd.DataFrame, threshold: float = ALIGN_THRESHOLD,
                same_document: dict[str, str] | None = None) -> list[dict]:
    """Groups of similar tasks from different plans, largest groups first.

    TF-IDF over word-segmented text, cosine similarity; two items are linked when each
    is the other's best match in the other plan and the similarity reaches `threshold`
    (mutual best matches keep generic wording from chaining everything into one group).
    `same_document` maps plan id → document key: renditions of one document (the same
    number and locality as docx and pdf) are not aligned with each other.
    """
    if items["plan_id"].nunique() < 2:
        return []
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [_segment(t) for t in items["text"]]
    vectors = TfidfVectorizer(token_pattern=r"(?u)\b\w[\w_]+\b", sublinear_tf=True).fit_transform(texts)
    plan_ids = items["plan_id"].tolist()
    docs = pd.Series([(same_document or {}).get(p, p) for p in plan_ids])
    doc_codes = pd.factorize(docs)[0]
    members_of = [np.flatnonzero(doc_codes == d) for d in range(doc_codes.max() + 1)]
    best: dict[tuple[int, int], int] = {}  # (item, other document) -> best item there
    candidates: dict[tuple[int, int], float] = {}
    for lo in range(0, len(texts), 500):  # row blocks keep memory flat on large stores
        block = cosine_similarity(vectors[lo:lo + 500], vectors)
        for d, cols in enumerate(members_of):
            sub = block[:, cols]
            arg = sub.argmax(axis=1)
            for r in np.flatnonzero(sub[np.arange(len(sub)), arg] >= threshold):
                i, j = lo + r, int(cols[arg[r]])
                if doc_codes[i] != d:
                    best[(i, d)] = j
                    candidates[(min(i, j), max(i, j))] = float(block[r, j])
    pairs = {(i, j): v for (i, j), v in candidates.items()
             if best.get((i, doc_codes[j])) == j and best.get((j, doc_codes[i])) == i}
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        scores = [v for (i, j), v in pairs.items() if i in members]
        out.append({"plans": len({plan_ids[i] for i in members}), "similarity": round(max(scores), 3),
                    "themes": sorted({t for i in members for t in classify(items["text"][i][:SEGMENT_CHARS])}),
                    "items": [{"plan_id": plan_ids[i], "source": items["source"][i], "agency": items["agency"][i],
                               "text": items["text"][i]} for i in members]})
    return sorted(out, key=lambda g: (-g["plans"], -g["similarity"]))


def document_keys(plans: pd.DataFrame) -> dict[str, str]:
    """plan id → what identifies the document itself (locality and number, else title), so
    the docx and the pdf of one plan count as one document."""
    keys = {}
    for p in plans.to_dict("records"):
        ident = _clean(p.get("number")) or _clean(p.get("title")) or p["id"]
        keys[p["id"]] = f"{_clean(p.get('province'))}|{_clean(p.get('district'))}|{ident}"
    return keys


def agency_matrix(frames: dict[str, pd.DataFrame], plans: pd.DataFrame) -> pd.DataFrame:
    """agency × plan: "C2 P1" = two duties as lead (chủ trì), one as coordinator (phối hợp)."""
    resp = frames["responsibilities"]
    resp = resp[resp["role"].isin(["lead", "coordinate"])]
    if resp.empty:
        return pd.DataFrame()
    counts = resp.groupby(["agency", "plan_id", "role"]).size().unstack("role", fill_value=0)
    for role in ("lead", "coordinate"):
        if role not in counts:
            counts[role] = 0
    cell = counts.apply(lambda r: " ".join(s for s in (f"C{r['lead']}" if r["lead"] else "",
                                                          f"P{r['coordinate']}" if r["coordinate"] else "") if s),
                        axis=1)
    matrix = cell.unstack("plan_id", fill_value="")
    matrix = matrix[[pid for pid in plans["id"] if pid in matrix.columns]]  # plans in report order
    names = dict(zip(plans["id"], plans["label"]))
    matrix.columns = [names.get(c, c) for c in matrix.columns]
    order = resp["agency"].value_counts().index
    return matrix.loc[[a for a in order if a in matrix.index]]


def _group(plans: pd.DataFrame, key: str) -> list[dict]:
    df = plans.assign(**{key: plans[key].fillna("Trung ương / không rõ")})
    out = []
    for name, g in df.groupby(key, sort=True):
        out.append({key: name, "plans": len(g), "plan_ids": g["id"].tolist(),
                    "budget_total_vnd": _clean(g["budget_total_vnd"].sum(min_count=1)),
                    "tasks": int(g["n_tasks"].fillna(0).sum()),
                    "responsibilities": int(g["n_responsibilities"].fillna(0).sum()),
                    "targets": int(g["n_targets"].fillna(0).sum())})
    return out


def build_comparison(db_path: Path | str) -> dict:
    """Everything the report shows, as plain data (also the JSON file's content)."""
    frames = load(db_path)
    plans = frames["plans"].copy()
    plans["label"] = _unique_labels(plans)
    items = _work_items(frames)
    themes = theme_matrix(plans, items)
    theme_names = labels()
    plan_rows = []
    for p in plans.to_dict("records"):
        covered = covered_themes(themes.loc[p["id"]], int((items["plan_id"] == p["id"]).sum()))
        plan_rows.append({
            "id": p["id"], "label": p["label"], "locality": _clean(p["locality"]), "province": _clean(p["province"]),
            "district": _clean(p["district"]), "province_2025": _clean(p["province_2025"]),
            "level": _clean(p["level"]), "doc_type": _clean(p["doc_type"]), "number": _clean(p["number"]),
            "issue_date": _clean(p["issue_date"]), "period_start": _int(p["period_start"]),
            "period_end": _int(p["period_end"]), "title": _clean(p["title"]),
            "programs": json.loads(p["programs"] or "[]"), "tasks": _int(p["n_tasks"]),
            "responsibilities": _int(p["n_responsibilities"]), "targets": _int(p["n_targets"]),
            "timeline": _int(p["n_timeline"]), "budget_total_vnd": _int(p["budget_total_vnd"]),
            "themes": covered, "source_path": p["source_path"],
            "source_files": json.loads(p.get("source_files") or "[]"),
            "n_files": _int(p.get("n_source_files")) or 1,
        })
    targets = frames["targets"].merge(plans[["id", "label"]], left_on="plan_id", right_on="id", suffixes=("", "_plan"))
    return {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "plans": plan_rows,
        "by_province": _group(plans, "province"),
        "by_province_2025": _group(plans, "province_2025"),
        "themes": [{"id": t, "label": theme_names[t],
                    "plans": {pid: int(n) for pid, n in themes[t].items() if n}} for t in theme_names],
        "budget_sources": _records(frames["budget_sources"][["plan_id", "locality", "province", "name", "amount_vnd", "amount_max_vnd"]]),
        "targets": _records(targets[["plan_id", "label", "text", "value", "value_max", "unit", "percent", "year"]]),
        "agency_roles": _records(frames["responsibilities"].groupby(["agency", "role"]).agg(
            duties=("id", "size"), plans=("plan_id", "nunique")).reset_index()),
        "aligned_tasks": align_tasks(items, same_document=document_keys(plans)),
        "_frames": frames, "_plans": plans, "_themes": themes, "_agency_matrix": agency_matrix(frames, plans),
    }


# --------------------------------------------------------------------------- outputs

def _write_atomic(path: Path, write) -> Path:
    """Write through a temporary file beside the target, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written report behind
        raise
    return path


def _public(data: dict) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _cell(value: Any) -> Any:
    """A value openpyxl can write (no NaN, no numpy scalars, no control characters)."""
    value = _clean(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32000]
    return value


# a cell starting with one of these is a formula to Excel (or becomes one when edited):
# OWASP's CSV/formula injection list
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _text_cell(sheet, text: str):
    """Text from a document as an Excel text cell, never a formula: openpyxl would store
    "=HYPERLINK(...)" as a live formula; the cell is typed as a string, and a risky first
    character gets Excel's quote prefix (shown as typed, kept as text even when edited)."""
    if not text.startswith(FORMULA_LEADS):
        return text  # openpyxl stores other text as a string already
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _excel(data: dict, path: Path) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    frames = data["_frames"]
    plans = pd.DataFrame(data["plans"])
    if not plans.empty:
        plans["programs"] = plans["programs"].map(", ".join)
        plans["themes"] = plans["themes"].map(lambda ts: ", ".join(labels()[t] for t in ts))
    aligned = pd.DataFrame([{"group": n, "plans": g["plans"], "similarity": g["similarity"], **it}
                            for n, g in enumerate(data["aligned_tasks"], 1) for it in g["items"]])
    themes = data["_themes"].rename(columns=labels())
    for df in (plans,):
        if "budget_total_vnd" in df:
            df["budget_million_vnd"] = df["budget_total_vnd"] / 1e6
    by_province = {k: pd.DataFrame(data[k]).drop(columns="plan_ids", errors="ignore")
                   for k in ("by_province", "by_province_2025")}
    for df in by_province.values():
        if "budget_total_vnd" in df:
            df["budget_million_vnd"] = df["budget_total_vnd"] / 1e6
    sheets = {
        "plans": plans.drop(columns=["source_files"], errors="ignore"),
        "by_province": by_province["by_province"], "by_province_2025": by_province["by_province_2025"],
        "tasks": frames["tasks"], "responsibilities": frames["responsibilities"], "targets": frames["targets"],
        "timeline": frames["timeline"], "budget_sources": frames["budget_sources"],
        "budget_items": frames["budget_items"], "themes": themes.reset_index(),
        "agency_matrix": data["_agency_matrix"].reset_index(), "aligned_tasks": aligned,
    }
    # openpyxl's write-only mode streams rows: several times faster than DataFrame.to_excel
    wb = openpyxl.Workbook(write_only=True)
    for name, df in sheets.items():
        sheet = wb.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        for n, col in enumerate(df.columns, 1):  # readable widths, capped
            sample = df[col].head(200).dropna().astype(str)
            width = max([len(str(col)), *sample.str.len()], default=8)
            sheet.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 60)
        sheet.append([_text_cell(sheet, str(c)) for c in df.columns])
        for row in df.itertuples(index=False):
            sheet.append([_text_cell(sheet, c) if isinstance(c := _cell(v), str) else c for v in row])
    wb.save(path)


def _charts(data: dict) -> dict[str, str]:
    """Plotly figures as HTML fragments (the library itself is inlined once by the page)."""
    charts: dict[str, str] = {}
    for name, make in (("budget", _budget_chart), ("targets", _targets_chart), ("agencies", _agency_chart),
                       ("timeline", _timeline_chart), ("themes", _themes_chart)):
        fig = make(data)
        if fig is not None:
            fig.update_layout(margin=dict(l=10, r=10, t=40, b=10), font=dict(size=12))
            charts[name] = fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})
    return charts


def _budget_chart(data: dict):
    """Budget by province, split by source (a plan without stated sources shows its total)."""
    import plotly.express as px

    plans, sources = data["_plans"], data["_frames"]["budget_sources"]
    rows = []
    by_plan = {pid: g for pid, g in sources.groupby("plan_id")}
    for p in plans.to_dict("records"):
        srcs = by_plan.get(p["id"], sources.iloc[:0])
        prov = p["province"] or "Trung ương"
        if len(srcs) and srcs["amount_vnd"].notna().any():
            rows += [{"province": prov, "source": s["name"], "plan": p["label"], "vnd": s["amount_vnd"]}
                     for s in srcs.to_dict("records") if s["amount_vnd"]]
        elif _clean(p["budget_total_vnd"]):
            rows.append({"province": prov, "source": "Không tách nguồn", "plan": p["label"], "vnd": p["budget_total_vnd"]})
    if not rows:
        return None
    df = pd.DataFrame(rows)
    df["billion"] = df["vnd"] / 1e9
    return px.bar(df, x="province", y="billion", color="source", hover_data=["plan"],
                  labels={"billion": "Tỷ đồng", "province": "Tỉnh", "source": "Nguồn"},
                  title="Kinh phí theo tỉnh và nguồn (tỷ đồng)")


def _targets_chart(data: dict):
    """Targets side by side: one panel per unit (the four commonest), a bar per plan."""
    import plotly.express as px

    targets = pd.DataFrame(data["targets"])
    if targets.empty or not targets["value"].notna().any():
        return None
    targets = targets[targets["value"].notna()].copy()
    targets["unit"] = targets.apply(lambda r: "%" if r["percent"] else (r["unit"] or "?"), axis=1)
    top_units = targets["unit"].value_counts().index[:4]
    targets = targets[targets["unit"].isin(top_units)]
    fig = px.bar(targets, x="label", y="value", color="label", facet_col="unit", hover_data=["text"],
                 labels={"label": "Kế hoạch", "value": "Chỉ tiêu"}, title="Chỉ tiêu theo đơn vị")
    fig.update_yaxes(matches=None, showticklabels=True)
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_xaxes(showticklabels=False)
    return fig


def _agency_chart(data: dict):
    """Agency × plan: lead (2) or coordinate (1), the 40 busiest agencies."""
    import plotly.express as px

    plans, resp = data["_plans"], data["_frames"]["responsibilities"]
    resp = resp[resp["role"].isin(["lead", "coordinate"])]
    if resp.empty:
        return None
    names = dict(zip(plans["id"], plans["label"]))
    score = resp.assign(w=resp["role"].map({"lead": 2, "coordinate": 1}), plan=resp["plan_id"].map(names))
    pivot = score.groupby(["agency", "plan"])["w"].max().unstack("plan")
    pivot = pivot[[lab for lab in plans["label"] if lab in pivot.columns]]
    pivot = pivot.loc[resp["agency"].value_counts().index[:40]]
    text = data["_agency_matrix"].reindex(index=pivot.index, columns=pivot.columns).fillna("")
    fig = px.imshow(pivot.fillna(0), color_continuous_scale=[[0, "#f7f7f7"], [0.5, "#9ecae1"], [1, "#08519c"]],
                    aspect="auto", title="Cơ quan × kế hoạch: chủ trì (C) / phối hợp (P)",
                    labels={"x": "Kế hoạch", "y": "Cơ quan", "color": "Vai trò"})
    fig.update_traces(text=text.values, texttemplate="%{text}", hovertemplate="%{y}<br>%{x}<br>%{text}")
    fig.update_layout(coloraxis_showscale=False, height=max(350, 22 * len(pivot) + 120))
    return fig


def _timeline_chart(data: dict):
    """The timeline of each plan; points and deadlines shown as three-day bars."""
    import plotly.express as px

    plans, tl = data["_plans"], data["_frames"]["timeline"].copy()
    if tl.empty:
        return None
    tl["plan"] = tl["plan_id"].map(dict(zip(plans["id"], plans["label"])))
    tl["end"] = pd.to_datetime(tl["end_date"].map(_iso_end), errors="coerce")
    tl["start"] = pd.to_datetime(tl["start_date"].map(_iso_start), errors="coerce").fillna(tl["end"])
    tl = tl[tl["end"].notna()]
    if tl.empty:
        return None
    tl.loc[tl["end"] <= tl["start"], "end"] = tl["start"] + pd.Timedelta(days=3)
    tl["kind"] = tl["kind"].map(lambda k: TIMELINE_KINDS.get(k, k))
    fig = px.timeline(tl, x_start="start", x_end="end", y="plan", color="kind", hover_data=["text"],
                      title="Mốc thời gian theo kế hoạch", labels={"plan": "Kế hoạch", "kind": "Loại"})
    fig.update_layout(height=max(300, 40 * tl["plan"].nunique() + 150))
    return fig


def _themes_chart(data: dict):
    """Themes covered: tasks and duties per theme and plan."""
    import plotly.express as px

    plans, themes = data["_plans"], data["_themes"].rename(columns=labels())
    if not len(themes) or not themes.values.sum():
        return None
    themes.index = themes.index.map(dict(zip(plans["id"], plans["label"])))
    fig = px.imshow(themes.T, color_continuous_scale="Greens", aspect="auto", text_auto=True,
                    title="Chủ đề nhiệm vụ theo kế hoạch (số nhiệm vụ, trách nhiệm)")
    fig.update_layout(coloraxis_showscale=False, height=120 + 28 * themes.shape[1])
    return fig


def _iso_start(d: str | None) -> str | None:
    if not isinstance(d, str) or not d:
        return None
    return d + "-01-01" if len(d) == 4 else d + "-01" if len(d) == 7 else d


def _iso_end(d: str | None) -> str | None:
    if not isinstance(d, str) or not d:
        return None
    if len(d) == 4:
        return d + "-12-31"
    if len(d) == 7:
        return str((pd.Period(d, freq="M").end_time).date())
    return d


def _money(v: Any) -> str:
    """Đồng as the plans write them: "17.770 triệu đồng"."""
    v = _clean(v)
    return "" if v is None else f"{v / 1e6:,.0f}".replace(",", ".") + " triệu đồng"


def _num(v: Any) -> str:
    v = _clean(v)
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def _html(data: dict, path: Path, charts: bool = True) -> None:
    import jinja2
    from plotly.offline import get_plotlyjs

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters["money"] = _money
    env.filters["num"] = _num
    figs = _charts(data) if charts else {}
    html = env.get_template("comparison.html.j2").render(
        data=data, charts=figs, plotly_js=get_plotlyjs() if figs else "",
        theme_labels=labels(), doc_types=DOC_TYPE_LABELS, levels=LEVEL_LABELS,
        agency_matrix=data["_agency_matrix"],
        plan_labels={p["id"]: p["label"] for p in data["plans"]})
    path.write_text(html, encoding="utf-8")


def write_comparison(db_path: Path, out_dir: Path) -> list[Path]:
    """Write comparison.json, comparison.xlsx and comparison.html into `out_dir`, each
    atomically; returns their paths."""
    data = build_comparison(db_path)
    out_dir = Path(out_dir)
    return [
        _write_atomic(out_dir / "comparison.json", lambda p: p.write_text(
            json.dumps(_public(data), ensure_ascii=False, indent=1, default=_clean), encoding="utf-8")),
        _write_atomic(out_dir / "comparison.xlsx", lambda p: _excel(data, p)),
        _write_atomic(out_dir / "comparison.html", lambda p: _html(data, p)),
    ]
