"""What a distributed run keeps on disk so that a rerun resumes: its run folder and atomic files.

A part or job counts as done only once its file has been renamed into place; a rerun of the same
command (same inputs, detector, options and fitted statistics: the fingerprint) skips those.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import MineCDError
from ..raster import is_virtual

MANIFEST = "run.json"


def temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    path = Path(path)
    tmp = temporary_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MineCDError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_json_atomic(path: str | os.PathLike, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, default=str) + "\n")


def save_arrays_atomic(path: Path, **arrays: np.ndarray) -> None:
    tmp = temporary_beside(path)
    try:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def file_identity(path: str) -> dict:
    """A path with its size and modification time (a changed input invalidates a resumable run)."""
    text = str(path)
    if is_virtual(text):
        return {"path": text}
    p = Path(text)
    try:
        stat = p.stat()
    except OSError:
        return {"path": text}
    return {"path": str(p.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def digest(data) -> str:
    """sha256 of plain data (JSON where possible, else its pickle: numpy arrays in fitted state)."""
    try:
        blob = json.dumps(data, sort_keys=True).encode()
    except TypeError:
        blob = pickle.dumps(data, protocol=4)
    return hashlib.sha256(blob).hexdigest()


class RunFolder:
    """``DIR/.NAME.minecd-run``: the parts of one distributed run, kept until it succeeds."""

    def __init__(self, folder: Path, fingerprint: dict):
        self.folder = folder
        self.key = digest({**fingerprint, "minecd": __version__})
        self.resumed = False
        manifest = folder / MANIFEST
        if folder.exists():
            previous = None
            try:
                previous = json.loads(manifest.read_text(encoding="utf-8")).get("key")
            except (OSError, ValueError):
                pass
            if previous == self.key:
                self.resumed = True
            elif previous is not None or not any(folder.iterdir()):
                shutil.rmtree(folder)  # another run's parts (other inputs or options): not reused
            else:
                raise MineCDError(f"{folder}: exists and is not a MineCD run folder: remove it")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MineCDError(f"{folder}: cannot create the run folder ({exc.strerror})") from None
        for leftover in folder.glob(".*.tmp"):  # half-written by a run that was killed
            leftover.unlink(missing_ok=True)
        if not self.resumed:
            write_json_atomic(manifest, {"key": self.key, "fingerprint": fingerprint})

    def part(self, index: int) -> Path:
        return self.folder / f"part-{index:06d}.npz"

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
