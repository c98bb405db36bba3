"""action.yml and the workflows: valid for GitHub (real check-jsonschema CLI with the vendored
SchemaStore schemas), and in step with the Python code that reads the inputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from daily_ai_summary import action, config

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))

# The documented interface (README "Inputs"/"Outputs"); changing it is a breaking change.
DOCUMENTED_INPUTS = {
    "github-token", "date", "model", "openai-api-key", "base-url", "config", "dry-run",
    "base-branch", "reddit-client-id", "reddit-client-secret", "labels", "reviewers", "draft",
    "command-prefix", "mode", "dates",
}  # fmt: skip
DOCUMENTED_OUTPUTS = {
    "post-path", "branch", "pull-request-number", "pull-request-url",
    "pull-request-operation", "tokens", "cost-usd", "dates", "max-parallel",
}  # fmt: skip


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def meta() -> dict:
    return load(REPO / "action.yml")


def test_action_yml_is_valid_for_github() -> None:
    proc = check_jsonschema("vendor.github-actions", REPO / "action.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_schema_check_does_reject_a_broken_action(tmp_path: Path) -> None:
    broken = tmp_path / "action.yml"
    text = (REPO / "action.yml").read_text().replace("using: docker", "using: dockr")
    broken.write_text(text)
    proc = check_jsonschema("vendor.github-actions", broken)
    assert proc.returncode == 1
    assert "runs" in proc.stdout + proc.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_workflow_is_valid_for_github(workflow: Path) -> None:
    proc = check_jsonschema("vendor.github-workflows", workflow)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_expected_workflows_exist() -> None:
    assert {w.name for w in WORKFLOWS} >= {"ci.yml", "release.yml", "daily-ai-summary.yml"}


def test_action_runs_the_dockerfile(meta: dict) -> None:
    assert meta["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert meta["branding"]["icon"] and meta["branding"]["color"]


def test_inputs_are_exactly_the_documented_set_and_what_the_code_reads(meta: dict) -> None:
    declared = set(meta["inputs"])
    assert declared == DOCUMENTED_INPUTS
    assert set(action.INPUT_NAMES) == declared
    assert len(action.INPUT_NAMES) == len(set(action.INPUT_NAMES))


def test_outputs_are_exactly_the_documented_set_and_what_the_code_writes(meta: dict) -> None:
    assert set(meta["outputs"]) == DOCUMENTED_OUTPUTS
    assert set(action.OUTPUT_NAMES) == DOCUMENTED_OUTPUTS


def test_every_input_and_output_is_described_and_kebab_case(meta: dict) -> None:
    for kind in ("inputs", "outputs"):
        for name, spec in meta[kind].items():
            assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name), name
            assert len(spec.get("description", "").strip()) > 10, f"{kind}.{name}"
    for name, spec in meta["inputs"].items():
        assert "default" in spec, f"inputs.{name} needs an explicit default"
        assert not spec.get("required"), f"inputs.{name}: the runner does not enforce required"


def test_the_token_defaults_to_the_job_token_and_other_secrets_to_nothing(meta: dict) -> None:
    inputs = meta["inputs"]
    assert inputs["github-token"]["default"] == "${{ github.token }}"
    for name in action.SECRET_INPUTS:
        if name != "github-token":
            assert inputs[name]["default"] == "", name


class RecordingEnv(dict):
    """An environment that remembers which variables were looked up."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def env_name(name: str) -> str:
    return "INPUT_" + name.replace(" ", "_").upper()


def test_the_code_reads_every_declared_input_under_the_runners_name(meta: dict) -> None:
    env = RecordingEnv()
    action.read_inputs(env)
    read_inputs = {k for k in env.read if k.startswith("INPUT_")}
    assert read_inputs == {env_name(n) for n in meta["inputs"]}


def test_action_yml_defaults_mean_the_same_as_the_codes_defaults(meta: dict) -> None:
    """The runner always exports defaults; the CLI (no runner) passes nothing. Same result."""
    as_runner = {
        env_name(n): str(spec["default"])
        for n, spec in meta["inputs"].items()
        if "${{" not in str(spec["default"])
    }
    from_runner = action.read_inputs(as_runner)
    bare = action.read_inputs({})
    assert from_runner.config == config.CONFIG_PATH
    assert bare.config in ("", config.CONFIG_PATH)  # empty means the default path
    assert from_runner.__class__(**{**vars(from_runner), "config": bare.config}) == bare


# -- the example workflow users copy ------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> dict:
    return load(REPO / ".github" / "workflows" / "daily-ai-summary.yml")


