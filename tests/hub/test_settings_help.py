"""``asinan-hub serve --help`` lists every setting, and the README's table too."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from hub.account_settings import AccountSettings
from hub.cli import main
from hub.settings import Settings
from hub.settings_help import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def serve_help(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def fields() -> set[str]:
    own = {f.name for f in dataclasses.fields(Settings) if f.name != "accounts"}
    return own | {f"accounts.{f.name}" for f in dataclasses.fields(AccountSettings)}


def test_every_setting_has_its_line_in_serve_help(capsys: pytest.CaptureFixture[str]) -> None:
    text = serve_help(capsys)
    documented = {s.field for s in SETTINGS}
    assert documented == fields(), (
        f"fields without help: {sorted(fields() - documented)}; "
        f"help without a field: {sorted(documented - fields())}"
    )
    listed = set(re.findall(r"^\s+([A-Z][A-Z0-9_]+)\s", text, re.MULTILINE))
    assert listed == {s.env for s in SETTINGS}


def test_each_variable_in_the_help_is_one_the_settings_read() -> None:
    source = (ROOT / "hub" / "settings.py").read_text()
    source += (ROOT / "hub" / "account_settings.py").read_text()
    read = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', source))
    assert {s.env for s in SETTINGS} <= read


def test_the_readme_table_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in readme]
    assert not missing, f"README's settings table lacks {missing}"
