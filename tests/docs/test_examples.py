"""What a blog owner copies works as written: every YAML block of the README and every file in
examples/. Config files go through the config model (the same loader the action uses), workflow
files through check-jsonschema's vendored GitHub workflow schema, and a README fragment of
steps is checked inside a minimal workflow. (README Quick start == examples/basic.yml:
tests/action_schema/test_readme_workflow.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from daily_ai_summary.config import load_config, parse_config

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```ya?ml\n(.*?)^```$", README, re.S | re.M)
EXAMPLES = sorted((REPO / "examples").glob("*.yml"))
CONFIG_KEYS = {"site", "post", "consequences", "trending", "predictions", "selection", "commit"}
CONFIG_KEYS |= {"language", "strings"}


def kind(text: str) -> str:
    data = YAML(typ="safe").load(text)
    if isinstance(data, list):
        return "steps"
    assert isinstance(data, dict), text
    if "jobs" in data:
        return "workflow"
    assert set(data) <= CONFIG_KEYS | {"prompts", "topics", "revise"}, sorted(data)
    return "config"


def check_workflow(path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def as_workflow(steps: str) -> str:
    """A README fragment of steps, inside the smallest workflow that can hold it."""
    body = textwrap.indent(textwrap.dedent(steps), " " * 6)
    return f"on: push\njobs:\n  summary:\n    runs-on: ubuntu-latest\n    steps:\n{body}\n"


def test_the_readme_has_the_blocks_this_test_reads():
    kinds = [kind(b) for b in BLOCKS]
    assert kinds.count("workflow") >= 1 and kinds.count("config") >= 1 and kinds.count("steps") >= 1


@pytest.mark.parametrize("n", range(len(BLOCKS)))
def test_every_readme_yaml_block_is_valid_as_written(n, tmp_path):
    text = BLOCKS[n]
    what = kind(text)
    if what == "config":
        config = parse_config(text, file=f"README.md block {n + 1}")
        assert config.consequences.sources and config.trending.sources
    else:
        path = tmp_path / "workflow.yml"
        path.write_text(text if what == "workflow" else as_workflow(text), encoding="utf-8")
        check_workflow(path)


def test_the_readme_config_works_in_a_repository_without_an_archetype(tmp_path):
    """Copied verbatim into a blog with no archetypes/ folder, the README's config loads and
    the built-in archetype is used (as its comment says)."""
    from daily_ai_summary.pipeline import load_archetype

    # the full configuration (the Languages section has a two-key fragment of its own)
    [text] = [b for b in BLOCKS if kind(b) == "config" and "consequences:" in b]
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "daily-ai-summary.yml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path)
    _, source = load_archetype(tmp_path, config)
    assert source != config.post.archetype  # the built-in one


def test_examples_exist():
    names = {p.name for p in EXAMPLES}
    assert {"basic.yml", "openai.yml", "github-app-token.yml", "config.yml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_valid(path):
    text = path.read_text(encoding="utf-8")
    if kind(text) == "config":
        config = parse_config(text, file=f"examples/{path.name}")
        assert config.consequences.fallback, "the example shows the fallback"
    else:
        check_workflow(path)


def test_the_app_token_example_passes_the_app_token_to_the_action():
    data = YAML(typ="safe").load((REPO / "examples" / "github-app-token.yml").read_text())
    steps = data["jobs"]["summary"]["steps"]
    assert steps[0]["uses"].startswith("actions/create-github-app-token@")
    [action] = [s for s in steps if s.get("uses", "").startswith("daily-ai-summary/")]
    assert action["with"]["github-token"] == "${{ steps.app.outputs.token }}"


def test_the_readme_links_the_docs_a_blog_owner_needs():
    for target in ("docs/reliability.md", "docs/config.md", "docs/troubleshooting.md", "LICENSE"):
        assert f"]({target})" in README, target
        assert (REPO / target).is_file(), target


def test_the_examples_use_node24_majors_like_the_repositorys_workflows():
    """The examples are copied into blogs: same action majors as .github/workflows (node20 is
    deprecated), and create-github-app-token v3, its first node24 major."""
    from tests.action_schema.test_release_workflow import NODE24_MAJOR, USES

    majors = {**NODE24_MAJOR, "actions/create-github-app-token": 3}
    for path in EXAMPLES:
        for name, ref, comment in USES.findall(path.read_text(encoding="utf-8")):
            if "daily-ai-summary" in name:
                continue
            assert name in majors, f"{path.name}: {name} is not a checked action"
            # pinned by commit SHA (zizmor), the version in the comment: "@<sha> # v7.0.1"
            tag = comment.strip().lstrip("#").strip() if re.fullmatch(r"[0-9a-f]{40}", ref) else ref
            assert int(tag.lstrip("v").split(".")[0]) >= majors[name], f"{path.name}: {name}@{ref}"
