"""The command line as an operator meets it (issue 16): help, version, exit statuses."""
from __future__ import annotations

import socket

from typer.testing import CliRunner

from vnplan.cli import app

from conftest import GOLD

runner = CliRunner()


def test_short_help_and_version():
    assert runner.invoke(app, ["-h"]).exit_code == 0
    assert "Usage" in runner.invoke(app, ["run", "-h"]).output
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("vnplan ")


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["run", str(tmp_path / "nowhere")]).exit_code == 2
    assert runner.invoke(app, ["evaluate", "/nonexistent"]).exit_code == 2
    assert runner.invoke(app, ["evaluate", str(GOLD), str(tmp_path / "no-records")]).exit_code == 2
    res = runner.invoke(app, ["watch", str(tmp_path / "hộp thư")])
    assert res.exit_code == 2 and "--create" in res.output
    assert not (tmp_path / "hộp thư").exists()


def test_serve_on_a_busy_port_says_so_before_printing_a_url(tmp_path):
    db = tmp_path / "vnplan.db"
    db.write_bytes(b"")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        res = runner.invoke(app, ["serve", "--db", str(db), "--port", str(s.getsockname()[1])])
    assert res.exit_code == 1
    assert "cannot listen" in res.output and "http://" not in res.output
