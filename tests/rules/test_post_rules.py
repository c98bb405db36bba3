"""The post model's rules, each stated on a post's text: what a blog's posts may look like and
still be read, what a reviewer's edit changes (and what it leaves byte for byte), which line a
review comment is on, and the one line a broken post gets. The posts here are written for
these tests: the drifted shapes the reference blog shows (``../shared/corpus``), not its
text."""

from __future__ import annotations

import pytest

from daily_ai_summary.errors import PostFormatError
from daily_ai_summary.i18n import ENGLISH, TABLE, Strings
from daily_ai_summary.post import (
    Consequence,
    Prediction,
    Trending,
    line_map,
    locate,
    new_post,
    parse,
    read_predictions,
    render,
    templated_path,
)

H1, H2, H3 = ENGLISH.headings
FM = "---\ntitle: x\n---\n"

# A drifted item of the 2023 posts: an indented head with a wide dot and trailing spaces, an
# empty marker whose paragraph follows a blank line, and a marker with its text on its line.
OLD_ITEM = (
    "  7.  **Old title**  \n"
    "   - *Benefits:*\n"
    "\n"
    "     Old benefits,\n"
    "     second line.\n"
    "\n"
    "   - *Ramifications:* Old risks.\n"
    "\n"
)
# An item without bold, with `*` markers, no ramifications and a repeated marker with a note.
ODD_ITEM = (
    "8. Plain title\n"
    "   * *Benefits:* Inline benefit.\n"
    "   - *Benefits:* A repeated marker.\n"
    "   a note under it\n"
    "\n"
)


def post_text(
    items: str = OLD_ITEM + ODD_ITEM,
    trending: str = "- one\n- two\n\n",
    predictions: str = "- **AGI** (2040)  \n  Soon.\n",
) -> str:
    return f"{FM}> notice\n\n{H1}\n\n{items}{H2}\n\n{trending}{H3}\n\n{predictions}"


# --- reading the shapes -------------------------------------------------------------------


def test_a_drifted_item_reads_its_title_and_both_paragraphs() -> None:
    old, odd = parse(post_text()).consequences
    assert old.fields() == {
        "title": "Old title",
        "benefits": "Old benefits, second line.",
        "ramifications": "Old risks.",
    }
    assert odd.fields() == {
        "title": "Plain title",
        "benefits": "Inline benefit.",
        "ramifications": "",
    }


def test_every_drifted_post_is_rendered_back_byte_for_byte() -> None:
    text = post_text(trending="• one\n* two\n3. three\n  continued\n\n\n")
    assert render(parse(text)) == text
    crlf = text.replace("\n", "\r\n")
    assert render(parse(crlf)) == crlf


def test_blank_lines_after_an_empty_marker_belong_to_it_only_before_an_indented_paragraph() -> None:
    def benefits(after_marker: str) -> str:
        item = f"1. **T**\n   - *Benefits:*\n\n{after_marker}\n   - *Ramifications:* R\n\n"
        return parse(post_text(items=item)).consequences[0].benefits

    assert benefits("   three spaces") == "three spaces"
    assert benefits("\t\t\ttabs") == "tabs"
    assert benefits("  two spaces") == ""  # not a paragraph of the marker: kept as it was
    assert benefits("    - *Ramifications:* first") == ""  # a marker is never a paragraph


def test_a_paragraph_after_a_blank_line_is_not_part_of_a_marker_with_its_own_text() -> None:
    item = "1. **T**\n   - *Benefits:* Inline.\n\n     Loose paragraph.\n\n"
    post = parse(post_text(items=item))
    assert post.consequences[0].benefits == "Inline."
    post.consequences[0].benefits = "New."
    assert "   - *Benefits:*\n     New.\n\n     Loose paragraph.\n\n" in render(post)


def test_a_repeated_marker_is_kept_verbatim_and_is_not_the_field() -> None:
    post = parse(post_text())
    odd = post.consequences[1]
    odd.benefits = "Rewritten."
    assert (
        "8. Plain title\n"
        "   - *Benefits:*\n     Rewritten.\n"
        "   - *Benefits:* A repeated marker.\n"
        "   a note under it\n"
    ) in render(post)


