"""The build of the service that is running, as a measurement records it: which extraction, which confidence model.

`extraction_version()` is `git describe --always --dirty` of the checkout when it is one (the
code that ran, uncommitted changes marked `-dirty`), else the installed package's version.
`calibration_id()` names the confidence model the reader loads (`config/calibration.json`) by
the start of its sha256, or None when there is none.
"""
from __future__ import annotations

import hashlib
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION_FILE = ROOT / "config" / "calibration.json"  # the file extraction/context.py loads


def extraction_version(root: Path = ROOT) -> str:
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=root, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):  # no git on this machine
        done = None
    if done is not None and done.returncode == 0 and done.stdout.strip():
        return "git " + done.stdout.strip()
    try:
        return "cme-inbox " + metadata.version("cme-inbox")
    except metadata.PackageNotFoundError:
        return "unknown"


def calibration_id(path: Path = CALIBRATION_FILE) -> str | None:
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:  # no model fitted: raw scores and the default threshold
        return None
