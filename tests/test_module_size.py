"""No module over 400 lines, Python and JavaScript, tests and bench included.

A file that grows past it is split by what changes together (docs/architecture.md),
not trimmed of blank lines. Generated and third-party code is not ours to split:
Alembic revisions, the built bundle, installed node packages.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400
#: Where our own source lives.
ROOTS = ("hub", "chat", "signaling", "notifications", "web", "tests", "bench")
SUFFIXES = {".py", ".js", ".mjs"}
#: Directories that hold generated or third-party code.
SKIP_DIRS = {"node_modules", "dist", "__pycache__"}
#: Alembic revisions: each is one migration, written once and never edited.
SKIP_PATHS = ("hub/migrations/versions",)
#: Modules being split on their own branches right now (issue #16); this set only shrinks
#: and is empty when the split lands.
SPLITTING: set[str] = set()


def source_files() -> list[Path]:
    out: list[Path] = []
    for root in ROOTS:
        for path in (ROOT / root).rglob("*"):
            rel = path.relative_to(ROOT)
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            if SKIP_DIRS & set(rel.parts) or rel.as_posix().startswith(SKIP_PATHS):
                continue
            out.append(path)
    return sorted(out)


def test_the_walk_sees_every_kind_of_source() -> None:
    found = [p.relative_to(ROOT) for p in source_files()]
    assert {p.parts[0] for p in found} == set(ROOTS)
    assert {p.suffix for p in found} == SUFFIXES
    assert any(p.parts[:2] == ("web", "src") for p in found)
    assert not any(SKIP_DIRS & set(p.parts) or "versions" in p.parts for p in found)


def test_no_module_over_400_lines() -> None:
    offenders = []
    for path in source_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT and path.relative_to(ROOT).as_posix() not in SPLITTING:
            offenders.append(f"{path.relative_to(ROOT).as_posix()} ({lines})")
    assert offenders == [], f"over {LIMIT} lines, split by what changes together: " + ", ".join(
        offenders
    )