def test_item_heads_are_numbers_with_a_dot_and_at_most_two_spaces_of_indent() -> None:
    items = "10.\t**Ten**\n\n  11. **Eleven**\n\n   12. not a head\n\n1) not a head\n\n"
    titles = [c.title for c in parse(post_text(items=items)).consequences]
    assert titles == ["Ten", "Eleven"]


def test_a_title_is_the_bold_text_or_the_whole_line_and_is_unescaped() -> None:
    items = "1. **A &lt;b&gt; title**   \n\n2. **half bold** and plain\n\n3.   spaced   \n\n"
    titles = [c.title for c in parse(post_text(items=items)).consequences]
    assert titles == ["A <b> title", "**half bold** and plain", "spaced"]


def test_trending_lines_are_any_bullet_or_number_and_their_continuations_stay_with_them() -> None:
    post = parse(post_text(trending="• one\n* two\n3. three\n  continued\n-not a bullet\n\n"))
    assert post.trending_titles == ["one", "two", "three"]
    post.trending[2].title = "New"
    assert f"* two\n- New\n\n{H3}" in render(post)


def test_the_text_before_the_first_element_of_a_section_is_kept() -> None:
    text = post_text(
        items="An intro line.\n\n" + OLD_ITEM,
        trending="Intro:\n\n- one\n\n",
        predictions="Here is **AGI**:\n\n- **AGI** (2040)  \n  Soon.\n",
    )
    post = parse(text)
    assert [c.title for c in post.consequences] == ["Old title"]
    assert post.trending_titles == ["one"]
    assert [p.event for p in post.predictions] == ["AGI"]
    post.consequences[0].title = "T"
    post.trending[0].title = "t"
    post.predictions[0].rationale = "Later."
    out = render(post)
    assert f"{H1}\n\nAn intro line.\n\n7. **T**\n" in out
    assert f"{H2}\n\nIntro:\n\n- t\n\n{H3}" in out
    assert out.endswith(f"{H3}\n\nHere is **AGI**:\n\n- **AGI** (2040)  \n  Later.\n")


def test_a_predictions_event_loses_stray_bold_and_dashes_and_is_unescaped() -> None:
    [p] = read_predictions(
        post_text(predictions="- **- AT&amp;T AGI -** (2040)  \n  Why &lt;now&gt;.\n")
    )
    assert (p.event, p.when, p.rationale) == ("AT&T AGI", "2040", "Why <now>.")


def test_prediction_trivia_stays_after_its_prediction() -> None:
    preds = "- **A** (2030)  \n  a.\n\nA note.\n\n- **B** (2040)  \n  b.\n"
    post = parse(post_text(predictions=preds))
    post.predictions[0].when = "2031"
    assert render(post).endswith("- **A** (2031)  \n  a.\n\nA note.\n\n- **B** (2040)  \n  b.\n")


# --- headings and broken posts --------------------------------------------------------------


def test_headings_are_found_after_the_front_matter_only() -> None:
    fm = f"---\ntitle: x\n{H1}\n{H2}\n{H3}\n---\n"
    text = fm + post_text()[len(FM) :]
    post = parse(text)
    assert [c.title for c in post.consequences] == ["Old title", "Plain title"]
    assert post.front_matter == f"title: x\n{H1}\n{H2}\n{H3}\n"
    assert post.notice == "> notice\n\n"


def test_a_heading_may_have_trailing_spaces_but_needs_its_space_after_the_hashes() -> None:
    text = post_text().replace(H2 + "\n", H2 + "  \n")
    assert parse(text).trending_titles == ["one", "two"]
    assert render(parse(text)) == text
    with pytest.raises(PostFormatError, match="missing the heading '## Currently trending topics'"):
        parse(post_text().replace(H2, "##Currently trending topics"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "<post>:1: no front matter: the file must start with a '---' line"),
        ("title: x\n---\n", "<post>:1: no front matter: the file must start with a '---' line"),
        ("---\ntitle: x\n", "<post>:1: front matter is not closed by a '---' line"),
        (
            "---\ntitle: x\n---\n\nhello\n",
            f"<post>:4: not a daily summary post: missing the heading '{H1}'",
        ),
        (
            f"---\na: 1\nb: 2\n---\n{H1}\n{H3}\n{H2}\n",
            f"<post>:5: not a daily summary post: missing the heading '{H3}'",
        ),
    ],
)
def test_a_broken_post_is_one_line_naming_the_file_and_line(text: str, says: str) -> None:
    with pytest.raises(PostFormatError) as err:
        parse(text)
    assert str(err.value).endswith(says)
    with pytest.raises(PostFormatError) as err2:
        read_predictions(text, path="content/posts/x.md")
    assert str(err2.value).endswith(says.replace("<post>", "content/posts/x.md"))


