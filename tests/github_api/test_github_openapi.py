"""The fake speaks GitHub's REST API as GitHub describes it, and says so loudly when it does not.

The trimmed description in tests/data comes from @octokit/openapi (scripts/refresh-github-openapi).
These tests pin three things together: the operations the script keeps, the routes the fake
serves, and the schema checks that run on every request and response.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from github import Auth, Github, GithubException
from github_support import SPEC, TOKEN

from daily_ai_summary.testing.github_fake import GitHubFake, OpenAPIChecker

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "refresh-github-openapi"


def load_script() -> Any:
    loader = importlib.machinery.SourceFileLoader("refresh_github_openapi", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def spec_json() -> dict[str, Any]:
    return json.loads(SPEC.read_text(encoding="utf-8"))


def auth() -> dict[str, str]:
    return {"Authorization": f"token {TOKEN}"}


# -- the trimmed description --------------------------------------------------------------


def test_trimmed_description_is_self_contained() -> None:
    spec = spec_json()
    text = json.dumps(spec)
    refs = {part.split('"')[0] for part in text.split('"$ref": "')[1:]}
    assert refs, "the description uses components"
    for ref in refs:
        _, _, kind, name = ref.split("/", 3)
        assert name in spec["components"][kind], f"{ref} is referenced but not kept"


def test_trimmed_description_says_where_it_came_from() -> None:
    info = spec_json()["info"]
    assert info["x-trimmed-from"].startswith("npm @octokit/openapi@")
    assert info["x-trimmed-by"] == "scripts/refresh-github-openapi"


def test_trimming_is_a_fixed_point() -> None:
    """Trimming the committed file again changes nothing: it holds exactly what the list names."""
    script = load_script()
    spec = spec_json()
    version = spec["info"]["x-trimmed-from"].split("@")[2].split()[0]
    assert script.trim(spec, version) == spec


def test_trimming_keeps_fields_named_like_prose() -> None:
    """``description`` is prose on an operation but a real field of a repository."""
    script = load_script()
    schema = {
        "description": "prose",
        "properties": {"description": {"type": "string", "description": "prose"}},
    }
    assert script.strip_prose(schema) == {"properties": {"description": {"type": "string"}}}


def test_script_refuses_an_operation_github_does_not_have() -> None:
    script = load_script()
    spec = spec_json()
    del spec["paths"]["/repos/{owner}/{repo}/pulls"]["post"]
    with pytest.raises(SystemExit, match="POST /repos/{owner}/{repo}/pulls is not in"):
        script.trim(spec, "0")


# -- the fake's routes are the description's operations ---------------------------------------


def test_every_route_of_the_fake_is_an_operation_in_the_description() -> None:
    checker = OpenAPIChecker.load(SPEC)
    fake = GitHubFake(spec=SPEC)
    assert fake.operations
    for op in fake.operations:
        described = checker.operation(op.method, op.path)
        assert described["operationId"] == op.operation_id, op


def test_the_description_holds_exactly_what_the_fake_serves_and_the_script_keeps() -> None:
    fake = GitHubFake(spec=SPEC)
    served = {(op.method, op.path) for op in fake.operations}
    described = {(op.method, op.path) for op in OpenAPIChecker.load(SPEC).operations()}
    kept = {(method.upper(), path) for method, path in load_script().OPERATIONS}
    assert served == described == kept


# -- schema checks on requests and responses ---------------------------------------------------


def test_a_request_body_of_the_wrong_shape_is_a_500_and_recorded(fake: GitHubFake) -> None:
    bad = {"head": 5, "base": "main", "title": "t"}  # head must be a string
    r = httpx.post(f"{fake.url}/repos/octo/blog/pulls", json=bad, headers=auth())
    assert r.status_code == 500
    assert "request body head: 5 is not of type 'string'" in r.json()["message"]
    assert len(fake.violations) == 1 and "pulls/create" in fake.violations[0]
    assert fake.pulls == {}, "nothing was created"
    with pytest.raises(AssertionError, match="schema violations"):
        fake.assert_clean()
    fake.violations.clear()


def test_a_missing_required_field_is_caught(fake: GitHubFake) -> None:
    r = httpx.post(f"{fake.url}/repos/octo/blog/pulls", json={"head": "x"}, headers=auth())
    assert r.status_code == 500
    assert "'base' is a required property" in r.json()["message"]
    fake.violations.clear()


def test_a_response_of_the_wrong_shape_is_a_500_and_recorded(fake: GitHubFake) -> None:
    pr = fake.add_pull("feature")
    pr["title"] = None  # state GitHub could never serve: a PR title is a string
    r = httpx.get(f"{fake.url}/repos/octo/blog/pulls/{pr['number']}", headers=auth())
    assert r.status_code == 500
    assert "response 200 title: None is not of type 'string'" in r.json()["message"]
    assert len(fake.violations) == 1
    fake.violations.clear()


def test_an_unknown_query_parameter_is_caught(fake: GitHubFake) -> None:
    r = httpx.get(f"{fake.url}/repos/octo/blog/pulls", params={"stat": "open"}, headers=auth())
    assert r.status_code == 500
    assert "query parameter 'stat' is not defined for pulls/list" in fake.violations[0]
    fake.violations.clear()


def test_a_query_value_outside_the_enum_is_caught(fake: GitHubFake) -> None:
    r = httpx.get(f"{fake.url}/repos/octo/blog/pulls", params={"state": "merged"}, headers=auth())
    assert r.status_code == 500
    assert "'merged' is not one of ['open', 'closed', 'all']" in fake.violations[0]
    fake.violations.clear()


def test_an_endpoint_the_fake_does_not_model_is_recorded(fake: GitHubFake) -> None:
    r = httpx.post(f"{fake.url}/repos/octo/blog/git/refs", json={}, headers=auth())
    assert r.status_code == 404
    assert fake.violations == [
        "POST /repos/octo/blog/git/refs: not an operation the GitHub fake models"
    ]
    fake.violations.clear()


def test_pygithub_add_to_labels_sends_the_undocumented_bare_array(fake: GitHubFake) -> None:
    """Why our client posts {"labels": [...]}: the schema documents only that form."""
    pr = fake.add_pull("feature")
    gh = Github(auth=Auth.Token(TOKEN), base_url=fake.url, retry=None, seconds_between_writes=None)
    with pytest.raises(GithubException) as raised:
        gh.get_repo("octo/blog").get_pull(pr["number"]).add_to_labels("daily-summary")
    assert raised.value.status == 500
    assert "issues/add-labels" in fake.violations[0]
    fake.violations.clear()


def test_nullable_in_openapi_means_null_is_allowed() -> None:
    spec = {
        "paths": {
            "/x": {
                "post": {
                    "operationId": "x",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "maybe": {"type": "string", "nullable": True},
                                        "never": {"type": "string"},
                                        "pick": {"type": "string", "enum": ["a"], "nullable": True},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {},
                }
            }
        },
        "components": {},
    }
    checker = OpenAPIChecker(spec)
    assert checker.check_request("POST", "/x", {}, {"maybe": None, "pick": None}, True) == []
    problems = checker.check_request("POST", "/x", {}, {"never": None}, True)
    assert problems == ["request body never: None is not of type 'string'"]


# -- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (None, 401),
        ("token wrong", 401),
        (f"Basic {TOKEN}", 401),
        (f"token {TOKEN}", 200),
        (f"Bearer {TOKEN}", 200),
    ],
)
def test_only_the_configured_token_is_accepted(
    fake: GitHubFake, header: str | None, status: int
) -> None:
    headers = {"Authorization": header} if header else {}
    r = httpx.get(f"{fake.url}/repos/octo/blog", headers=headers)
    assert r.status_code == status
    if status == 401:
        assert r.json()["message"] == "Bad credentials"


def test_another_repository_is_not_found(fake: GitHubFake) -> None:
    r = httpx.get(f"{fake.url}/repos/octo/other", headers=auth())
    assert r.status_code == 404
