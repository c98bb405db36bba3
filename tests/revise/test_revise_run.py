"""`daily-ai-summary run` on PR comments, end to end.

Each test starts from a real PR opened by the generate flow (bare origin, workspace clone, the
GitHub fake checked against GitHub's OpenAPI description, the OpenAI-compatible fake), writes a
comment into the fake, and runs the action on that comment's webhook payload. For every
revision the commit on the PR branch is checked to change only the targeted lines.
"""

from __future__ import annotations

import re
import threading
import time

from daily_ai_summary.post import parse
from daily_ai_summary.report import decode_metadata, md
from daily_ai_summary.testing.harness import git
from daily_ai_summary.testing.openai_fake import Reply
from tests.revise.harness import Revisions

BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
FILLER = (
    "which gives teams a measured reason to try it on their own workloads, compare the numbers "
    "with their current setup, and report back where it holds up and where it does not"
)


def para(topic: str) -> str:
    """A paragraph the writer's rules accept, recognisable by ``topic``."""
    return f"The revised note on {topic} is concrete: it names the change, {FILLER}."


CHART, PAGE = "static/daily-ai-summary/predictions.svg", "content/predictions.md"


def one_new_commit(rv: Revisions, before: str) -> str:
    """The one commit since ``before``: the post, and the predictions chart and page exactly
    when a forecast (event or date) moved."""
    commits = rv.commits_since(before)
    assert len(commits) == 1, f"expected one commit, got {len(commits)}"
    sha = commits[0]
    moved = [(p.event, p.when) for p in rv.post(before).predictions] != [
        (p.event, p.when) for p in rv.post(sha).predictions
    ]
    assert sorted(rv.committed_files(sha)) == sorted(
        [rv.post_path, CHART, PAGE] if moved else [rv.post_path]
    )
    return sha


# -- line comments ---------------------------------------------------------------------------


