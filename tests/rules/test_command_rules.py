"""The ``/summary`` grammar at its edges, and how requests are applied: what a reviewer types and
what the post becomes."""

from __future__ import annotations

import pytest

from daily_ai_summary.post import Post, line_map, parse
from daily_ai_summary.revise.commands import (
    MAX_INSTRUCTION_CHARS,
    Change,
    Conflict,
    Drop,
    Help,
    Instruct,
    Invalid,
    Refusal,
    Regenerate,
    Replace,
    Target,
    Task,
    apply,
    apply_groups,
    help_text,
    parse_command,
    resolve,
    target,
    target_at_line,
    unused_runner_up,
)
from tests.revise.test_commands import para, sample_text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/summary help", Help()),
        ("/summary help me", Help()),  # help and one word is still help
        ("/summary HELP", Help()),
        ("/summary", Help()),
        ("/summary   \n ", Help()),
        ("/summary help me please", Instruct("help me please")),  # more is an instruction
        ("/summary helpful tone", Instruct("helpful tone")),
    ],
)
def test_help_is_the_keyword_alone_or_with_one_word(body: str, expected: object) -> None:
    assert parse_command(body, "/summary") == expected


def test_an_instruction_of_exactly_the_maximum_length_is_accepted_and_one_more_is_refused() -> None:
    words = "tighten this " * MAX_INSTRUCTION_CHARS
    at_limit = words[:MAX_INSTRUCTION_CHARS].strip()
    at_limit = at_limit + "x" * (MAX_INSTRUCTION_CHARS - len(at_limit))
    assert len(at_limit) == MAX_INSTRUCTION_CHARS
    assert parse_command(f"/summary {at_limit}", "/summary") == Instruct(at_limit)
    over = parse_command(f"/summary {at_limit}y", "/summary")
    assert isinstance(over, Invalid)
    assert over.reason == (
        f"the instruction is too long ({MAX_INSTRUCTION_CHARS + 1} characters; "
        f"at most {MAX_INSTRUCTION_CHARS})"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/summary drop 9999", Drop(9999)),
        ("/summary drop 1)", Drop(1)),
        ("/summary replace #12", Replace(12)),
    ],
)
def test_item_numbers_are_one_to_four_digits_with_optional_hash_or_dot(
    body: str, expected: object
) -> None:
    assert parse_command(body, "/summary") == expected


@pytest.mark.parametrize("word", ["10000", "0", "#0", "1a", "-1", "`x`"])
def test_anything_else_after_a_keyword_is_a_mistake_that_names_what_was_given(word: str) -> None:
    result = parse_command(f"/summary drop {word}", "/summary")
    assert isinstance(result, Invalid)
    shown = word.replace("`", "'")
    assert result.reason == f"`drop` takes an item number, like `/summary drop 2` (got `{shown}`)"


def test_the_help_reply_is_exactly_the_command_list() -> None:
    assert help_text("/summary") == (
        "Commands (people with write access; start the comment with the prefix):\n"
        "\n"
        "- a line comment on the post: `/summary <instruction>` rewrites the paragraph, item, "
        "trending line or prediction under the line\n"
        "- `/summary regenerate [N]`: write item N afresh, or the part under a line comment, or "
        "the whole post\n"
        "- `/summary drop [N]`: remove item N (or what is under a line comment) and renumber\n"
        "- `/summary replace [N]`: swap item N (or the item under a line comment) for the "
        "next-best discussion\n"
        "- `/summary <instruction>` in the conversation: applies to every item's paragraphs and "
        "the predictions\n"
        "- `/summary help`: this list\n"
        "\n"
        "The front matter and the titles of the discussions are never rewritten by the model."
    )


def test_an_empty_comment_body_asks_for_help() -> None:
    assert parse_command(None, "/summary") == Help()  # type: ignore[arg-type]
    assert parse_command("", "/summary") == Help()


def test_a_mistaken_word_is_quoted_back_at_most_40_characters_long() -> None:
    word = "x" * 39 + "yz" + "`" * 5
    result = parse_command(f"/summary drop {word}", "/summary")
    assert isinstance(result, Invalid)
    assert result.reason.endswith(f"(got `{'x' * 39}y`)")