def test_headings_out_of_order_are_named_by_the_first_missing_one() -> None:
    text = f"{FM}{H2}\n{H1}\n{H3}\n"
    with pytest.raises(PostFormatError, match=f"missing the heading '{H2}'"):
        parse(text, path="p.md")


def test_a_post_in_another_shipped_language_or_the_blogs_own_headings_is_read() -> None:
    de = TABLE["de"]
    text = f"{FM}{de.headings[0]}\n\n1. **Titel**\n   - *{de.benefits}:* Gut.\n   - *{de.ramifications}:* Schlecht.\n\n{de.headings[1]}\n\n- eins\n\n{de.headings[2]}\n\n- **AGI** (2040)  \n  Bald.\n"
    post = parse(text)
    assert post.strings is de
    assert post.consequences[0].fields() == {
        "title": "Titel",
        "benefits": "Gut.",
        "ramifications": "Schlecht.",
    }
    own = Strings(consequences="Fallout", trending="Hot", predictions="Crystal ball")
    mine = f"{FM}## Fallout\n\n1. **T**\n\n## Hot\n\n- h\n\n## Crystal ball\n\n- **AGI** (2040)  \n  Soon.\n"
    assert parse(mine, strings=own).strings is own
    assert [p.event for p in read_predictions(mine, strings=own)] == ["AGI"]
    with pytest.raises(PostFormatError):
        parse(mine)
    # the blog's own headings are tried before the shipped ones
    assert parse(post_text(), strings=ENGLISH).strings is ENGLISH


def test_read_predictions_reads_what_parse_reads() -> None:
    preds = "Intro **AGI** here.\n\n- **A** (2030)  \n  a.\n\n1. **B** (2040)\n   - b.\n"
    text = post_text(predictions=preds)
    assert [p.value() for p in read_predictions(text)] == [
        p.value() for p in parse(text).predictions
    ]
    assert [p.value() for p in read_predictions(text)] == [("A", "2030", "a."), ("B", "2040", "b.")]


# --- what an edit changes ---------------------------------------------------------------------


def test_a_number_belongs_to_its_place_and_a_moved_head_keeps_its_indent_dot_and_text() -> None:
    post = parse(post_text())
    del post.consequences[1]
    assert render(post) == post_text(items=OLD_ITEM)
    post = parse(post_text())
    del post.consequences[0]
    assert render(post) == post_text(items=ODD_ITEM.replace("8. ", "7. "))
    post = parse(post_text())
    post.consequences.reverse()
    assert render(post) == post_text(
        items=ODD_ITEM.replace("8. ", "7. ") + OLD_ITEM.replace("  7.  ", "  8.  ")
    )


def test_a_list_numbered_1_1_1_stays_so_when_read_edited_or_shortened() -> None:
    items = "1. **A**\n\n1. **B**\n\n1. **C**\n\n"
    post = parse(post_text(items=items))
    assert render(post) == post_text(items=items)
    del post.consequences[0]
    post.consequences[0].title = "B2"
    assert render(post) == post_text(items="1. **B2**\n\n1. **C**\n\n")


def test_an_item_added_after_the_last_takes_the_next_number() -> None:
    post = parse(post_text(items=OLD_ITEM))
    post.consequences.append(Consequence("Added", "B.", "R."))
    added = "8. **Added**\n\n   - *Benefits:*\n     B.\n\n   - *Ramifications:*\n     R.\n\n"
    assert render(post) == post_text(items=OLD_ITEM + added)
    post = parse(post_text(items=""))
    post.consequences += [Consequence("A", "B.", "R."), Consequence("B", "B.", "R.")]
    assert "\n1. **A**\n" in render(post) and "\n2. **B**\n" in render(post)


