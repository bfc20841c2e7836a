"""Every Python package of the project ships: a non-editable install (a server's
``pip install .``) takes only the packages named in ``pyproject.toml``."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = ("hub", "chat", "signaling", "notifications", "web")


def test_every_package_is_declared() -> None:
    declared = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in TOP
        for init in (ROOT / top).rglob("__init__.py")
        if "node_modules" not in init.parts
    }
    missing = sorted(found - declared)
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"