def test_a_runner_up_already_in_the_post_by_title_or_link_is_skipped() -> None:
    meta = {
        "items": [{"title": "Shown item", "url": ""}, {"title": "Linked", "url": "https://x/l"}],
        "trending": [{"title": "Shown trend"}],
        "runners_up": [
            {"title": "Shown item", "url": "https://x/new"},  # same title
            {"title": "Shown trend", "url": "https://x/t2"},  # same title as a trending line
            {"title": "Other title", "url": "https://x/l"},  # same link
            {"title": "Fresh", "url": ""},
        ],
    }
    assert unused_runner_up(meta) == {"title": "Fresh", "url": ""}
    assert unused_runner_up({"runners_up": [{"title": "Only"}]}) == {"title": "Only"}
    assert (
        unused_runner_up({"items": [{"title": "Only"}], "runners_up": [{"title": "Only"}]}) is None
    )


def test_the_help_text_names_every_command_with_the_prefix_in_use() -> None:
    text = help_text("!blog")
    for command in ("!blog regenerate [N]", "!blog drop [N]", "!blog replace [N]", "!blog help"):
        assert f"`{command}`" in text
    assert "/summary" not in text


def test_summary_replace_as_a_line_comment_swaps_the_item_under_the_line() -> None:
    post = parse(sample_text())
    spans = {(s.section, s.index, s.field): s for s in line_map(post)}
    for fld in ("benefits", "ramifications"):
        at = target_at_line(post, spans["consequences", 1, fld].start)
        task = resolve(parse_command("/summary replace", "/summary"), post, at=at)
        assert task == Task("replace", (target(post, "consequences", 1, "item"),))
    # a number in the comment wins over the line
    at = target_at_line(post, spans["consequences", 1, "benefits"].start)
    task = resolve(parse_command("/summary replace 3", "/summary"), post, at=at)
    assert task == Task("replace", (target(post, "consequences", 2, "item"),))
    # with no line and no number, the reviewer is told how to say it
    refusal = resolve(parse_command("/summary replace", "/summary"), post)
    assert isinstance(refusal, Refusal) and "`replace` needs an item number here" in refusal.reason


def test_a_conflicting_group_does_not_drop_the_groups_after_it() -> None:
    text = sample_text()
    post = parse(text)
    first = [Change("set", target(post, "consequences", 0, "benefits"), {"benefits": para("one")})]
    stale = target(post, "consequences", 1, "ramifications")
    conflicting = [
        Change(
            "set",
            stale.__class__(**{**stale.__dict__, "expected": ("not what is there",)}),
            {"ramifications": para("never")},
        )
    ]
    third = [
        Change("set", target(post, "consequences", 2, "benefits"), {"benefits": para("three")})
    ]
    fourth = [Change("drop", target(post, "trending", 0, "line"))]
    new, failed = apply_groups(text, [first, conflicting, third, fourth])
    assert failed == [1]
    after = parse(new)
    assert after.consequences[0].benefits == para("one")
    assert after.consequences[1].ramifications == para("risk 2")
    assert after.consequences[2].benefits == para("three")
    assert [t.title for t in after.trending] == ["Trend two"]


def test_groups_after_several_conflicts_are_all_applied() -> None:
    text = sample_text()
    post = parse(text)
    gone = target(post, "consequences", 0, "item")
    moved = gone.__class__(**{**gone.__dict__, "key": "No such item"})
    ok = [Change("drop", target(post, "predictions", 1, "prediction"))]
    new, failed = apply_groups(text, [[Change("drop", moved)], [Change("drop", moved)], ok])
    assert failed == [0, 1]
    assert [p.event for p in parse(new).predictions] == ["Artificial General Intelligence"]


def test_a_line_comment_drop_on_a_paragraph_drops_the_whole_item() -> None:
    post = parse(sample_text())
    spans = {(s.section, s.index, s.field): s for s in line_map(post)}
    at = target_at_line(post, spans["consequences", 0, "ramifications"].end)
    assert resolve(Drop(), post, at=at) == Task("drop", (target(post, "consequences", 0, "item"),))


def test_each_line_of_an_element_names_its_part_and_says_so_in_words() -> None:
    post = parse(sample_text(items=2))
    named = {}
    for span in line_map(post):
        if span.section in ("consequences", "trending", "predictions"):
            t = target_at_line(post, span.start)
            assert t is not None
            named[span.section, span.index, span.field] = (t.field, t.describe())
    assert named["consequences", 1, "benefits"] == ("benefits", "the benefits of item 2")
    assert named["consequences", 1, "ramifications"] == (
        "ramifications",
        "the ramifications of item 2",
    )
    assert named["consequences", 0, "title"] == ("item", "item 1")
    assert named["trending", 1, "line"] == ("line", "trending line 2")
    assert named["predictions", 0, "prediction"] == ("prediction", "prediction 1")