def test_an_unchanged_post_keeps_its_own_numbers() -> None:
    text = post_text()
    assert "  7.  **Old title**  \n" in render(parse(text))
    assert "8. Plain title\n" in render(parse(text))


def test_a_changed_title_is_written_in_the_seed_layout_with_its_places_number() -> None:
    post = parse(post_text())
    post.consequences[0].title = "New <title>"
    assert render(post) == post_text(
        items=OLD_ITEM.replace("  7.  **Old title**  \n", "7. **New &lt;title&gt;**\n") + ODD_ITEM
    )


def test_a_changed_paragraph_replaces_only_its_block() -> None:
    post = parse(post_text())
    post.consequences[0].benefits = "Fresh."
    post.consequences[0].ramifications = "Risky."
    expected = (
        "  7.  **Old title**  \n"
        "   - *Benefits:*\n     Fresh.\n"
        "\n"
        "   - *Ramifications:*\n     Risky.\n"
        "\n"
    )
    assert render(post) == post_text(items=expected + ODD_ITEM)


def test_adding_a_paragraph_an_old_item_lacked_rewrites_the_item_and_keeps_its_blank_lines() -> (
    None
):
    post = parse(post_text(items=ODD_ITEM.replace("\n\n", "\n\n\n")))
    post.consequences[0].ramifications = "Now there are risks."
    expected = (
        "8. **Plain title**\n\n"
        "   - *Benefits:*\n     Inline benefit.\n\n"
        "   - *Ramifications:*\n     Now there are risks.\n\n\n"
    )
    assert render(post) == post_text(items=expected)


def test_an_empty_paragraph_an_old_item_lacked_leaves_it_as_it_was() -> None:
    post = parse(post_text())
    post.consequences[1].ramifications = ""
    assert render(post) == post_text()


def test_a_new_trending_line_or_prediction_in_a_read_post_is_written_in_the_seed_layout() -> None:
    post = parse(post_text())
    post.trending.insert(0, Trending("zero"))
    post.predictions.insert(0, Prediction("ASI", "2050", "Later."))
    assert render(post) == post_text(
        trending="- zero\n- one\n- two\n\n",
        predictions="- **ASI** (2050)  \n  Later.\n\n- **AGI** (2040)  \n  Soon.\n",
    )


def test_a_title_that_becomes_its_old_value_again_is_written_as_it_was() -> None:
    post = parse(post_text())
    post.consequences[0].title = "x"
    post.consequences[0].title = "Old title"
    post.trending[0].title = "y"
    post.trending[0].title = "one"
    post.predictions[0].event = "z"
    post.predictions[0].event = "AGI"
    assert render(post) == post_text()


# --- which line is which ------------------------------------------------------------------


def small_post():
    return new_post(
        "t: 1\n",
        [("T1", "B1", "R1"), ("T2", "B2", "R2")],
        ["x", "y"],
        [("E1", "2030", "w1"), ("E2", "2040", "w2")],
        notice="N",
    )


# line of render(small_post()) -> (section, index, field), or None for a line no element holds
LINES = {
    **{n: None for n in range(1, 9)},  # front matter, notice, first heading and its blank lines
    9: ("consequences", 0, "title"),
    10: ("consequences", 0, "item"),  # a blank line inside an item is the item's
    11: ("consequences", 0, "benefits"),
    12: ("consequences", 0, "benefits"),
    13: ("consequences", 0, "item"),
    14: ("consequences", 0, "ramifications"),
    15: ("consequences", 0, "ramifications"),
    16: ("consequences", 0, "item"),
    17: ("consequences", 1, "title"),
    18: ("consequences", 1, "item"),
    19: ("consequences", 1, "benefits"),
    20: ("consequences", 1, "benefits"),
    21: ("consequences", 1, "item"),
    22: ("consequences", 1, "ramifications"),
    23: ("consequences", 1, "ramifications"),
    24: ("consequences", 1, "item"),
    **{n: None for n in range(25, 29)},
    29: ("trending", 0, "line"),
    30: ("trending", 1, "line"),
    **{n: None for n in range(31, 35)},  # the blank after the last line is no line's
    35: ("predictions", 0, "prediction"),
    36: ("predictions", 0, "prediction"),
    37: None,
    38: ("predictions", 1, "prediction"),
    39: ("predictions", 1, "prediction"),
    40: None,
    0: None,
}


