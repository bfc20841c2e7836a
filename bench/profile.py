"""Sampling profiles of a server under load (py-spy), summarised for the report."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Profile:
    result: dict[str, Any] = field(default_factory=dict)


def _py_spy() -> str | None:
    local = Path(sys.executable).with_name("py-spy")
    return str(local) if local.exists() else shutil.which("py-spy")


def _area(frame: str) -> str:
    """Which code a frame belongs to: our package, or the library's top-level name."""
    # collapsed frames look like "func (path/to/file.py:123)"
    path = frame.rsplit("(", 1)[-1].rstrip(")").rsplit(":", 1)[0]
    parts = Path(path).parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    if not parts:
        return "?"
    head = parts[0].removesuffix(".py")
    if head in ("hub", "chat", "notifications", "signaling", "web", "bench"):
        return f"{head}/ (ours)"
    return head


def summarise(collapsed: str, top: int = 15) -> dict[str, Any]:
    """Self-time per function and per package, and inclusive time of our own functions."""
    own: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not stack or not count_s.isdigit():
            continue
        count = int(count_s)
        frames = stack.split(";")
        total += count
        leaf = frames[-1]
        own[leaf] += count
        areas[_area(leaf)] += count
        for frame in set(frames):
            if "(ours)" in _area(frame):
                inclusive[frame] += count
    if not total:
        return {"samples": 0}

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(k, round(100 * v / total, 1)) for k, v in counter.most_common(top)]

    return {
        "samples": total,
        "self_by_package": share(areas),
        "self_top": share(own),
        "ours_inclusive": share(inclusive),
    }


@contextlib.contextmanager
def profile_during(pid: int, seconds: float, stem: Path) -> Iterator[Profile]:
    """Record ``pid`` with py-spy for ``seconds`` while the block runs (no-op without py-spy)."""
    prof = Profile()
    binary = _py_spy()
    if binary is None:
        prof.result = {"error": "py-spy not installed"}
        yield prof
        return
    out = stem.with_suffix(".collapsed.txt")
    proc = subprocess.Popen(
        [binary, "record", "-p", str(pid), "-d", str(int(seconds) + 1), "-r", "97",
         "-f", "raw", "-o", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield prof
    finally:
        try:
            _, err = proc.communicate(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if out.exists():
            prof.result = summarise(out.read_text())
            prof.result["file"] = str(out)
        else:
            prof.result = {"error": err.decode(errors="replace").strip()[-300:]}
