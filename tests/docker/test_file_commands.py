"""The harness reads GITHUB_OUTPUT the way the runner does (both forms, and its errors)."""

from __future__ import annotations

import pytest
from container import FileCommandError, action_inputs, input_env_name, parse_file_command


def test_plain_and_heredoc_values() -> None:
    text = (
        "branch=daily-ai-summary/2024-05-02\n"
        "summary<<ghadelimiter_1\n"
        "line one\n"
        "a=b stays in the value\n"
        "\n"
        "ghadelimiter_1\n"
        "tokens=1234\n"
    )
    assert parse_file_command(text) == {
        "branch": "daily-ai-summary/2024-05-02",
        "summary": "line one\na=b stays in the value\n",
        "tokens": "1234",
    }


def test_the_first_of_equals_and_heredoc_decides() -> None:
    assert parse_file_command("url=https://x/?a<<b\n") == {"url": "https://x/?a<<b"}
    assert parse_file_command("k<<EOF\nv=1\nEOF\n") == {"k": "v=1"}


def test_later_values_win_and_crlf_is_tolerated() -> None:
    assert parse_file_command("a=1\r\na=2\r\n") == {"a": "2"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k<<EOF\nvalue\n", "Matching delimiter not found"),
        ("=value\n", "name must not be empty"),
        ("k<<\nv\n\n", "delimiter are required"),
        ("just text\n", "Invalid format"),
    ],
)
def test_what_the_runner_rejects(text: str, message: str) -> None:
    with pytest.raises(FileCommandError, match=message):
        parse_file_command(text)


def test_inputs_become_env_names_with_hyphens_kept() -> None:
    assert input_env_name("dry-run") == "INPUT_DRY-RUN"
    assert input_env_name("openai-api-key") == "INPUT_OPENAI-API-KEY"


def test_action_defaults_are_read_from_action_yml_with_expressions_left_empty() -> None:
    defaults = action_inputs()
    assert defaults["command-prefix"] == "/summary"
    assert defaults["dry-run"] == "false"
    assert defaults["github-token"] == ""  # ${{ github.token }} is the runner's to fill
