"""Legacy Word .doc (and RTF) to .docx: LibreOffice converts, the docx reader reads the result
(pipeline.extract chains the two; this module knows nothing of reading .docx).

Each call gets its own LibreOffice profile (-env:UserInstallation) in a temporary
directory, so parallel conversions do not fight over one profile's lock.

A dropped .doc is untrusted: its linked images (http://..., an internal address) would be
fetched by LibreOffice while converting. So soffice runs without a network (a fresh network
namespace, `unshare --net`, where the system allows one; its profile's proxy points
nowhere in any case), in a pid namespace that dies with it, and under a hard timeout that
kills the whole process tree: nothing is left running.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from pipeline.extract.errors import ExtractError

CONVERT_TIMEOUT_S = 180
# Internet settings of the conversion profile: every protocol through a proxy that refuses
# (0.0.0.0:1), none exempt; the second guard where no network namespace can be made.
_NO_NETWORK_SETTINGS = {"ooInetProxyType": "1", "ooInetNoProxy": "",
                        **{f"ooInet{p}ProxyName": "0.0.0.0" for p in ("HTTP", "HTTPS", "FTP")},
                        **{f"ooInet{p}ProxyPort": "1" for p in ("HTTP", "HTTPS", "FTP")}}
_XCU_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')


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
    _block_network(profile)
    cmd = [*offline_prefix(), binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
    try:
        returncode, output = run_killable(cmd, CONVERT_TIMEOUT_S, env=dict(os.environ, HOME=str(outdir)))
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(str(path), "convert_timeout", f"LibreOffice did not convert the .doc within {CONVERT_TIMEOUT_S} s") from exc
    out = outdir / "input.docx"
    if returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        msg = output.decode("utf-8", "replace").strip()[-300:]
        raise ExtractError(str(path), "corrupt_doc", f"LibreOffice could not convert the .doc: {msg or 'no output'}")
    if not template.is_dir():
        _save_template(profile, template)
    return out


def run_killable(cmd: list[str], timeout: float, env: dict[str, str]) -> tuple[int, bytes]:
    """(exit status, stderr or else stdout) of `cmd` run in its own process group; past
    `timeout` the whole group is killed (soffice starts soffice.bin beside itself) and
    TimeoutExpired raised."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:  # the timeout, or the caller interrupted: no soffice outlives the call
        _kill_group(proc)
        raise
    _kill_group(proc)  # a helper that outlived a finished soffice
    return proc.returncode, err or out


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


@lru_cache(maxsize=1)
def offline_prefix() -> tuple[str, ...]:
    """The command words that run a program with no network and in a pid namespace that is
    killed with it: `unshare` as root, or in a user namespace where the system allows one,
    after `setpriv --pdeathsig` so a killed caller takes the tree down too. Empty when
    neither works (then the profile's dead proxy is the only guard)."""
    unshare, setpriv = shutil.which("unshare"), shutil.which("setpriv")
    if unshare is None:
        return ()
    guard = (setpriv, "--pdeathsig", "KILL") if setpriv else ()
    for userns in ((), ("--map-root-user",)):
        prefix = (*guard, unshare, *userns, "--net", "--pid", "--fork", "--kill-child")
        try:
            ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:
            return prefix
    return ()


def _block_network(profile: Path) -> None:
    """Point the profile's internet settings at a proxy that refuses every connection."""
    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.parent.mkdir(parents=True, exist_ok=True)
    text = xcu.read_text(encoding="utf-8") if xcu.is_file() else _XCU_HEAD + "</oor:items>\n"
    items = "".join(f'<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="{name}" oor:op="fuse">'
                    f"<value>{value}</value></prop></item>\n" for name, value in _NO_NETWORK_SETTINGS.items())
    xcu.write_text(text.replace("</oor:items>", items + "</oor:items>", 1), encoding="utf-8")


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
