"""quick() and any_of() find exactly what the plain patterns find (pipeline.normalize.quick_regex)."""
from __future__ import annotations

import random
import re

from pipeline.lexicon import load
from pipeline.normalize.agencies import unaccent_pattern
from pipeline.normalize.fold import unaccent
from pipeline.normalize.quick_regex import any_of, first_chars, quick


def test_first_characters_of_optional_words_branches_and_case():
    assert first_chars(r"(?:cac\s+)?(?:so|bo)\s*,", re.IGNORECASE) == {("c", True), ("s", True), ("b", True)}
    assert first_chars(r"(?<!\w)(?:Sở|Phòng)(?!\w)") == {("S", False), ("P", False)}
    assert first_chars(r"(?:(?:Bo\s+)?Tu lenh\s+|(?-i:C)ac\s+)quan khu", re.IGNORECASE) == {
        ("B", True), ("T", True), ("C", False)}


def test_no_lookahead_where_the_first_character_is_not_known():
    for pattern in (r"[ab]c", r"\d+ năm", r".x", r"a?", r"(?:x|)y?"):
        assert first_chars(pattern) is None
        assert quick(pattern).pattern == pattern


def _spans(patterns: list[re.Pattern], text: str) -> list[tuple[int, int, dict]]:
    return [(m.start(), m.end(), m.groupdict()) for p in patterns for m in p.finditer(text)]


def test_the_lexicons_collectives_match_the_same_with_and_without_lookahead():
    """Every collective and vague pattern of agencies.yaml, over real and shuffled text."""
    data = load("agencies")
    sources = [unaccent_pattern(c["pattern"]) for c in data["collectives"]] + [unaccent_pattern(p) for p in data["vague"]]
    plain = [re.compile(s, re.IGNORECASE) for s in sources]
    fast = [quick(s, re.IGNORECASE) for s in sources]
    joined = any_of(fast)
    assert joined is not None
    texts = ["UBND các huyện, thị xã, thành phố phối hợp với các sở, ban, ngành, đoàn thể",
             "Bộ Tư lệnh Quân khu và Các quân khu; các đối tác JICA; cơ quan thuế tỉnh Lào Cai",
             "Sở Tài chính chủ trì; các đơn vị có liên quan; hợp tác xã", "Không có gì ở đây cả."]
    words = " ".join(texts).split()
    rnd = random.Random(13)
    texts += [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))) for _ in range(400)]
    for text in map(unaccent, texts):
        assert _spans(fast, text) == _spans(plain, text)
        assert (joined.search(text) is not None) == bool(_spans(plain, text))


def test_any_of_refuses_what_cannot_be_joined():
    assert any_of([re.compile(r"(a)\1"), re.compile("b")]) is None  # group numbers would shift
    assert any_of([re.compile("a", re.IGNORECASE), re.compile("b")]) is None
    assert any_of([]) is None
    joined = any_of([re.compile(r"x(?P<n>\d)"), re.compile(r"y(?P<n>\d)")])  # the same group name twice
    assert joined.search("..y7") and not joined.search("xy")
