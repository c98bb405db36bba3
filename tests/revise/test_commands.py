"""The command grammar, what a command is about, and applying changes: pure functions."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_ai_summary.post import line_map, new_post, parse, render
from daily_ai_summary.revise.commands import (
    Change,
    Drop,
    Help,
    Instruct,
    Invalid,
    Refusal,
    Regenerate,
    Replace,
    Task,
    apply_groups,
    find,
    help_text,
    parse_command,
    resolve,
    target,
    target_at_line,
    unused_runner_up,
)

FRONT = 'title: "[Daily Automated AI Summary]"\ndate: 2025-04-16T05:35:33Z\ntags: ["gpt-4o-mini"]\n'
WORDS = "the team measured a clear gain on public benchmarks and shared code so others can check it"


def para(tag: str) -> str:
    return f"{tag.capitalize()} {WORDS}, which matters for {tag} work."


def sample_text(items: int = 3) -> str:
    post = new_post(
        FRONT,
        [(f"Item title {i}", para(f"benefit {i}"), para(f"risk {i}")) for i in range(1, items + 1)],
        ["Trend one", "Trend two"],
        [
            ("Artificial General Intelligence", "May 2035", para("agi")),
            ("Technological Singularity", "June 2040", para("singular")),
        ],
    )
    return render(post)


# -- grammar ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/summary", Help()),
        ("/summary help", Help()),
        ("  /summary   HELP  ", Help()),
        ("/summary regenerate", Regenerate()),
        ("/summary regenerate 3", Regenerate(3)),
        ("/summary regenerate #3", Regenerate(3)),
        ("/summary drop 2", Drop(2)),
        ("/summary Drop 2.", Drop(2)),
        ("/summary drop", Drop()),
        ("/summary replace 1", Replace(1)),
        ("/summary replace", Replace()),
        ("/summary make it shorter", Instruct("make it shorter")),
        # a keyword followed by several words is an instruction, not a malformed command
        (
            "/summary drop the jargon in this paragraph",
            Instruct("drop the jargon in this paragraph"),
        ),
        (
            "/summary be concrete\nand cite the numbers",
            Instruct("be concrete\nand cite the numbers"),
        ),
    ],
)
def test_commands_parse(body: str, expected: object) -> None:
    assert parse_command(body, "/summary") == expected


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("/summary drop x", "`drop` takes an item number, like `/summary drop 2` (got `x`)"),
        ("/summary replace two", "`replace` takes an item number"),
        ("/summary regenerate 0", "`regenerate` takes an item number"),
        ("/summary drop 2 3", "one item at a time"),
        ("/summary " + "x" * 2001, "too long"),
    ],
)
def test_malformed_commands_say_what_is_wrong(body: str, says: str) -> None:
    result = parse_command(body, "/summary")
    assert isinstance(result, Invalid)
    assert says in result.reason


def test_a_custom_prefix_is_used_in_messages_and_help() -> None:
    assert parse_command("!post drop 2", "!post") == Drop(2)
    assert "`!post drop 2`" in parse_command("!post drop x", "!post").reason  # type: ignore[union-attr]
    assert "`!post regenerate [N]`" in help_text("!post")


# -- what a line is on --------------------------------------------------------------------------


def test_a_line_maps_to_the_element_under_it() -> None:
    post = parse(sample_text())
    spans = {(s.section, s.index, s.field): s for s in line_map(post)}
    on = lambda line: target_at_line(post, line)  # noqa: E731

    assert on(1) is None and on(2) is None  # front matter
    assert on(spans["consequences", 0, "title"].start - 3) is None  # the heading
    item2 = on(spans["consequences", 1, "title"].start)
    assert (item2.section, item2.index, item2.field, item2.key) == (
        "consequences",
        1,
        "item",
        "Item title 2",
    )
    marker, paragraph = (
        spans["consequences", 2, "benefits"].start,
        spans["consequences", 2, "benefits"].end,
    )
    assert on(marker).field == on(paragraph).field == "benefits"
    assert on(paragraph).expected == (para("benefit 3"),)
    trend = on(spans["trending", 1, "line"].start)
    assert (trend.section, trend.key) == ("trending", "Trend two")
    pred = on(spans["predictions", 0, "prediction"].end)
    assert (pred.section, pred.key, pred.expected) == (
        "predictions",
        "Artificial General Intelligence",
        ("May 2035", para("agi")),
    )


def test_an_element_is_found_again_by_identity_and_unchanged_value() -> None:
    post = parse(sample_text())
    t = target(post, "consequences", 1, "ramifications")
    assert find(post, t) == 1
    del post.consequences[0]  # the item moved up: still found, at its new place
    assert find(post, t) == 0
    post.consequences[0].benefits = "edited by a person"  # another field changed: still fine
    assert find(post, t) == 0
    post.consequences[0].ramifications = "edited by a person"  # the targeted field changed: gone
    assert find(post, t) is None


# -- resolving commands -----------------------------------------------------------------------


def test_conversation_commands_resolve_to_items() -> None:
    post = parse(sample_text())
    drop = resolve(Drop(2), post)
    assert (
        isinstance(drop, Task)
        and drop.action == "drop"
        and [t.key for t in drop.targets] == ["Item title 2"]
    )
    everything = resolve(Instruct("be brief"), post)
    assert isinstance(everything, Task) and everything.instruction == "be brief"
    # the whole body: every item and prediction, never the trending titles or the front matter
    assert [(t.section, t.field) for t in everything.targets] == [("consequences", "item")] * 3 + [
        ("predictions", "prediction")
    ] * 2
    assert resolve(Help(), post) == Task("help")


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (Drop(9), "there is no item 9: the post has 3 items (1 to 3)"),
        (Replace(0), "there is no item 0"),
        (Regenerate(4), "there is no item 4"),
        (Drop(), "`drop` needs an item number here"),
        (Replace(), "`replace` needs an item number here"),
        (Invalid("`drop` takes an item number"), "`drop` takes an item number."),
    ],
)
def test_impossible_conversation_commands_are_refused_with_a_reason(
    command: object, says: str
) -> None:
    result = resolve(command, parse(sample_text()))  # type: ignore[arg-type]
    assert isinstance(result, Refusal)
    assert says in result.reason


def test_line_commands_apply_to_what_is_under_the_line() -> None:
    post = parse(sample_text())
    spans = {(s.section, s.index, s.field): s for s in line_map(post)}
    benefits = target_at_line(post, spans["consequences", 1, "benefits"].end)
    trend = target_at_line(post, spans["trending", 0, "line"].start)
    pred = target_at_line(post, spans["predictions", 1, "prediction"].start)

    assert resolve(Instruct("shorter"), post, at=benefits) == Task(
        "rewrite", (benefits,), "shorter"
    )
    # drop/replace on a paragraph mean the whole item
    assert [t.field for t in resolve(Drop(), post, at=benefits).targets] == ["item"]  # type: ignore[union-attr]
    assert resolve(Replace(), post, at=trend) == Task("replace", (trend,))
    assert resolve(Drop(), post, at=pred) == Task("drop", (pred,))
    # trending lines are source titles: nothing to regenerate; predictions have no runner-up
    assert "nothing to regenerate" in resolve(Regenerate(), post, at=trend).reason  # type: ignore[union-attr]
    assert "no runner-up" in resolve(Replace(), post, at=pred).reason  # type: ignore[union-attr]
    # a number wins over the line
    assert [t.key for t in resolve(Drop(3), post, at=benefits).targets] == ["Item title 3"]  # type: ignore[union-attr]


def test_the_last_item_cannot_be_dropped() -> None:
    result = resolve(Drop(1), parse(sample_text(items=1)))
    assert isinstance(result, Refusal) and "only item" in result.reason


# -- applying changes -------------------------------------------------------------------------


def changed_old_lines(old: str, new: str) -> set[int]:
    a, b = old.splitlines(), new.splitlines()
    out: set[int] = set()
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            out.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return out


def test_a_dropped_item_is_removed_and_the_rest_renumbered() -> None:
    text = sample_text()
    post = parse(text)
    new, failed = apply_groups(text, [[Change("drop", target(post, "consequences", 0, "item"))]])
    assert failed == []
    after = parse(new)
    assert [c.title for c in after.consequences] == ["Item title 2", "Item title 3"]
    assert "1. **Item title 2**" in new and "2. **Item title 3**" in new
    # nothing else moved: the text is the old one without item 1, with new numbers
    item1 = {
        n
        for s in line_map(post)
        if (s.section, s.index) == ("consequences", 0)
        for n in range(s.start, s.end + 1)
    }
    kept = [ln for n, ln in enumerate(text.splitlines(), 1) if n not in item1]
    assert new.splitlines() == [
        ln.replace("2. **Item", "1. **Item").replace("3. **Item", "2. **Item") for ln in kept
    ]


def test_groups_apply_atomically_and_a_conflicting_group_is_left_out() -> None:
    text = sample_text()
    post = parse(text)
    ok = [Change("set", target(post, "consequences", 0, "benefits"), {"benefits": para("fresh")})]
    stale_target = target(post, "consequences", 1, "ramifications")
    stale = [
        Change("set", target(post, "consequences", 2, "benefits"), {"benefits": para("other")}),
        Change(
            "set",
            stale_target.__class__(**{**stale_target.__dict__, "expected": ("not what is there",)}),
            {"ramifications": "x"},
        ),
    ]
    new, failed = apply_groups(text, [ok, stale])
    assert failed == [1]
    after = parse(new)
    assert after.consequences[0].benefits == para("fresh")
    assert after.consequences[2].benefits == para("benefit 3")  # the failed group changed nothing


def test_unused_runner_up_skips_what_the_post_already_has() -> None:
    meta = {
        "items": [{"title": "A", "url": "https://x/a"}],
        "trending": [{"title": "T", "url": "https://x/t"}],
        "runners_up": [
            {"title": "A", "url": "https://x/a"},
            {"title": "T2", "url": "https://x/t"},
            {"title": "B", "url": "https://x/b"},
        ],
    }
    assert unused_runner_up(meta) == {"title": "B", "url": "https://x/b"}
    assert unused_runner_up({"items": [], "runners_up": []}) is None


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, 2),
    fld=st.sampled_from(["benefits", "ramifications"]),
    words=st.lists(
        st.sampled_from(["model", "data", "GPU", "cost", "teams", "50%", "[R]", "a_b", "x*y"]),
        min_size=30,
        max_size=60,
    ),
)
def test_a_paragraph_change_touches_only_that_paragraphs_lines(
    index: int, fld: str, words: list[str]
) -> None:
    text = sample_text()
    post = parse(text)
    t = target(post, "consequences", index, fld)  # type: ignore[arg-type]
    new, failed = apply_groups(text, [[Change("set", t, {fld: " ".join(words)})]])
    assert failed == []
    span = next(
        s for s in line_map(post) if (s.section, s.index, s.field) == ("consequences", index, fld)
    )
    assert changed_old_lines(text, new) <= set(range(span.start, span.end + 1))
    assert getattr(parse(new).consequences[index], fld) == " ".join(words)