def test_example_listens_to_the_schedule_dispatch_and_the_three_review_events(example) -> None:
    on = example["on"]
    assert on["schedule"][0]["cron"]
    assert "date" in on["workflow_dispatch"]["inputs"]
    assert on["issue_comment"] == {"types": ["created"]}
    assert on["pull_request_review_comment"] == {"types": ["created"]}
    assert on["pull_request_review"] == {"types": ["submitted"]}


def test_example_grants_exactly_what_the_action_needs(example) -> None:
    assert example["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
        "models": "read",
    }


def test_example_job_serialises_runs_and_prefilters_comments(example, meta) -> None:
    (job,) = example["jobs"].values()
    assert job["concurrency"]["cancel-in-progress"] is False
    group = job["concurrency"]["group"]
    for key in ("github.event.issue.number", "github.event.pull_request.number", "inputs.date"):
        assert key in group
    condition = job["if"]
    prefix = meta["inputs"]["command-prefix"]["default"]
    assert condition.count(f"'{prefix}'") == 2  # issue comment, review comment
    # every submitted review runs: its line comments may hold commands with an empty body
    assert "github.event_name == 'pull_request_review' &&" in condition
    assert "github.event.issue.pull_request" in condition


def evaluate(condition: str, context: dict) -> bool:
    """A GitHub Actions ``if:`` expression over ``context``, for the subset the example uses:
    ``&&``, ``||``, ``==``, ``!=``, property access, ``contains()`` (case-insensitive, on
    strings and arrays) and ``fromJSON()``; a missing property is null."""
    import json
    import re

    class Ctx(dict):
        def __getattr__(self, name):
            value = self.get(name)
            return Ctx(value) if isinstance(value, dict) else value

    def contains(haystack, needle):
        if isinstance(haystack, list):
            return any(str(x).lower() == str(needle).lower() for x in haystack)
        return str(needle).lower() in str(haystack or "").lower()

    expr = re.sub(r"\s+", " ", condition).replace("&&", " and ").replace("||", " or ")
    return bool(eval(expr, {"contains": contains, "fromJSON": json.loads, "github": Ctx(context), "__builtins__": {}}))  # noqa: S307


def test_example_prefilter_spares_minutes_on_strangers_comments(example) -> None:
    """Issue 11 case 9: on a public repository a stranger's comment or review must not start
    the job (an image build and API calls). A cost saver only: the action still checks the
    commenter's permission through the API."""
    (job,) = example["jobs"].values()
    condition = job["if"]
    repo = {"repository": "octo/blog"}

    def comment(event: str, association: str, body: str = "/summary shorter") -> dict:
        payload = {"comment": {"body": body, "author_association": association}}
        if event == "issue_comment":
            payload["issue"] = {"pull_request": {"url": "x"}}
        return {**repo, "event_name": event, "event": payload}

    def review(association: str) -> dict:
        return {**repo, "event_name": "pull_request_review", "event": {"review": {"body": None, "author_association": association}}}

    for event in ("issue_comment", "pull_request_review_comment"):
        for who in ("OWNER", "MEMBER", "COLLABORATOR"):
            assert evaluate(condition, comment(event, who)), (event, who)
        for who in ("NONE", "CONTRIBUTOR", "FIRST_TIMER", "FIRST_TIME_CONTRIBUTOR", "MANNEQUIN"):
            assert not evaluate(condition, comment(event, who)), (event, who)
        assert not evaluate(condition, comment(event, "OWNER", "thanks!"))
    assert evaluate(condition, review("COLLABORATOR")) and not evaluate(condition, review("NONE"))
    for event in ("schedule", "workflow_dispatch"):
        assert evaluate(condition, {**repo, "event_name": event, "event": {}})
    assert not evaluate(condition, {"repository": "daily-ai-summary/daily-ai-summary", "event_name": "schedule", "event": {}})


def test_example_checks_out_full_history_then_runs_the_action_with_the_date(example) -> None:
    (job,) = example["jobs"].values()
    checkout, step = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    assert step["uses"] == "daily-ai-summary/daily-ai-summary@v1"
    assert step["with"]["date"] == "${{ inputs.date }}"
    assert set(step["with"]) <= set(load(REPO / "action.yml")["inputs"])


def test_release_publishes_the_image_to_ghcr(meta) -> None:
    release = load(REPO / ".github" / "workflows" / "release.yml")
    assert release["on"]["workflow_dispatch"]["inputs"]["version"]["required"] is True
    job = release["jobs"]["release"]
    assert job["permissions"]["packages"] == "write"
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("docker/login-action@") for u in uses)
    assert any(u.startswith("docker/setup-buildx-action@") for u in uses)
    login = next(s for s in job["steps"] if s.get("uses", "").startswith("docker/login"))
    assert login["with"]["registry"] == "ghcr.io"