def test_every_line_of_a_new_post_is_on_the_field_a_reviewer_sees_there() -> None:
    post = small_post()
    lines = render(post).splitlines()
    assert len(lines) == 39
    assert (
        lines[8] == "1. **T1**"
        and lines[19] == "     B2"
        and lines[29] == "- y"
        and lines[37] == "- **E2** (2040)  "
    )
    got = {n: (s.section, s.index, s.field) if (s := locate(post, n)) else None for n in LINES}
    assert got == LINES
    assert [(s.start, s.end) for s in line_map(post)][:3] == [(9, 9), (10, 10), (11, 12)]


def test_a_read_post_maps_its_lines_as_the_new_one_and_drifted_lines_to_their_fields() -> None:
    assert line_map(parse(render(small_post()))) == line_map(small_post())
    post = parse(post_text())
    # 1-3 front matter, 4 notice, 5 blank, 6 heading, 7 blank, 8 the first head
    assert [
        (s.start, s.end, s.field)
        for s in line_map(post)
        if s.index == 0 and s.section == "consequences"
    ] == [
        (8, 8, "title"),
        (9, 12, "benefits"),  # the marker, its blank line and its two paragraph lines
        (13, 13, "item"),
        (14, 14, "ramifications"),
        (15, 15, "item"),
    ]


# --- where braces are escaped ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "templated"),
    [
        ("docs/blog/posts/2025-01-01.md", True),  # MkDocs
        ("src/content/blog/x.md", True),  # Astro
        ("posts/2025-01-01.md", True),  # Eleventy
        ("_posts/2025-01-01-x.md", True),  # Jekyll
        ("blog/_posts/2025-01-01-x.md", True),
        ("src/content/blog/x.mdx", True),
        ("content/posts/x.mdx", True),
        ("content/posts/x.md", False),  # Hugo
        ("content/docs/blog/posts/x.md", False),
        ("my_posts/x.md", False),
        ("content/posts/x.mdx.bak", False),
        ("", False),
        (None, False),
    ],
)
def test_braces_are_escaped_in_the_templating_generators_folders_only(
    path: str | None, templated: bool
) -> None:
    assert templated_path(path) is templated
    post = new_post("t: 1\n", [("{{ x }} {% y %}", "B", "R")], [], [])
    text = render(post)
    assert parse(text, path=path).braces is templated
    assert parse(text, path=path, braces=True).braces is True
    assert parse(text, path="_posts/x.md", braces=False).braces is False


# --- the date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "iso"),
    [
        ("date: 2025-04-16T05:35:33Z\n", "2025-04-16T05:35:33+00:00"),
        ("date: '2025-04-16T07:35:33+02:00'\n", "2025-04-16T05:35:33+00:00"),
        ('date: "2025-04-16 05:35:33"\n', "2025-04-16T05:35:33+00:00"),
        ("date: 2025-04-16\n", "2025-04-16T00:00:00+00:00"),
        ("pubDate: 2025-04-16T05:35:33Z\n", "2025-04-16T05:35:33+00:00"),
        (
            "title: x\ndate:\n  created: 2025-04-16\n  updated: 2025-05-01\n",
            "2025-04-16T00:00:00+00:00",
        ),
        (
            "date:\n    updated: 2025-05-01\n    created: '2025-04-16T05:35:33Z'\n",
            "2025-04-16T05:35:33+00:00",
        ),
        ("date: soon\n", None),
        ("title: x\n", None),
        ("updated: 2025-04-16\n", None),
    ],
)
def test_the_posts_date_is_read_from_any_generators_front_matter(
    front: str, iso: str | None
) -> None:
    post = new_post(front, [], [], [])
    assert (post.date.isoformat() if post.date else None) == iso
    assert post.to_dict()["date"] == (iso.replace("+00:00", "Z") if iso else None)