def test_a_line_comment_rewrites_the_paragraph_under_it_and_nothing_else(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    item = post.consequences[1]
    line = rv.line_of("consequences", 2, "benefits", last=True)
    rv.llm.queue(Reply.json({"text": para("sparse routing")}))
    calls = rv.llm_requests()
    event = rv.line_comment("/summary make it more concrete", line=line)
    comment_id = event["comment"]["id"]

    result = rv.run(event)

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert after.consequences[1].benefits == para("sparse routing")
    assert (
        after.consequences[1].title == item.title
        and after.consequences[1].ramifications == item.ramifications
    )
    assert after.front_matter == post.front_matter
    # only the paragraph's line changed (the "- *Benefits:*" marker line is kept)
    assert rv.changed_lines(before, sha) == {line}
    assert rv.action.commits(f"{before}..{sha}")[0].split()[1] == BOT_EMAIL

    # the model saw the paragraph, the request and the source - not the front matter or other items
    assert rv.llm_requests() == calls + 1
    prompt = "\n".join(m["content"] for m in rv.llm.chat_bodies()[-1]["messages"])
    assert item.benefits in prompt and "make it more concrete" in prompt
    assert "Sample post. We train a router" in prompt  # the item's source excerpt from the metadata
    assert "date: 2025-04-16" not in prompt and post.consequences[0].benefits not in prompt
    assert post.trending[0].title not in prompt and post.predictions[0].rationale not in prompt

    # feedback: eyes then rocket, and a reply in the thread with the commit, tokens and cost
    assert rv.reactions(comment_id) == ["eyes", "rocket"]
    [reply] = rv.thread_replies(comment_id)
    assert f"in {sha}" in reply and "rewrote the benefits of item 2" in reply
    assert re.search(r"1 model call to `gpt-4o-mini`, \d+ tokens, \$0\.\d{4}", reply)
    out = result.outputs
    assert out["pull-request-operation"] == "updated" and out["pull-request-number"] == str(
        rv.pr_number
    )
    assert out["branch"] == rv.branch and out["post-path"] == rv.post_path
    assert int(out["tokens"]) > 0 and float(out["cost-usd"]) > 0
    assert "revision of #1" in result.summary and sha in result.summary


def test_a_line_comment_on_an_item_title_rewrites_both_paragraphs_but_not_the_title(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    title_line = rv.line_of("consequences", 3, "title")
    rv.llm.queue(
        Reply.json({"benefits": para("rust loaders"), "ramifications": para("maintenance costs")})
    )

    result = rv.run(rv.line_comment("/summary less hype, more numbers", line=title_line))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert (after.consequences[2].benefits, after.consequences[2].ramifications) == (
        para("rust loaders"),
        para("maintenance costs"),
    )
    assert after.consequences[2].title == post.consequences[2].title
    paragraphs = {
        rv.line_of("consequences", 3, "benefits", rev=before, last=True),
        rv.line_of("consequences", 3, "ramifications", rev=before, last=True),
    }
    assert rv.changed_lines(before, sha) == paragraphs


def test_a_line_comment_on_a_prediction_changes_when_and_why_but_never_the_event(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    line = rv.line_of("predictions", 2, "prediction")
    # the model tries to rename the configured event; the event is kept
    rv.llm.queue(
        Reply.json(
            {"event": "Something else", "when": "March 2041", "rationale": para("slower timelines")}
        )
    )

    result = rv.run(rv.line_comment("/summary be more cautious", line=line))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    p = rv.post().predictions[1]
    assert (p.event, p.when, p.rationale) == (
        post.predictions[1].event,
        "March 2041",
        para("slower timelines"),
    )
    assert rv.changed_lines(before, sha) <= rv.lines_of("predictions", 2, rev=before)
    assert rv.post().predictions[0].value() == post.predictions[0].value()
    # the revised forecast is on the chart committed with it
    chart = git(rv.action.origin, "show", f"{sha}:{CHART}")
    assert "latest March 2041 (2025-04-16)" in chart


def test_trending_lines_can_be_dropped_or_rewritten_on_request_but_not_regenerated(
    revisions: Revisions,
) -> None:
    rv = revisions
    start, post = rv.head(), rv.post()

    # regenerate: refused with a reason, before any model call
    calls = rv.llm_requests()
    refused = rv.line_comment("/summary regenerate", line=rv.line_of("trending", 1, "line"))
    assert rv.run(refused).code == 0
    assert rv.llm_requests() == calls and rv.head() == start
    assert "nothing to regenerate" in rv.thread_replies(refused["comment"]["id"])[0]
    assert rv.reactions(refused["comment"]["id"]) == ["eyes", "confused"]

    # an instruction rewrites the line
    rv.llm.queue(Reply.json({"title": "AI agents spend most tokens re-reading context"}))
    result = rv.run(
        rv.line_comment("/summary shorten this title", line=rv.line_of("trending", 1, "line"))
    )
    assert result.code == 0, result.log
    sha = one_new_commit(rv, start)
    assert rv.post().trending_titles[0] == "AI agents spend most tokens re-reading context"
    assert rv.changed_lines(start, sha) == {rv.line_of("trending", 1, "line", rev=start)}

    # drop removes exactly that line, with no model call
    calls = rv.llm_requests()
    result = rv.run(rv.line_comment("/summary drop", line=rv.line_of("trending", 2, "line")))
    assert result.code == 0, result.log
    dropped = one_new_commit(rv, sha)
    assert rv.llm_requests() == calls
    assert rv.post().trending_titles == [
        "AI agents spend most tokens re-reading context",
        post.trending_titles[2],
    ]
    assert rv.changed_lines(sha, dropped) == {rv.line_of("trending", 2, "line", rev=sha)}
    meta = decode_metadata(rv.pr["body"])
    assert [c["title"] for c in meta["trending"]] == [
        post.trending_titles[0],
        post.trending_titles[2],
    ]


# -- conversation commands --------------------------------------------------------------------


def test_regenerate_n_writes_item_n_afresh(revisions: Revisions) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    title = post.consequences[0].title
    rv.llm.queue(
        Reply.json(
            {"benefits": para("fresh benefits"), "ramifications": para("fresh risks")}, match=title
        )
    )

    result = rv.run(rv.conversation("/summary regenerate 1"))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert (after.consequences[0].benefits, after.consequences[0].ramifications) == (
        para("fresh benefits"),
        para("fresh risks"),
    )
    assert rv.changed_lines(before, sha) <= rv.lines_of("consequences", 1, rev=before)
    assert [c.fields() for c in after.consequences[1:]] == [
        c.fields() for c in post.consequences[1:]
    ]


def test_regenerate_without_a_number_rewrites_every_item_and_prediction_but_no_title(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    for i, c in enumerate(post.consequences):
        rv.llm.queue(
            Reply.json(
                {"benefits": para(f"item {i} gains"), "ramifications": para(f"item {i} risks")},
                match=f"Title: {c.title}",
            )
        )

    event = rv.conversation("/summary regenerate")
    result = rv.run(event)

    assert result.code == 0, result.log
    one_new_commit(rv, before)
    after = rv.post()
    assert [(c.title, c.benefits, c.ramifications) for c in after.consequences] == [
        (c.title, para(f"item {i} gains"), para(f"item {i} risks"))
        for i, c in enumerate(post.consequences)
    ]
    assert [p.event for p in after.predictions] == [p.event for p in post.predictions]
    assert [p.rationale for p in after.predictions] != [p.rationale for p in post.predictions]
    assert after.front_matter == post.front_matter and after.trending_titles == post.trending_titles
    # the reply is on the conversation, with the total
    [reply] = rv.replies_to(event["comment"]["id"])
    assert f"{len(post.consequences) + len(post.predictions)} model calls" in reply


def test_drop_n_removes_the_item_renumbers_and_refreshes_the_pr_body(revisions: Revisions) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    gone = post.consequences[1].title
    calls = rv.llm_requests()

    result = rv.run(rv.conversation("/summary drop 2"))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    assert rv.llm_requests() == calls  # dropping needs no model
    after = rv.post()
    assert [c.title for c in after.consequences] == [
        c.title for i, c in enumerate(post.consequences) if i != 1
    ]
    # exactly: item 2's lines removed, the later items' number lines renumbered
    old = rv.text(before).splitlines()
    item2 = rv.lines_of("consequences", 2, rev=before)
    expected = [
        re.sub(r"^(\d+)\. \*\*", lambda m: f"{int(m[1]) - 1}. **", ln) if n > max(item2) else ln
        for n, ln in enumerate(old, 1)
        if n not in item2
    ]
    assert rv.text(sha).splitlines() == expected
    # the PR body lists the remaining items, and remembers the dropped one
    body = rv.pr["body"]
    meta = decode_metadata(body)
    assert gone not in [c["title"] for c in meta["items"]] and gone in [
        c["title"] for c in meta["removed"]
    ]
    listed = body.split("### Possible consequences of current developments")[1].split("###")[0]
    assert md(gone) not in listed
    assert len(re.findall(r"^\d+\. \[", listed, re.M)) == len(post.consequences) - 1


def test_replace_n_swaps_in_the_next_runner_up_until_none_is_left(revisions: Revisions) -> None:
    rv = revisions
    before = rv.head()
    meta = decode_metadata(rv.pr["body"])
    runner_up = meta["runners_up"][0]
    rv.llm.queue(
        Reply.json(
            {"benefits": para("runner-up gains"), "ramifications": para("runner-up risks")},
            match=runner_up["title"],
        )
    )

    result = rv.run(rv.conversation("/summary replace 3"))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert after.consequences[2].fields() == {
        "title": runner_up["title"],
        "benefits": para("runner-up gains"),
        "ramifications": para("runner-up risks"),
    }
    assert rv.changed_lines(before, sha) <= rv.lines_of("consequences", 3, rev=before)
    meta = decode_metadata(rv.pr["body"])
    assert meta["items"][2]["url"] == runner_up["url"]
    assert runner_up["url"] in rv.pr["body"].split("### Currently trending topics")[0]

    # every runner-up used: a helpful refusal, no model call, no commit
    for _ in meta["runners_up"]:
        assert rv.run(rv.conversation("/summary replace 1")).code == 0
    head, calls = rv.head(), rv.llm_requests()
    event = rv.conversation("/summary replace 1")
    assert rv.run(event).code == 0
    assert rv.head() == head and rv.llm_requests() == calls
    assert "no runner-up discussions left" in rv.replies_to(event["comment"]["id"])[0]


def test_an_instruction_in_the_conversation_applies_to_the_whole_body_only(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()

    result = rv.run(rv.conversation("/summary use a calmer, more skeptical tone"))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    after = rv.post()
    for old, new in zip(post.consequences, after.consequences, strict=True):
        assert (
            new.title == old.title
            and new.benefits != old.benefits
            and new.ramifications != old.ramifications
        )
    for old, new in zip(post.predictions, after.predictions, strict=True):
        assert new.event == old.event and new.rationale != old.rationale
    assert after.front_matter == post.front_matter and after.notice == post.notice
    assert after.trending_titles == post.trending_titles
    # only paragraph lines and prediction lines changed: no title, marker, heading or front matter
    paragraphs = {
        rv.line_of("consequences", n, f, rev=before, last=True)
        for n in range(1, len(post.consequences) + 1)
        for f in ("benefits", "ramifications")
    }
    predictions = set().union(
        *(rv.lines_of("predictions", n, rev=before) for n in range(1, len(post.predictions) + 1))
    )
    assert paragraphs <= rv.changed_lines(before, sha) <= paragraphs | predictions
    # every request to the model carried the instruction, and none carried the front matter
    bodies = rv.llm.chat_bodies()[-(len(post.consequences) + len(post.predictions)) :]
    assert all("calmer, more skeptical tone" in b["messages"][1]["content"] for b in bodies)
    assert not any("tags:" in m["content"] for b in bodies for m in b["messages"])


def test_help_lists_the_commands_without_a_model_call_or_commit(revisions: Revisions) -> None:
    rv = revisions
    head, calls = rv.head(), rv.llm_requests()
    event = rv.conversation("/summary help")

    result = rv.run(event)

    assert result.code == 0 and result.outputs["pull-request-operation"] == "unchanged"
    assert rv.head() == head and rv.llm_requests() == calls
    [reply] = rv.replies_to(event["comment"]["id"])
    for command in (
        "`/summary regenerate [N]`",
        "`/summary drop [N]`",
        "`/summary replace [N]`",
        "`/summary help`",
    ):
        assert command in reply
    assert rv.reactions(event["comment"]["id"]) == ["eyes", "rocket"]


def test_malformed_commands_get_a_helpful_reply_and_change_nothing(revisions: Revisions) -> None:
    rv = revisions
    head, calls = rv.head(), rv.llm_requests()
    front_matter_line = 3
    cases = [
        (rv.conversation("/summary drop x"), "`drop` takes an item number, like `/summary drop 2`"),
        (rv.conversation("/summary drop 9"), "there is no item 9: the post has 4 items (1 to 4)"),
        (
            rv.line_comment("/summary rewrite this", line=front_matter_line),
            "Line 3 is not on an item, a trending line or a prediction",
        ),
        (
            rv.line_comment("/summary fix", line=1, path="hugo.toml"),
            "Line comments work on the post",
        ),
    ]
    for event, says in cases:
        result = rv.run(event)
        assert result.code == 0, result.log
        cid = event["comment"]["id"]
        [reply] = rv.replies_to(cid)
        assert says in reply
        assert rv.reactions(cid) == ["eyes", "confused"]
    assert rv.head() == head and rv.llm_requests() == calls


def test_a_conversation_command_is_not_done_twice_when_the_run_is_repeated(
    revisions: Revisions,
) -> None:
    rv = revisions
    before = rv.head()
    event = rv.conversation("/summary drop 4")
    assert rv.run(event).code == 0
    one_new_commit(rv, before)
    again = rv.run(event)  # "Re-run jobs" replays the same payload
    assert again.code == 0 and "already answered" in again.log
    assert len(rv.commits_since(before)) == 1 and len(rv.replies_to(event["comment"]["id"])) == 1


# -- reviews: one commit for many comments, each comment handled once ---------------------------


def test_a_review_with_three_line_comments_is_one_commit_and_each_comment_is_handled_once(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    targets = [
        ("consequences", 1, "benefits"),
        ("consequences", 2, "ramifications"),
        ("consequences", 4, "benefits"),
    ]
    lines = [rv.line_of(s, n, f, last=True) for s, n, f in targets]
    for (_, n, _), topic in zip(targets, ("a", "b", "c"), strict=True):
        rv.llm.queue(
            Reply.json({"text": para(f"topic {topic}")}, match=post.consequences[n - 1].title)
        )
    review, comment_events = rv.review(
        [(ln, f"/summary tighten this ({i})") for i, ln in enumerate(lines)],
        body="Looks good overall.",
    )

    # GitHub sends the review event and one event per line comment; the order varies
    results = (
        [rv.run(e) for e in comment_events[:2]] + [rv.run(review)] + [rv.run(comment_events[2])]
    )

    assert all(r.code == 0 for r in results), [r.log for r in results]
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert after.consequences[0].benefits == para("topic a")
    assert after.consequences[1].ramifications == para("topic b")
    assert after.consequences[3].benefits == para("topic c")
    assert rv.changed_lines(before, sha) == set(lines)
    for e in comment_events:
        cid = e["comment"]["id"]
        [reply] = rv.thread_replies(cid)
        assert sha in reply
        assert rv.reactions(cid) == ["eyes", "rocket"]
    # the first event to run handled the whole review; the other three found it answered
    assert "already answered" not in results[0].log
    assert sum("its commands were already answered" in r.log for r in results[1:]) == 3


def test_when_only_one_of_a_reviews_events_runs_it_handles_the_whole_review(revisions: Revisions) -> None:
    """GitHub keeps only the newest pending run of a concurrency group: the review event and
    all but one line-comment event may never run. Any single event handles the whole review."""
    rv = revisions
    before, post = rv.head(), rv.post()
    lines = [
        rv.line_of("consequences", 1, "benefits", last=True),
        rv.line_of("consequences", 2, "benefits", last=True),
    ]
    rv.llm.queue(
        Reply.json({"text": para("one")}, match=post.consequences[0].title),
        Reply.json({"text": para("two")}, match=post.consequences[1].title),
    )
    _review, comment_events = rv.review([(lines[0], "/summary one"), (lines[1], "/summary two")])

    result = rv.run(comment_events[1])  # the only survivor

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert after.consequences[0].benefits == para("one") and after.consequences[1].benefits == para("two")
    assert rv.changed_lines(before, sha) == set(lines)


def test_a_single_comment_review_is_handled_once_whichever_event_runs_first(revisions: Revisions) -> None:
    rv = revisions
    before = rv.head()
    line = rv.line_of("consequences", 1, "ramifications", last=True)
    rv.llm.queue(Reply.json({"text": para("single")}))
    review, [comment] = rv.review([(line, "/summary shorter")])

    first, second = rv.run(review), rv.run(comment)

    assert first.code == second.code == 0
    assert "already answered" in second.log
    one_new_commit(rv, before)
    assert rv.post().consequences[0].ramifications == para("single")


def test_a_command_in_the_review_body_joins_the_reviews_single_commit(revisions: Revisions) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    lines = [
        rv.line_of("consequences", 1, "ramifications", last=True),
        rv.line_of("consequences", 2, "benefits", last=True),
    ]
    rv.llm.queue(
        Reply.json({"text": para("first")}, match=post.consequences[0].title),
        Reply.json({"text": para("second")}, match=post.consequences[1].title),
    )
    review, comment_events = rv.review(
        [(lines[0], "/summary first"), (lines[1], "/summary second")], body="/summary drop 4"
    )

    results = [rv.run(review)] + [rv.run(e) for e in comment_events]

    assert all(r.code == 0 for r in results), [r.log for r in results]
    sha = one_new_commit(rv, before)
    after = rv.post()
    assert [c.title for c in after.consequences] == [c.title for c in post.consequences[:3]]
    assert after.consequences[0].ramifications == para("first")
    assert after.consequences[1].benefits == para("second")
    # the review body's answer is on the conversation (a review body takes no reactions)
    [answer] = rv.replies_to(review["review"]["id"])
    assert f"removed item 4 (“{post.consequences[3].title}”)" in answer and sha in answer
    assert all(sha in rv.thread_replies(e["comment"]["id"])[0] for e in comment_events)


def test_a_pushed_revision_is_reported_done_even_if_the_pr_body_cannot_be_refreshed(
    revisions: Revisions,
) -> None:
    rv = revisions
    before, body = rv.head(), rv.pr["body"]
    rv.github.fail("pulls/update", 502, "Server Error")
    event = rv.conversation("/summary drop 1")

    result = rv.run(event)

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    assert "could not refresh the PR body" in result.log and rv.pr["body"] == body
    assert sha in rv.replies_to(event["comment"]["id"])[0]
    assert rv.reactions(event["comment"]["id"]) == ["eyes", "rocket"]


def test_revisions_commit_as_the_identity_the_blog_configured(revisions_no_pr: Revisions) -> None:
    rv = revisions_no_pr
    config = rv.action.workspace / ".github" / "daily-ai-summary.yml"
    config.write_text(
        config.read_text()
        + "commit:\n  author-name: Blog Bot\n  author-email: blog-bot@example.org\n"
    )
    rv.open_pr()
    before = rv.head()

    result = rv.run(rv.conversation("/summary drop 1"))

    assert result.code == 0, result.log
    sha = one_new_commit(rv, before)
    assert rv.action.commits(f"{before}..{sha}")[0].split()[1] == "blog-bot@example.org"


# -- who may steer -----------------------------------------------------------------------------


def test_nobody_without_write_access_no_bot_and_no_ordinary_comment_gets_a_model_call(
    revisions: Revisions,
) -> None:
    rv = revisions
    rv.github.set_permission("reader", "read")
    rv.github.set_permission("triager", "triage")
    head, calls, written = rv.head(), rv.llm_requests(), rv.bot_output()
    line = rv.line_of("consequences", 1, "benefits", last=True)
    events = [
        rv.line_comment("/summary make it better", line=line, user="reader"),
        rv.conversation("/summary drop 1", user="triager"),
        rv.conversation("/summary drop 1", user="stranger"),
        rv.conversation("/summary drop 1", user="renovate[bot]", bot=True),
        rv.line_comment("/summary drop", line=line, user="helper-app", bot=True),
        rv.conversation("Looks good, but /summary drop 1 maybe?"),
        rv.line_comment("nice paragraph", line=line),
    ]
    for event in events:
        result = rv.run(event)
        assert result.code == 0, result.log
        assert "Nothing to do" in result.log
        assert result.outputs["pull-request-operation"] == "none"
    assert rv.head() == head and rv.llm_requests() == calls
    assert rv.bot_output() == written  # no comment, no reply, no reaction


def test_a_pr_that_is_not_ours_is_left_alone(revisions: Revisions) -> None:
    rv = revisions
    rv.pr["labels"].clear()
    head, calls, written = rv.head(), rv.llm_requests(), rv.bot_output()
    result = rv.run(rv.conversation("/summary drop 1"))
    assert result.code == 0 and "does not carry the label daily-summary" in result.log
    assert rv.head() == head and rv.llm_requests() == calls and rv.bot_output() == written


# -- outdated comments, human edits, races -------------------------------------------------------


def test_an_outdated_comment_is_reported_and_changes_nothing(revisions: Revisions) -> None:
    rv = revisions
    post = rv.post()
    calls = rv.llm_requests()
    line = rv.line_of("consequences", 2, "benefits", last=True)

    # line: null - GitHub could not place the comment on the current diff
    nulled = rv.line_comment("/summary shorter", line=line, outdated=True)
    # a comment written on the old version, after which someone rewrote that same paragraph
    stale = rv.line_comment("/summary shorter", line=line)
    human = rv.push_edit(post.consequences[1].benefits, para("a person's own words"))

    for event in (nulled, stale):
        result = rv.run(event)
        assert result.code == 0, result.log
        [reply] = rv.replies_to(event["comment"]["id"])
        assert "could not locate the part this comment is on" in reply
        assert rv.reactions(event["comment"]["id"]) == ["eyes", "confused"]
    assert rv.head() == human and rv.llm_requests() == calls


def test_a_human_edit_elsewhere_is_kept_and_the_old_line_still_finds_its_paragraph(
    revisions: Revisions,
) -> None:
    rv = revisions
    post = rv.post()
    line = rv.line_of("consequences", 3, "ramifications", last=True)
    event = rv.line_comment(
        "/summary mention the maintenance cost", line=line
    )  # on the bot's version
    # then a person edits the notice and item 1, adding a line above the commented paragraph
    rv.push_edit(post.consequences[0].benefits, "A person's note.\n     " + para("human words"))
    human = rv.push_edit("does not reflect the views", "does NOT reflect the views")
    rv.llm.queue(Reply.json({"text": para("maintenance")}))

    result = rv.run(event)

    assert result.code == 0, result.log
    sha = one_new_commit(rv, human)
    text = rv.text()
    assert "does NOT reflect the views" in text and "A person's note." in text
    assert rv.post().consequences[2].ramifications == para("maintenance")
    assert rv.changed_lines(human, sha) == {
        rv.line_of("consequences", 3, "ramifications", rev=human, last=True)
    }


def test_two_revisions_at_the_same_time_are_both_kept(revisions: Revisions) -> None:
    rv = revisions
    before, post = rv.head(), rv.post()
    first = rv.line_comment(
        "/summary one", line=rv.line_of("consequences", 1, "benefits", last=True)
    )
    second = rv.line_comment(
        "/summary two", line=rv.line_of("consequences", 2, "ramifications", last=True)
    )
    # both runs fetch the same head, then wait (3s, far longer than a process start) for the
    # model, then push: one push must lose
    rv.llm.queue(
        Reply.json({"text": para("first change")}, match=post.consequences[0].title, delay=3.0),
        Reply.json({"text": para("second change")}, match=post.consequences[1].title, delay=3.0),
    )
    runs = [
        rv.start(first, workspace=rv.clone("ws-a")),
        rv.start(second, workspace=rv.clone("ws-b")),
    ]
    results = [rv.finish(r) for r in runs]

    assert [r.code for r in results] == [0, 0], [r.log for r in results]
    assert len(rv.commits_since(before)) == 2
    after = rv.post()
    assert after.consequences[0].benefits == para("first change")
    assert after.consequences[1].ramifications == para("second change")
    assert sum("push rejected" in r.log for r in results) == 1
    assert rv.changed_lines(before, rv.head()) == {
        rv.line_of("consequences", 1, "benefits", rev=before, last=True),
        rv.line_of("consequences", 2, "ramifications", rev=before, last=True),
    }
    # each run asked the model once: the loser re-applied its answer, it did not ask again
    assert (
        sum("Reviewer's request" in b["messages"][1]["content"] for b in rv.llm.chat_bodies()) == 2
    )


def test_a_push_race_reapplies_the_same_change_on_the_new_head_without_asking_again(
    revisions: Revisions,
) -> None:
    rv = revisions
    post = rv.post()
    event = rv.line_comment(
        "/summary calmer", line=rv.line_of("consequences", 4, "benefits", last=True)
    )
    rv.llm.queue(Reply.json({"text": para("calm")}, delay=2.0))
    calls = rv.llm_requests()
    pushed: list[str] = []

    def meanwhile() -> None:  # a person pushes while the model is writing
        time.sleep(0.7)
        pushed.append(rv.push_edit(post.consequences[0].ramifications, para("edited meanwhile")))

    racer = threading.Thread(target=meanwhile)
    racer.start()
    result = rv.run(event)
    racer.join()

    assert result.code == 0, result.log
    assert "push rejected (non-fast-forward)" in result.log
    sha = one_new_commit(rv, pushed[0])
    assert rv.llm_requests() == calls + 1
    after = rv.post()
    assert after.consequences[0].ramifications == para("edited meanwhile")
    assert after.consequences[3].benefits == para("calm")
    assert rv.changed_lines(pushed[0], sha) == {
        rv.line_of("consequences", 4, "benefits", rev=pushed[0], last=True)
    }
    assert parse(rv.text()).front_matter == post.front_matter
