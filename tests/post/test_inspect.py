"""`daily-ai-summary inspect` shows what the model read, one JSON array, errors per file."""

from __future__ import annotations

import json
import subprocess
import sys

from daily_ai_summary.post import render

from .conftest import make_post


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "daily_ai_summary", "inspect", *args], capture_output=True, text=True)


def test_inspect_json_prints_every_readable_post_and_fails_for_the_others(tmp_path):
    good = tmp_path / "2025-04-16-ai-auto-summary.md"
    good.write_text(render(make_post(titles=["One", "Two"])))
    bad = tmp_path / "notes.md"
    bad.write_text("# just notes\n")
    proc = run(str(good), str(bad), "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert [d["path"] for d in data] == [str(good)]
    assert data[0]["date"] == "2025-04-16T05:35:33Z"
    assert data[0]["consequences"][1] == {"title": "Two", "benefits": "Benefits of Two.", "ramifications": "Ramifications of Two."}
    assert data[0]["trending"] == ["Trending one", "Trending two"]
    assert data[0]["predictions"][0]["when"] == "May 2035"
    assert f"{bad}:1: no front matter" in proc.stderr


def test_inspect_table_is_readable_and_titles_are_not_markup(tmp_path):
    good = tmp_path / "p.md"
    good.write_text(render(make_post(titles=["[bold red]not markup[/bold red]"])))
    proc = run(str(good))
    assert proc.returncode == 0
    assert "[bold red]not markup[/bold red]" in proc.stdout
    assert "consequences" in proc.stdout and "predictions" in proc.stdout
