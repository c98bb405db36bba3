"""docs/config.md is generated from the config model (scripts/config-reference): it lists every
key, and it is never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from daily_ai_summary.config import Config
from daily_ai_summary.sources import SOURCE_TYPES

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "config-reference"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_page_is_what_the_model_says():
    proc = run("--check")
    assert proc.returncode == 0, proc.stderr


def test_every_key_is_on_the_page():
    page = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    for name, info in Config.model_fields.items():
        section = info.annotation
        key = info.alias or name
        assert f"| `{key}` |" in page
        for sub_name, sub in getattr(section, "model_fields", {}).items():  # type: ignore[union-attr]
            assert f"| `{key}.{sub.alias or sub_name}` |" in page
    for type_name, options in SOURCE_TYPES.items():
        assert f"### `type: {type_name}`" in page
        for name, info in options.model_fields.items():
            if name != "type":
                assert f"| `{info.alias or name}` |" in page, (type_name, name)


def test_a_stale_page_fails_the_check(tmp_path):
    page = tmp_path / "config.md"
    assert run("--page", str(page)).returncode == 0
    assert run("--check", "--page", str(page)).returncode == 0
    page.write_text(page.read_text().replace("how many items the post has", "how many"))
    proc = run("--check", "--page", str(page))
    assert proc.returncode == 1
    assert "docs/config.md is out of date: run scripts/config-reference" in proc.stderr
