"""``daily-ai-summary predictions``: real processes on a blog folder of generated posts."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from daily_ai_summary.predictions.chart import render_svg
from daily_ai_summary.predictions.tracker import Forecast, summarise
from daily_ai_summary.testing.predictions import AGI, SINGULARITY, write_posts

SVG = "{http://www.w3.org/2000/svg}"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "OPENAI_API_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "daily_ai_summary", "predictions", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("blog")
    total = write_posts(
        str(root), 60, random.Random(5).choice, first=datetime(2025, 1, 1, tzinfo=UTC)
    )
    return root, total


def test_json_lists_every_forecast_with_its_post_event_and_date(blog: tuple[Path, int]) -> None:
    root, total = blog
    proc = cli("--repo", str(root), "--json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == total
    assert {r["event"] for r in rows} == {AGI, SINGULARITY}
    first = rows[0]
    assert (
        first["post"] == "2025-01-01"
        and first["path"] == "content/posts/2025-01-01-ai-auto-summary.md"
    )
    assert all(
        isinstance(r["year"], int) and (r["month"] is None or 1 <= r["month"] <= 12) for r in rows
    )
    assert [r["post"] for r in rows] == sorted(r["post"] for r in rows)


def test_since_keeps_the_later_posts(blog: tuple[Path, int]) -> None:
    root, _ = blog
    rows = json.loads(cli("--repo", str(root), "--json", "--since", "2025-02-20").stdout)
    assert rows and min(r["post"] for r in rows) == "2025-02-20"


def test_the_table_has_a_summary_per_event(blog: tuple[Path, int]) -> None:
    root, total = blog
    proc = cli("--repo", str(root))
    assert proc.returncode == 0, proc.stderr
    assert "30-day median" in proc.stdout and "change since 90" in proc.stdout
    assert f"60 posts, {total} dated predictions" in proc.stdout
    assert "Technological Singularity" in proc.stdout


def test_svg_is_a_standalone_accessible_themed_chart(
    blog: tuple[Path, int], tmp_path: Path
) -> None:
    root, _ = blog
    out = tmp_path / "chart.svg"
    proc = cli("--repo", str(root), "--svg", str(out))
    assert proc.returncode == 0, proc.stderr
    tree = ET.parse(out).getroot()
    assert tree.tag == f"{SVG}svg"
    assert "60 posts" in tree.findtext(f"{SVG}desc", "")  # the text alternative
    assert tree.findtext(f"{SVG}title")
    assert not list(tree.iter(f"{SVG}script")) and b"<script" not in out.read_bytes()
    assert not [a for el in tree.iter() for a in el.attrib if a.lower().startswith("on")]
    assert "prefers-color-scheme:dark" in tree.findtext(f"{SVG}style", "")
    series = [g.get("aria-label") for g in tree.iter(f"{SVG}g")]
    assert series == [AGI, SINGULARITY] or series == [SINGULARITY, AGI]
    assert len(list(tree.iter(f"{SVG}polyline"))) == 2  # one rolling median per event
    again = tmp_path / "again.svg"
    cli("--repo", str(root), "--svg", str(again))
    assert again.read_bytes() == out.read_bytes()  # same posts, same bytes


def test_svg_of_a_thousand_posts_stays_under_200_kb(tmp_path: Path) -> None:
    write_posts(str(tmp_path), 1000, random.Random(1).choice)
    out = tmp_path / "chart.svg"
    assert cli("--repo", str(tmp_path), "--svg", str(out)).returncode == 0
    size = out.stat().st_size
    print(f"\nchart of 1000 posts: {size / 1000:.1f} KB")
    assert size < 200_000


def test_event_names_are_escaped_in_the_svg() -> None:
    evil = '</desc><script>alert(1)</script><g onload="x()">'
    svg = render_svg([Forecast(date(2025, 1, 1), evil, 2030, 1, "p.md", "January 2030", evil)])
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert [g.get("aria-label") for g in root.iter(f"{SVG}g")] == [evil]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--since", "2025-13-40"], "--since"),
        (["--since", "yesterday"], "--since"),
        (["--repo", "/nonexistent/blog"], "--repo"),
        (["--svg", "/nonexistent/folder/chart.svg"], "--svg"),
    ],
)
def test_bad_flags_are_one_line_and_exit_1(args: list[str], names: str) -> None:
    proc = cli(*args)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and names in proc.stderr


def test_summary_latest_median_and_change() -> None:
    start = date(2025, 1, 1)
    forecasts = [
        Forecast(start + timedelta(days=n), AGI, 2030 if n < 100 else 2040, 6, "p", "", "")
        for n in range(130)
    ]
    (s,) = summarise(forecasts)
    assert s.latest.post == start + timedelta(days=129) and s.count == 130
    assert s.median == pytest.approx(2040 + 5.5 / 12)
    assert s.change == pytest.approx(10)  # the median 90 days before was 2030