def test_read_predictions_reads_only_below_its_heading() -> None:
    text = post_text(
        trending="- **GPT-5** (2030) ships\n", predictions="- **AGI** (2040)  \n  Soon.\n"
    )
    assert [p.event for p in read_predictions(text)] == ["AGI"]
    assert [p.event for p in parse(text).predictions] == ["AGI"]
    assert parse(text).trending_titles == ["**GPT-5** (2030) ships"]
    tight = text.replace(f"{H3}\n\n", f"{H3}\n")
    assert [p.value() for p in read_predictions(tight)] == [("AGI", "2040", "Soon.")]


def test_an_edited_items_lines_still_map_to_their_fields() -> None:
    """A second review comment on an item the first one changed still finds its field."""
    post = parse(post_text())
    del post.consequences[0]  # the odd item moves up: its head is renumbered
    post.consequences[0].benefits = "Rewritten."
    renumbered = [(s.field, s.start, s.end) for s in line_map(post) if s.section == "consequences"]
    assert renumbered[:2] == [("title", 8, 8), ("benefits", 9, 10)]
    post.consequences[0].title = "Retitled"
    assert [(s.field, s.start) for s in line_map(post)][0] == ("title", 8)


def test_a_crlf_posts_blank_lines_are_no_fields_as_in_an_lf_post() -> None:
    lf = post_text()
    crlf = lf.replace("\n", "\r\n")
    assert line_map(parse(crlf)) == line_map(parse(lf))
    assert locate(parse(crlf), 25) is None  # the blank line after the last trending line


def test_a_fence_may_have_trailing_spaces_and_the_front_matter_may_be_empty() -> None:
    spaced = post_text().replace("---\n", "---  \n", 1)
    assert parse(spaced).front_matter == "title: x\n"
    assert render(parse(spaced)) == spaced
    empty = "---\n---\n" + post_text()[len(FM) :]
    assert parse(empty).front_matter == ""
    assert render(parse(empty)) == empty


def test_an_empty_marker_may_end_an_item() -> None:
    item = "1. **T**\n   - *Ramifications:* R\n   - *Benefits:*\n"
    post = parse(post_text(items=item))
    assert post.consequences[0].fields() == {"title": "T", "benefits": "", "ramifications": "R"}
    assert render(post) == post_text(items=item)


def test_prose_predictions_are_marked_unstructured_and_bullets_structured() -> None:
    prose = "I think AGI will arrive around 2035, given scaling.\n"
    [p] = parse(post_text(predictions=prose)).predictions
    assert (p.event, p.when, p.structured) == ("Artificial General Intelligence", "2035", False)
    [q] = parse(post_text()).predictions
    assert q.structured is True


def test_an_events_own_letters_are_kept() -> None:
    [p] = read_predictions(post_text(predictions="- **XAI ships AGI X** (2040)  \n  Soon.\n"))
    assert p.event == "XAI ships AGI X"


def test_read_predictions_without_a_path_names_the_post_as_post() -> None:
    with pytest.raises(PostFormatError) as err:
        read_predictions("title: x\n")
    assert str(err.value).endswith(
        "<post>:1: no front matter: the file must start with a '---' line"
    )


def test_a_notice_is_kept_as_written_but_for_its_trailing_newlines() -> None:
    for notice in ("Follow us on X", "A line break  "):
        text = render(new_post("t: 1\n", [], [], [], notice=notice + "\n\n\n"))
        assert text.startswith(f"---\nt: 1\n---\n{notice}\n\n{H1}\n")


def test_a_new_post_takes_ready_made_items_and_predictions() -> None:
    item, prediction = Consequence("T", "B.", "R."), Prediction("AGI", "2040", "Soon.")
    post = new_post("t: 1\n", [item], [], [prediction])
    assert post.consequences == [item] and post.predictions == [prediction]
    assert "1. **T**\n" in render(post) and "- **AGI** (2040)  \n  Soon.\n" in render(post)


def test_a_new_post_in_another_language_uses_its_labels() -> None:
    de = TABLE["de"]
    text = render(new_post("t: 1\n", [("T", "Gut.", "Schlecht.")], [], [], strings=de))
    assert (
        f"   - *{de.benefits}:*\n     Gut.\n\n   - *{de.ramifications}:*\n     Schlecht.\n" in text
    )
    post = parse(text)
    post.consequences[0].ramifications = "Neu."
    assert f"   - *{de.ramifications}:*\n     Neu.\n" in render(post)
