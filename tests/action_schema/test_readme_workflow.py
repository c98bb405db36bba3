"""The README's Quick start is the example workflow file and examples/basic.yml, byte for byte:
users copy either, and the repository runs the same file."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_readme_quick_start_is_the_example_workflow():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    block = quick[quick.index("```yaml\n") + len("```yaml\n") :]
    block = block[: block.index("```\n")]
    assert block == (REPO / ".github" / "workflows" / "daily-ai-summary.yml").read_text(encoding="utf-8")
    assert block == (REPO / "examples" / "basic.yml").read_text(encoding="utf-8")
