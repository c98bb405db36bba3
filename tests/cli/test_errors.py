"""The CLI as a local tool: every bad path, date, flag, config or credential ends in ONE line on
stderr, in the CLI's words (--date, OPENAI_API_KEY, --config), exit code 1, no traceback; and
`generate` spends nothing (no LLM request reaches the model) when a check fails. Real processes,
real git, the local fakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.openai_fake import OpenAIFake
from daily_ai_summary.testing.sources_fake import SourcesFake

DAY = date(2025, 4, 16)
CLEAN = (
    "GITHUB_TOKEN",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "DAILY_AI_SUMMARY_MODEL",
    "DAILY_AI_SUMMARY_CONFIG",
)


def cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in CLEAN}
    return subprocess.run(
        [sys.executable, "-m", "daily_ai_summary", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd,
        timeout=300,
    )


def one_line(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: "), lines[0]
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def blog(tmp_path):
    with (
        SourcesFake.with_sample_day(DAY) as sources,
        OpenAIFake(api_key="sk-right-0123456789") as llm,
    ):
        sources.now = datetime(2025, 4, 16, 5, 35, 33, tzinfo=UTC)
        repo = make_blog(tmp_path / "blog", sources.url, consequences=3)
        env = {
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_API_KEY": "sk-right-0123456789",
            "DAILY_AI_SUMMARY_MODEL": "gpt-4o-mini",
            "DAILY_AI_SUMMARY_NOW": "2025-04-16T05:35:33Z",
        }
        yield repo, env, llm, sources


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["generate", "--repo", "DOES-NOT-EXIST"], ["--repo", "DOES-NOT-EXIST", "no such folder"]),
        (["sources", "--repo", "DOES-NOT-EXIST"], ["--repo", "DOES-NOT-EXIST", "no such folder"]),
        (["demo", "--date", "2026-13-45"], ["--date", "2026-13-45 is not a calendar date"]),
        (["demo", "--date", "yesterday"], ["--date", "YYYY-MM-DD"]),
        (["generate", "--bogus"], ["unrecognized arguments: --bogus", "--help"]),
        (["sources", "--date"], ["--date", "expected one argument"]),
        (["nonsense"], ["invalid choice", "--help"]),
        (["inspect", "DOES-NOT-EXIST.md"], ["DOES-NOT-EXIST.md"]),
    ],
)
def test_a_bad_path_date_or_flag_is_one_line(args, needles, tmp_path):
    one_line(cli(*args, cwd=tmp_path), *needles)


def test_a_file_given_as_repo_is_one_line(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    one_line(cli("sources", "--repo", str(tmp_path / "file.txt")), "--repo", "is not a folder")


def test_a_bad_date_speaks_the_cli_not_the_action(blog):
    repo, env, llm, _ = blog
    line = one_line(
        cli("generate", "--date", "2025-02-30", "--repo", str(repo), env=env), "--date: 2025-02-30"
    )
    assert "input '" not in line
    assert llm.chat_bodies() == []


def test_a_missing_credential_names_the_environment_variables(blog):
    repo, env, llm, _ = blog
    env = {k: v for k, v in env.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    line = one_line(cli("generate", "--repo", str(repo), env=env), "GITHUB_TOKEN", "OPENAI_API_KEY")
    assert "${{" not in line and "input '" not in line and "`openai-api-key`" not in line
    assert llm.requests == []


# -- generate checks everything before the first paid call -----------------------------------


def nothing_spent(llm: OpenAIFake) -> None:
    assert llm.chat_bodies() == [], "an LLM request reached the model before a check failed"


def test_generate_on_a_folder_that_is_not_a_git_repository(blog, tmp_path):
    _, env, llm, sources = blog
    plain = tmp_path / "plain"
    plain.mkdir()
    one_line(cli("generate", "--repo", str(plain), env=env), "is not a git repository", "--repo")
    nothing_spent(llm)
    assert sources.requests == []


def test_generate_on_a_subfolder_of_the_clone_names_the_top(blog):
    repo, env, llm, _ = blog
    one_line(cli("generate", "--repo", str(repo / "content"), env=env), f"give --repo {repo}")
    nothing_spent(llm)


def test_generate_with_a_missing_archetype(blog):
    repo, env, llm, sources = blog
    cfg = repo / "other.yml"
    cfg.write_text("post:\n  archetype: archetypes/missing.md\n")
    one_line(
        cli("generate", "--repo", str(repo), "--config", str(cfg), env=env),
        "archetype not found: archetypes/missing.md",
    )
    nothing_spent(llm)
    assert sources.requests == []


def test_generate_with_a_broken_config_names_file_and_line(blog):
    repo, env, llm, _ = blog
    (repo / "bad.yml").write_text("trending:\n  count: many\n")
    one_line(
        cli("generate", "--repo", str(repo), "--config", "bad.yml", env=env),
        "bad.yml:2:",
        "trending.count",
    )
    nothing_spent(llm)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00broken", None])
def test_generate_with_an_unreadable_or_missing_config(blog, content):
    repo, env, llm, _ = blog
    path = repo / "unreadable.yml"
    if content is not None:
        path.write_bytes(content)
    one_line(cli("generate", "--repo", str(repo), "--config", str(path), env=env), "unreadable.yml")
    nothing_spent(llm)


def test_generate_with_a_wrong_key_is_refused_before_any_token(blog):
    repo, env, llm, sources = blog
    line = one_line(
        cli("generate", "--repo", str(repo), env={**env, "OPENAI_API_KEY": "sk-wrong-0123456789"}),
        "refused the credential",
        "OPENAI_API_KEY",
    )
    assert "sk-wrong" not in line
    nothing_spent(llm)
    assert sources.requests == []


def test_generate_with_an_unreachable_endpoint(blog):
    repo, env, llm, _ = blog
    with OpenAIFake() as gone:
        dead = gone.base_url
    one_line(
        cli("generate", "--repo", str(repo), env={**env, "OPENAI_BASE_URL": dead}),
        "cannot reach",
        "OPENAI_BASE_URL",
    )
    nothing_spent(llm)


def test_model_and_config_flags(blog):
    repo, env, llm, _ = blog
    (repo / "two.yml").write_text(
        "consequences:\n  count: 2\n"
        + (repo / ".github/daily-ai-summary.yml")
        .read_text()
        .split("consequences:\n  count: 3\n", 1)[1]
    )
    env = {k: v for k, v in env.items() if k != "DAILY_AI_SUMMARY_MODEL"}
    proc = cli(
        "generate",
        "--repo",
        str(repo),
        "--config",
        "two.yml",
        "--model",
        "gpt-4.1-mini",
        "--dry-run",
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert {b["model"] for b in llm.chat_bodies()} == {"gpt-4.1-mini"}
    assert len(llm.chat_bodies()) == 2 + 1
    assert '"gpt-4.1-mini"' in proc.stdout  # the post's tags name the model


def test_sources_takes_config_too(blog):
    repo, env, _, _ = blog
    (repo / "bad.yml").write_text("trending:\n  count: 0\n")
    one_line(
        cli("sources", "--repo", str(repo), "--config", "bad.yml", env=env),
        "bad.yml:2:",
        "trending.count",
    )


# -- --help ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "variables"),
    [
        (
            "generate",
            [
                "GITHUB_TOKEN",
                "OPENAI_API_KEY",
                "OPENAI_BASE_URL",
                "REDDIT_CLIENT_ID",
                "DAILY_AI_SUMMARY_CONFIG",
            ],
        ),
        ("sources", ["REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "DAILY_AI_SUMMARY_CONFIG"]),
        ("run", ["INPUT_", "GITHUB_EVENT_PATH", "GITHUB_OUTPUT"]),
        ("demo", ["environment: none"]),
        ("inspect", ["environment: none"]),
    ],
)
def test_every_help_has_a_description_and_its_environment(command, variables):
    proc = cli(command, "--help")
    assert proc.returncode == 0
    usage, _, rest = proc.stdout.partition("\n\n")
    description = rest.split("\n\n", 1)[0]
    assert len(description.split()) >= 8, proc.stdout  # a sentence, not the option list
    assert "environment" in proc.stdout
    for v in variables:
        assert v in proc.stdout, (command, v)


# -- demo ------------------------------------------------------------------------------------


def test_the_demo_cleans_up_after_itself(tmp_path):
    env = {"TMPDIR": str(tmp_path)}
    proc = cli("demo", "--date", "2025-04-16", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "deleted" in proc.stdout and "--keep DIR" in proc.stdout
    assert list(tmp_path.iterdir()) == []


def test_demo_keep_puts_the_blog_exactly_in_dir(tmp_path):
    target = tmp_path / "my-demo"
    proc = cli("demo", "--date", "2025-04-16", "--keep", str(target))
    assert proc.returncode == 0, proc.stderr
    assert (target / ".git").is_dir() and (target / "hugo.toml").is_file()
    assert not (target / "blog").exists()
    assert f"Blog repository: {target}" in proc.stdout


def test_demo_keep_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    one_line(cli("demo", "--keep", str(tmp_path)), "--keep", "is not empty")
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_github_models_is_probed_at_its_catalog(blog):
    """GITHUB_TOKEN (GitHub Models): the probe asks GET /catalog/models beside /inference (the
    fake does not model the catalog: its 404 means "answered"), then the post is written."""
    repo, env, llm, _ = blog
    env = {k: v for k, v in env.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(
        GITHUB_TOKEN="sk-right-0123456789", DAILY_AI_SUMMARY_MODELS_URL=llm.url + "/inference"
    )
    proc = cli("generate", "--repo", str(repo), "--dry-run", env=env)
    assert proc.returncode == 0, proc.stderr
    paths = [r.path for r in llm.requests]
    assert paths[0] == "/catalog/models" and paths[1:] == ["/inference/chat/completions"] * 4


def test_sources_names_the_fallback_in_the_clis_words(blog):
    """The default sources with Reddit refusing this machine: the fallback fills the sections and
    the hint names the environment variables, not the action's inputs."""
    from daily_ai_summary.testing.blog import default_config_at

    repo, env, llm, sources = blog
    sources.reddit_blocked = True
    (repo / "defaults.yml").write_text(default_config_at(sources.url))
    proc = cli(
        "sources", "--repo", str(repo), "--config", "defaults.yml", "--date", "2025-04-16", env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "[consequences, fallback] hackernews (AI): 3 fetched" in proc.stdout
    assert (
        "Fallback: Reddit blocked this runner; items from Hacker News, Hugging Face papers and "
        "arXiv; set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET (a Reddit 'script' app) for Reddit"
    ) in proc.stdout
    assert llm.requests == []


def test_a_cli_run_asks_get_models_once(blog):
    """The CLI's endpoint check (before the first paid call) and the schema probe are one
    request: a llama.cpp server is recognised from the check's answer and sent the full schema."""
    repo, env, llm, _ = blog
    llm.owned_by = "llamacpp"
    proc = cli("generate", "--repo", str(repo), "--dry-run", env=env)
    assert proc.returncode == 0, proc.stderr
    assert [r.path for r in llm.requests].count("/v1/models") == 1
    assert "for llama.cpp" in proc.stdout + proc.stderr
    schema = llm.chat_bodies()[0]["response_format"]["json_schema"]["schema"]
    assert "minItems" in json.dumps(schema)  # the full schema, not OpenAI's strict subset
