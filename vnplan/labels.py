"""Vietnamese labels the analyst sees for the store's codes (roles, kinds of rows)."""
from __future__ import annotations

from vnplan.search_key import search_key

ROLE_LABELS = {"lead": "chủ trì", "coordinate": "phối hợp", "advise": "tham mưu", "guide": "hướng dẫn",
               "implement": "thực hiện", "report": "báo cáo", "other": "khác"}
# One sentence read under two roles for one agency keeps the first of these.
ROLE_PRIORITY = ["lead", "coordinate", "advise", "implement", "guide", "report", "other"]


def role_code(text: str | None) -> str | None:
    """The role code for what the user typed: "lead", "chủ trì", "chu tri", or a role word of
    the lexicon ("cơ quan thường trực" → lead); None when nothing matches."""
    if not text:
        return None
    key = search_key(text)
    for code, label in ROLE_LABELS.items():
        if key in (code, search_key(label)):
            return code
    import re

    from pipeline.lexicon import load

    for code, patterns in (load("roles").get("roles") or {}).items():
        for pattern in patterns:
            if re.fullmatch(pattern, text.strip(), flags=re.IGNORECASE) or \
                    re.fullmatch(search_key(pattern), key):
                return code
    return None
