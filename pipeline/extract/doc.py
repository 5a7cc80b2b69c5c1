"""Legacy Word .doc (and RTF) to .docx: LibreOffice converts, the docx reader reads the result
(pipeline.extract chains the two; this module knows nothing of reading .docx).

Each call gets its own LibreOffice profile (-env:UserInstallation) in a temporary
directory, so parallel conversions do not fight over one profile's lock.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.extract.errors import ExtractError

CONVERT_TIMEOUT_S = 180


def soffice_binary() -> str | None:
    for name in (os.environ.get("VNPLAN_SOFFICE", ""), "soffice", "libreoffice"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def convert_to_docx(path: Path, outdir: Path) -> Path:
    """The .docx LibreOffice makes of `path` inside `outdir` (ExtractError if it cannot)."""
    binary = soffice_binary()
    if binary is None:
        raise ExtractError(str(path), "converter_unavailable", "reading .doc needs LibreOffice (soffice), which is not installed")
    profile = outdir / "lo-profile"
    template = _profile_template()
    if template.is_dir():
        # a copy of a profile LibreOffice has already set up: skips its slow first start
        shutil.copytree(template, profile, symlinks=True, dirs_exist_ok=True)
    # a plain ASCII copy name: soffice mangles some non-ASCII paths on the command line
    src = outdir / "input.doc"
    shutil.copyfile(path, src)
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, stdin=subprocess.DEVNULL,
                              env=dict(os.environ, HOME=str(outdir)))
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(str(path), "convert_timeout", f"LibreOffice did not convert the .doc within {CONVERT_TIMEOUT_S} s") from exc
    out = outdir / "input.docx"
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        msg = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-300:]
        raise ExtractError(str(path), "corrupt_doc", f"LibreOffice could not convert the .doc: {msg or 'no output'}")
    if not template.is_dir():
        _save_template(profile, template)
    return out


def _profile_template() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"vnplan-lo-profile-{uid}"


def _save_template(profile: Path, template: Path) -> None:
    """Keep the set-up profile for later calls (copied, then renamed: never half-written)."""
    tmp = template.with_name(f"{template.name}.{os.getpid()}.tmp")
    try:
        shutil.copytree(profile, tmp, symlinks=True)
        tmp.rename(template)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another call saved one first, or no space: fine


@contextmanager
def converted_to_docx(path: Path) -> Iterator[Path]:
    """The .docx LibreOffice makes of `path`, in a temporary directory removed on exit."""
    with tempfile.TemporaryDirectory(prefix="vnplan-doc-") as tmp:
        yield convert_to_docx(path, Path(tmp))
