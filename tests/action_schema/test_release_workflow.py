"""The workflows use current action majors (node20 is deprecated), the release workflow pins
every action by commit, and it releases through scripts/release (tested in tests/docker)."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# The first major of each that runs on node24 (checked against each action's action.yml).
NODE24_MAJOR = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "docker/setup-qemu-action": 4,
    "docker/setup-buildx-action": 4,
    "docker/login-action": 4,
    "docker/build-push-action": 7,
    "docker/metadata-action": 6,
    "actions/attest-build-provenance": 3,
    "actions/upload-artifact": 6,
}
USES = re.compile(r"(?m)^\s*(?:-\s+)?uses:\s*(\S+?)@(\S+)(.*)$")


def test_every_action_is_on_a_node24_major() -> None:
    for path in WORKFLOWS:
        for name, ref, comment in USES.findall(path.read_text(encoding="utf-8")):
            if name.startswith(("./", "docker://")) or name not in NODE24_MAJOR:
                assert name in NODE24_MAJOR or "daily-ai-summary" in name, (
                    f"{path.name}: {name} is not in the list of checked actions"
                )
                continue
            tag = comment.strip().lstrip("#").strip() if re.fullmatch(r"[0-9a-f]{40}", ref) else ref
            m = re.fullmatch(r"v(\d+)(\.\d+)*", tag)
            assert m, f"{path.name}: {name}@{ref} names no version"
            assert int(m[1]) >= NODE24_MAJOR[name], f"{path.name}: {name}@{tag} runs on node20"


def test_the_release_workflow_pins_every_action_by_commit_with_its_version() -> None:
    text = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    found = USES.findall(text)
    assert len(found) >= 6
    for name, ref, comment in found:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{name}@{ref} is not a full commit SHA"
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{name}: say its version: {comment}"


def test_the_release_job_runs_scripts_release_and_attests_its_digest() -> None:
    path = REPO / ".github" / "workflows" / "release.yml"
    doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    job = doc["jobs"]["release"]
    assert job["needs"] == "test"
    assert job["permissions"] == {
        "contents": "write", "packages": "write", "id-token": "write", "attestations": "write"
    }  # fmt: skip
    (release,) = [s for s in job["steps"] if s.get("id") == "release"]
    assert release["run"].startswith('scripts/release "$VERSION"')
    assert "${{" not in release["run"], "inputs reach the script through env, never the script"
    assert "linux/amd64,linux/arm64" in release["run"] and "--builder buildx" in release["run"]
    (attest,) = [s for s in job["steps"] if "attest-build-provenance" in s.get("uses", "")]
    assert attest["with"]["subject-digest"] == "${{ steps.release.outputs.digest }}"
    assert attest["with"]["push-to-registry"] is True
