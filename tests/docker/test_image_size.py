"""Smoke test of bench/image_size.py: it builds, measures and writes its table (no timing is
asserted), and the image meets issue 12's size goal: at most the base plus 150 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from container import BASE_IMAGE, REPO

pytestmark = [pytest.mark.docker, pytest.mark.timeout(1200)]


def test_the_benchmark_measures_the_image_against_its_base_and_writes_the_table(
    image: str, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Benchmarks\n\nintro\n\n<!-- image-size:begin -->\nOLD-TABLE\n<!-- image-size:end -->\n\nrest\n"
    )
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "image_size.py"), "--smoke", "--json",
         "--tag", image, "--base", BASE_IMAGE, "--readme", str(readme)],
        capture_output=True, text=True, timeout=1100, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    inspect = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Size}}", image, BASE_IMAGE],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    image_mb, base_mb = (int(x) / 1e6 for x in inspect)
    assert r["image_mb"] == round(image_mb, 1) and r["base_mb"] == round(base_mb, 1)
    assert r["added_mb"] == pytest.approx(image_mb - base_mb, abs=0.11)
    assert r["cold_build_s"] is None and r["warm_build_s"] > 0
    assert r["added_mb"] <= 150, f"the image adds {r['added_mb']} MB to its base (goal: 150)"

    text = readme.read_text()
    assert "OLD-TABLE" not in text and text.startswith("# Benchmarks\n\nintro") and "rest" in text
    assert f"| {r['added_mb']} MB | yes | not run (--smoke) |" in text
