"""docs/architecture.md's import diagram is the one the code draws today, and every module the
page names exists."""

from __future__ import annotations

import re
from pathlib import Path

import daily_ai_summary
from tests.import_graph import DOC, with_diagram

PACKAGE = Path(daily_ai_summary.__file__).parent


def test_the_import_diagram_is_current() -> None:
    page = DOC.read_text(encoding="utf-8")
    assert page == with_diagram(page, PACKAGE), "run: python -m tests.import_graph"


def test_every_module_the_page_names_exists() -> None:
    page = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_<>]+)*(?:\.py|/))`", page))
    assert {"context.py", "writer/llm.py", "publish/github.py"} <= named
    for name in named:
        if "<" in name:  # a pattern such as sources/<type>.py
            continue
        assert (PACKAGE / name).exists() or (PACKAGE.parents[1] / name).exists(), name
