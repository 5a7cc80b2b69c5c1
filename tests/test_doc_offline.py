"""Issue 15, failure 2: converting a dropped .doc reaches no network and leaves nothing running.

The .doc is built by the test: a text document whose image is a link to
http://127.0.0.1:<port>/logo.png, saved as Word 97 by LibreOffice while nothing listens on
the port. Then a tiny HTTP server listens there and the file is read as an inbox file: the
server must see no request (before the fix: OPTIONS, HEAD and GET) and no soffice may remain.
"""
from __future__ import annotations

import http.server
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pipeline.extract import ExtractError, extract
from pipeline.extract import doc as doc_module

from extract_fixtures import LibreOffice, have_soffice

pytestmark = pytest.mark.skipif(not have_soffice(), reason="LibreOffice is needed")

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text>
<text:p>KẾ HOẠCH Triển khai chương trình OCOP năm 2025</text:p>
<text:p><draw:frame draw:name="logo" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm">
<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p>Sở Công Thương chủ trì tổ chức hội chợ.</text:p>
</office:text></office:body></office:document>
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def linked_doc(tmp_path_factory) -> tuple[Path, int]:
    """A Word 97 .doc whose image links to a local port nobody listens on yet."""
    work = tmp_path_factory.mktemp("linked")
    port = free_port()
    src = work / "linked.fodt"
    src.write_text(FODT.format(url=f"http://127.0.0.1:{port}/logo.png"), encoding="utf-8")
    doc = LibreOffice(work).convert(src, "doc:MS Word 97", work / "out")
    assert f"127.0.0.1:{port}".encode() in doc.read_bytes()  # the link is in the file
    return doc, port


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def answer(self) -> None:
        Recorder.requests.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = do_POST = answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def listening(linked_doc):
    """The HTTP server on the linked port, recording every request."""
    Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", linked_doc[1]), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Recorder.requests
    server.shutdown()
    server.server_close()


def soffice_processes_under(folder: Path) -> list[str]:
    """Command lines of running soffice processes whose arguments name `folder`."""
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [ln for ln in out.splitlines() if "soffice" in ln and str(folder) in ln]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Conversions (and their profile template) under this test's folder, so its processes can be found."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("guard", ["namespace", "profile_only"])
def test_a_linked_image_is_not_fetched(linked_doc, listening, private_tmp, monkeypatch, guard):
    if guard == "namespace" and not doc_module.offline_prefix():
        pytest.skip("no network namespace can be made here (the profile's dead proxy still guards)")
    if guard == "profile_only":  # as on a system without namespaces: the profile's proxy alone
        monkeypatch.setattr(doc_module, "offline_prefix", lambda: ())
    inbox = private_tmp / "inbox"
    inbox.mkdir()
    dropped = inbox / "kế hoạch có ảnh.doc"
    dropped.write_bytes(linked_doc[0].read_bytes())
    ex = extract(dropped)
    assert "Sở Công Thương chủ trì tổ chức hội chợ." in [b.text for b in ex.blocks]
    time.sleep(0.3)  # a late request would still be recorded
    assert listening == []
    assert soffice_processes_under(private_tmp) == []
    assert dropped.read_bytes() == linked_doc[0].read_bytes()  # the input is kept as it was


def test_a_conversion_past_its_timeout_is_killed_whole(linked_doc, private_tmp, monkeypatch):
    """The hard timeout kills soffice and soffice.bin (its own process group and pid namespace)."""
    monkeypatch.setattr(doc_module, "CONVERT_TIMEOUT_S", 0.5)  # a fresh profile takes seconds to set up
    dropped = private_tmp / "chậm.doc"
    dropped.write_bytes(linked_doc[0].read_bytes())
    started = time.monotonic()
    with pytest.raises(ExtractError) as err:
        extract(dropped)
    assert err.value.reason == "convert_timeout" and str(dropped) in str(err.value)
    assert time.monotonic() - started < 30
    assert soffice_processes_under(private_tmp) == []
    # a later conversion works (no stale lock or half-saved profile template)
    monkeypatch.setattr(doc_module, "CONVERT_TIMEOUT_S", 180)
    assert extract(dropped).blocks


def test_a_document_stopped_during_conversion_leaves_no_soffice(linked_doc, tmp_path, monkeypatch):
    """The per-document limit kills the worker in the middle of a conversion (LibreOffice
    takes about a second to set up a fresh profile and convert, more on a loaded machine;
    the limit is well under that): soffice goes with it."""
    from pipeline.build import build_record

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the worker's conversions under this test's folder
    dropped = tmp_path / "kế hoạch.doc"
    dropped.write_bytes(linked_doc[0].read_bytes())
    with pytest.raises(ExtractError) as err:
        build_record(dropped, max_seconds=0.3)
    assert err.value.reason == "timeout" and "at extraction" in err.value.detail
    deadline = time.monotonic() + 10  # the kernel ends a killed namespace's processes at once; allow a loaded machine
    while soffice_processes_under(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert soffice_processes_under(tmp_path) == []
