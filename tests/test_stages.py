"""The parse stages: declared, in an order where every part is provided before it is needed."""
from __future__ import annotations

import pytest

from pipeline.build import load_document
from pipeline.parse import budget, link, record, sections, stages, tables
from pipeline.parse.context import Context, MissingPart

from conftest import PLANS


def test_every_stage_declares_requires_provides_and_extract():
    for stage in stages.STAGES:
        assert isinstance(stage.REQUIRES, tuple) and isinstance(stage.PROVIDES, tuple), stage.__name__
        assert stage.PROVIDES and callable(stage.extract), stage.__name__


def test_the_stage_order_provides_every_part_before_it_is_required():
    stages.check_order(stages.STAGES)


def test_a_stage_before_what_it_requires_is_refused():
    with pytest.raises(stages.StageOrderError, match="stage 'link' requires tasks, responsibilities, timeline"):
        stages.check_order([sections, link])
    with pytest.raises(stages.StageOrderError, match="'budget' requires logical_tables"):
        stages.check_order([sections, budget, tables])


def test_the_record_stage_comes_last_and_sees_every_part():
    assert stages.STAGES[-1] is record
    provided = {p for s in stages.STAGES[:-1] for p in s.PROVIDES}
    assert set(record.REQUIRES) <= provided


def test_a_context_names_the_missing_part():
    with pytest.raises(MissingPart, match="no stage has provided 'sections' yet"):
        Context(load_document(PLANS / "khanhhoa_ocop_2020_kh3680.txt"))["sections"]


def test_a_prefix_of_the_stages_runs_on_its_own():
    """A tool may run only the stages it needs (here up to the tasks of the Khánh Hòa plan)."""
    doc = load_document(PLANS / "khanhhoa_ocop_2020_kh3680.txt")
    upto = stages.STAGES[:[s.__name__ for s in stages.STAGES].index("pipeline.parse.tasks") + 1]
    ctx = stages.run(doc, upto)
    assert ctx["metadata"]["number"] == "3680/KH-UBND"
    assert ctx["tasks"] and "responsibilities" not in ctx


def test_the_time_limit_is_checked_after_every_stage():
    doc = load_document(PLANS / "khanhhoa_ocop_2020_kh3680.txt")
    seen: list[str] = []
    stages.run(doc, after=seen.append)
    assert seen == [stages.stage_name(s) for s in stages.STAGES]