def test_a_change_whose_part_changed_since_is_a_conflict_naming_that_part() -> None:
    post = parse(sample_text())
    stale = target(post, "consequences", 1, "ramifications")
    stale = stale.__class__(**{**stale.__dict__, "expected": ("old text",)})
    with pytest.raises(Conflict) as raised:
        apply(post, Change("set", stale, {"ramifications": para("new")}))
    assert str(raised.value) == "the ramifications of item 2 changed since the comment was written"
    assert raised.value.target == stale


def test_a_missing_item_number_is_refused_with_the_help_and_the_items_there_are() -> None:
    post = parse(sample_text(items=1))
    for command in (Drop(), Replace()):
        refusal = resolve(command, post)
        assert isinstance(refusal, Refusal) and refusal.help is True
    refusal = resolve(Drop(2), post)
    assert isinstance(refusal, Refusal)
    assert refusal.reason == "there is no item 2: the post has 1 item (1 to 1)."
    refusal = resolve(Replace(5), parse(sample_text(items=2)))
    assert isinstance(refusal, Refusal)
    assert refusal.reason == "there is no item 5: the post has 2 items (1 to 2)."


def _all(post: Post) -> tuple[Target, ...]:
    items = [target(post, "consequences", i, "item") for i in range(len(post.consequences))]
    preds = [target(post, "predictions", i, "prediction") for i in range(len(post.predictions))]
    return (*items, *preds)


def test_a_conversation_instruction_or_regenerate_covers_every_item_and_prediction() -> None:
    post = parse(sample_text())
    every = _all(post)
    assert len(every) == 5 and [t.key for t in every][-2:] == [
        "Artificial General Intelligence",
        "Technological Singularity",
    ]
    assert resolve(Instruct("be concrete"), post) == Task("rewrite", every, "be concrete")
    assert resolve(Regenerate(), post) == Task("regenerate", every)


def test_regenerate_with_a_number_or_on_a_line_writes_only_that_part_afresh() -> None:
    post = parse(sample_text())
    spans = {(s.section, s.index, s.field): s for s in line_map(post)}
    assert resolve(Regenerate(2), post) == Task(
        "regenerate", (target(post, "consequences", 1, "item"),)
    )
    at = target_at_line(post, spans["consequences", 0, "benefits"].start)
    assert resolve(Regenerate(), post, at=at) == Task("regenerate", (at,))
    pred = target_at_line(post, spans["predictions", 1, "prediction"].start)
    assert resolve(Regenerate(), post, at=pred) == Task("regenerate", (pred,))
    refusal = resolve(Regenerate(7), post)
    assert isinstance(refusal, Refusal) and refusal.reason.startswith("there is no item 7")


def test_a_mistake_is_refused_as_a_sentence_with_the_help() -> None:
    refusal = resolve(Invalid("`drop` works on one item at a time"), parse(sample_text()))
    assert refusal == Refusal("`drop` works on one item at a time.", help=True)
    refusal = resolve(Invalid("the instruction is too long"), parse(sample_text()))
    assert isinstance(refusal, Refusal) and refusal.reason == "The instruction is too long."


def test_without_a_number_in_the_conversation_the_refusal_shows_the_default_prefix() -> None:
    post = parse(sample_text())
    for command, verb in ((Drop(), "drop"), (Replace(), "replace")):
        refusal = resolve(command, post)
        assert isinstance(refusal, Refusal)
        assert refusal.reason == f"`{verb}` needs an item number here, like `/summary {verb} 2`."


def test_replace_swaps_in_the_new_item_and_trending_line_in_place() -> None:
    text = sample_text()
    post = parse(text)
    new_item = {"title": "Runner-up", "benefits": para("fresh"), "ramifications": para("risk")}
    groups = [
        [Change("replace", target(post, "consequences", 1, "item"), new_item)],
        [Change("replace", target(post, "trending", 0, "line"), {"title": "New trend"})],
    ]
    new, failed = apply_groups(text, groups)
    assert failed == []
    after = parse(new)
    assert [c.title for c in after.consequences] == ["Item title 1", "Runner-up", "Item title 3"]
    assert after.consequences[1].benefits == para("fresh")
    assert after.consequences[1].ramifications == para("risk")
    assert [t.title for t in after.trending] == ["New trend", "Trend two"]
