"""What the Prefect UI shows of a batch (issue 16): task runs named after their files, a
failed file's task Failed with its reason, the run Failed saying how many, the artifact."""
from __future__ import annotations

import shutil
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, FlowRunFilter, FlowRunFilterId

from flows.process import run_batch
from flows.server import prefect_api
from vnplan.sink import StoreSink

from conftest import PLANS


def test_a_failed_file_fails_its_task_and_the_run(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(PLANS / "cantho_ocop_2024_kh109.txt", inbox)
    (inbox / "hỏng.pdf").write_bytes(b"%PDF-1.4 not really")
    summary = run_batch([inbox], out, report=False, sink=StoreSink())
    assert summary["processed"] == 1 and summary["errors"] == 1
    run_id = UUID(summary["flow_run_id"])
    with prefect_api(), get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        assert run.state.name == "Failed" and run.state.message == "1 of 2 files failed"
        tasks = {t.name: t for t in client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))}
        assert set(tasks) == {"build cantho_ocop_2024_kh109.txt", "build hỏng.pdf"}
        assert tasks["build cantho_ocop_2024_kh109.txt"].state.name == "Completed"
        failed = tasks["build hỏng.pdf"].state
        assert failed.name == "Failed" and failed.message.startswith("hỏng.pdf: ")
        (artifact,) = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
        assert artifact.key == "vnplan-batch" and "hỏng.pdf | failed" in artifact.data
        assert "1 processed, 0 unchanged, 1 failed" in artifact.data
