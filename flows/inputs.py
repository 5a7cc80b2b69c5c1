"""Which files of the inputs are documents to read, and which are refused with a reason.

An inbox receives whatever people drop in (issue 15): a name that is not UTF-8 (what unzip
leaves for Windows names), a symlink to a file outside the folder, a dangling or looping
link, and, when `--out` lies inside the input folder, vnplan's own outputs. None of them may
stop the batch or be read silently: each is either a candidate document or a refusal (file
and reason, for errors.json).
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

IGNORED_NAMES = (".", "~$")  # hidden files and Office lock files
PARTIAL_SUFFIXES = (".tmp", ".part", ".crdownload", ".swp")  # downloads and copies under way
# what vnplan writes into an output folder (besides hidden temporary files)
OUTPUT_NAMES = ("vnplan.db", "vnplan.db-wal", "vnplan.db-shm", "vnplan.db-journal", "errors.json",
                "comparison.json", "comparison.html", "comparison.xlsx", ".vnplan-errors.lock")
OUTPUT_DIRS = ("plans",)


def shown(path: str | Path) -> str:
    """The path as text that can go into JSON, SQLite and a terminal: bytes that are not
    UTF-8 are written as \\xNN escapes (so the name is still recognisable)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def is_utf8(path: str | Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes became lone surrogates (surrogateescape)
        return False
    return True


def name_refusal(path: str | Path) -> dict:
    return {"file": shown(path), "reason": "undecodable_name",
            "message": "the file name is not UTF-8 (a Windows name unpacked as raw bytes?): rename it "
                       "to UTF-8 (e.g. convmv -f cp1258 -t utf8) and it is read; the file is left as it is"}


@dataclass
class Outputs:
    """Where this run writes: the output folder and the store; never read as input."""
    out_dir: Path
    db_path: Path | None = None

    def __post_init__(self) -> None:
        self.out_dir = Path(os.path.abspath(self.out_dir))
        self.db_path = Path(os.path.abspath(self.db_path)) if self.db_path else self.out_dir / "vnplan.db"

    def written_by_us(self, path: str | Path) -> bool:
        """The store (and its journal files), a report, errors.json or a record of this run's output."""
        p = Path(os.path.abspath(path))
        if p.parent == self.db_path.parent and p.name in {self.db_path.name + s for s in ("", "-wal", "-shm", "-journal")}:
            return True
        try:
            rel = p.relative_to(self.out_dir)
        except ValueError:
            return False
        return (len(rel.parts) == 1 and rel.name in OUTPUT_NAMES) or \
            (len(rel.parts) > 1 and rel.parts[0] in OUTPUT_DIRS)


@dataclass
class Scan:
    paths: list[Path] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)


def _ignored(name: str) -> bool:
    return name.startswith(IGNORED_NAMES) or name.endswith(PARTIAL_SUFFIXES)


def _link_refusal(p: Path, root: Path) -> dict | None:
    """None when the symlink stays inside `root`; otherwise why it is not followed."""
    try:
        target = p.resolve(strict=True)
    except FileNotFoundError:
        return {"file": shown(p), "reason": "dangling_link",
                "message": f"the symbolic link points to {shown(os.readlink(p))}, which does not exist"}
    except (RuntimeError, OSError) as exc:  # RuntimeError: Python's own loop detection
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            return {"file": shown(p), "reason": "symlink_loop",
                    "message": "the symbolic link points back to itself (a loop): nothing to read"}
        return {"file": shown(p), "reason": "unreadable", "message": str(exc)}
    if not target.is_relative_to(root):
        return {"file": shown(p), "reason": "link_outside_input",
                "message": f"the symbolic link points outside the input folder ({shown(target)}): "
                           "not followed"}
    return None


def _walk(folder: Path, outputs: Outputs | None, scan: Scan) -> None:
    root = folder.resolve()
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).parts
        if any(part.startswith(".") for part in rel) or _ignored(p.name):
            continue
        if outputs and (outputs.written_by_us(p) or inside_output(p, outputs.out_dir, folder)):
            continue
        if p.is_symlink():
            refusal = _link_refusal(p, root)
            if refusal:
                scan.refused.append(refusal)
                continue
        if not p.is_file():
            continue
        if not is_utf8(p):
            scan.refused.append(name_refusal(p))
            continue
        scan.paths.append(p)


def inside_output(p: Path, out_dir: Path, folder: Path) -> bool:
    """`p` is inside the output folder, when that folder lies inside the input folder
    (when the output folder is the input folder itself, only vnplan's own files are left out)."""
    out = Path(os.path.abspath(out_dir))
    here = Path(os.path.abspath(folder))
    return out != here and out.is_relative_to(here) and Path(os.path.abspath(p)).is_relative_to(out)


def scan(inputs: list[Path], outputs: Outputs | None = None, roots: list[Path] | None = None) -> Scan:
    """Every candidate document under the inputs, and the refusals, each with its reason.
    Files given directly are kept as they are, links included (the user named them), unless
    `roots` (the watched inbox) is given: a link must then stay inside its root."""
    found = Scan()
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            _walk(item, outputs, found)
        elif not is_utf8(item):
            found.refused.append(name_refusal(item))
        elif item.is_symlink() and (roots or not item.exists()):
            root = next((Path(r).resolve() for r in roots or []
                         if Path(os.path.abspath(item)).is_relative_to(os.path.abspath(r))), item.parent.resolve())
            refusal = _link_refusal(item, root)
            if refusal:
                found.refused.append(refusal)
            elif item.is_file():
                found.paths.append(item)
        elif item.is_file():
            found.paths.append(item)
    return found


def discover(inputs: list[Path], outputs: Outputs | None = None) -> list[Path]:
    """The candidate documents under the inputs (see `scan` for the refused ones)."""
    return scan(inputs, outputs).paths
