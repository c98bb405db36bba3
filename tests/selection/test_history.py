"""History: the titles the blog's recent posts covered, read through the post model."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from daily_ai_summary.history import load_history, post_files
from daily_ai_summary.post import new_post, parse, render
from daily_ai_summary.selection import select
from tests.selection.factory import ML, NEWS, cand, config

DAY = date(2025, 4, 16)


def write_post(
    repo: Path, rel: str, day: date, consequences: list[str], trending: list[str]
) -> None:
    post = new_post(
        f'title: "[Daily Automated AI Summary]"\ndate: {day.isoformat()}T05:00:00Z\n',
        [(t, f"Benefits of {t}.", f"Risks of {t}.") for t in consequences],
        trending,
        [("AGI", "May 2035", "Because.")],
    )
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(post), encoding="utf-8")


def daily(repo: Path, day: date, tag: str) -> None:
    write_post(
        repo,
        f"content/posts/{day.isoformat()}-ai-auto-summary.md",
        day,
        [f"Consequence {tag} one", f"Consequence {tag} two"],
        [f"Trend {tag}"],
    )


def test_history_reads_the_posts_of_the_days_before(tmp_path):
    daily(tmp_path, DAY - timedelta(days=1), "yesterday")
    daily(tmp_path, DAY - timedelta(days=14), "two weeks ago")
    daily(tmp_path, DAY - timedelta(days=15), "too old")
    daily(tmp_path, DAY, "today")  # regenerating a day must not drop its own topics
    daily(tmp_path, DAY + timedelta(days=1), "tomorrow")

    history = load_history(tmp_path, config(), DAY)

    assert [(t.date, t.section, t.title) for t in history.titles] == [
        (DAY - timedelta(days=14), "consequences", "Consequence two weeks ago one"),
        (DAY - timedelta(days=14), "consequences", "Consequence two weeks ago two"),
        (DAY - timedelta(days=14), "trending", "Trend two weeks ago"),
        (DAY - timedelta(days=1), "consequences", "Consequence yesterday one"),
        (DAY - timedelta(days=1), "consequences", "Consequence yesterday two"),
        (DAY - timedelta(days=1), "trending", "Trend yesterday"),
    ]
    assert history.titles[-1].file == "content/posts/2025-04-15-ai-auto-summary.md"
    assert history.warnings == ()


def test_history_days_comes_from_the_config(tmp_path):
    daily(tmp_path, DAY - timedelta(days=1), "yesterday")
    daily(tmp_path, DAY - timedelta(days=3), "three days ago")
    history = load_history(tmp_path, config("selection:\n  history-days: 2\n"), DAY)
    assert {t.date for t in history.titles} == {DAY - timedelta(days=1)}
    assert load_history(tmp_path, config("selection:\n  history-days: 0\n"), DAY).titles == ()


def test_a_post_that_does_not_parse_is_a_warning_not_a_crash(tmp_path):
    daily(tmp_path, DAY - timedelta(days=1), "yesterday")
    broken = tmp_path / "content/posts/2025-04-14-ai-auto-summary.md"
    broken.write_text("---\ntitle: x\n---\nJust some notes, not a summary.\n", encoding="utf-8")
    binary = tmp_path / "content/posts/2025-04-13-ai-auto-summary.md"
    binary.write_bytes(b"\xff\xfe\x00garbage")

    history = load_history(tmp_path, config(), DAY)

    assert {t.date for t in history.titles} == {DAY - timedelta(days=1)}
    assert len(history.warnings) == 2
    assert any(
        "2025-04-14-ai-auto-summary.md" in w and "missing the heading" in w
        for w in history.warnings
    )
    assert any(
        "2025-04-13-ai-auto-summary.md" in w and "cannot read" in w for w in history.warnings
    )


def test_only_files_matching_post_path_are_read(tmp_path):
    daily(tmp_path, DAY - timedelta(days=1), "yesterday")
    (tmp_path / "content/posts/about.md").write_text("# About\n")
    (tmp_path / "content/posts/2025-13-45-ai-auto-summary.md").write_text("# not a date\n")
    (tmp_path / "content/posts/2025-04-14-other-post.md").write_text("# other\n")

    history = load_history(tmp_path, config(), DAY)

    assert history.posts == ("content/posts/2025-04-15-ai-auto-summary.md",)
    assert history.warnings == ()


def test_a_date_folder_layout_is_followed(tmp_path):
    cfg = config("post:\n  path: site/content/daily/{date}/index.md\n")
    write_post(
        tmp_path,
        "site/content/daily/2025-04-15/index.md",
        DAY - timedelta(days=1),
        ["Folder post"],
        ["Folder trend"],
    )
    assert post_files(tmp_path, cfg) == [
        (DAY - timedelta(days=1), "site/content/daily/2025-04-15/index.md")
    ]
    assert [t.title for t in load_history(tmp_path, cfg, DAY).titles] == [
        "Folder post",
        "Folder trend",
    ]


def test_selection_drops_what_history_covered(tmp_path):
    write_post(
        tmp_path,
        "content/posts/2025-04-15-ai-auto-summary.md",
        DAY - timedelta(days=1),
        ["Diffusion models learn physics"],
        ["New open-weights coding model tops leaderboard"],
    )
    history = load_history(tmp_path, config(), DAY)
    ml = [cand("Diffusion Models Learn Physics", score=500), cand("Fresh topic", score=2)]
    news = [
        cand("New open weights coding model tops leaderboard", source=NEWS),
        cand("Fresh news", source=NEWS),
    ]

    sel = select({"consequences": ml, "trending": news}, config(), history.titles)

    assert [c.title for c in sel.consequences] == ["Fresh topic"]
    assert [c.title for c in sel.trending] == ["Fresh news"]
    assert {d.kind for d in sel.dropped} == {"covered"}


# ----------------------------------------------------------------------------- the corpus


def corpus_config():
    return config("post:\n  path: '{date}-ai-auto-summary.md'\n")


@pytest.mark.corpus
def test_history_reads_every_post_of_the_reference_blog(corpus_dir):
    files = sorted(corpus_dir.glob("*-ai-auto-summary.md"))
    last = date.fromisoformat(files[-1].name[:10])

    history = load_history(corpus_dir, corpus_config(), last + timedelta(days=1), days=10_000)

    assert history.warnings == ()
    assert len(history.posts) == len(files)
    expected = 0
    for f in files:
        post = parse(f.read_text(encoding="utf-8"), path=f.name)
        expected += len([c for c in post.consequences if c.title.strip()])
        expected += len([t for t in post.trending if t.title.strip()])
    assert len(history.titles) == expected
    assert all(t.title.strip() for t in history.titles)


@pytest.mark.corpus
def test_a_reference_post_topics_are_not_repeated_the_next_day(corpus_dir):
    """Offer every 25th corpus post's own items again the next day: all are dropped as covered
    on that post's date; an unrelated candidate still gets through."""
    cfg = corpus_config()
    files = sorted(corpus_dir.glob("*-ai-auto-summary.md"))[::25]
    assert files
    for f in files:
        day = date.fromisoformat(f.name[:10])
        post = parse(f.read_text(encoding="utf-8"), path=f.name)
        history = load_history(corpus_dir, cfg, day + timedelta(days=1), days=1)
        again = [cand(c.title, source=ML) for c in post.consequences if c.title.strip()]
        again_news = [cand(t.title, source=NEWS) for t in post.trending if t.title.strip()]
        fresh = cand("Zebrafish telemetry via quantum kazoo arrays", source=ML)
        fresh_news = cand("Unrelated: a bakery opens a GPU cluster in Lisbon", source=NEWS)

        sel = select(
            {"consequences": [*again, fresh], "trending": [*again_news, fresh_news]},
            cfg,
            history.titles,
        )

        assert [c.id for c in sel.consequences] == [fresh.id], f.name
        assert [c.id for c in sel.trending] == [fresh_news.id], f.name
        covered = [d for d in sel.dropped if d.kind == "covered"]
        assert len(covered) == len(again) + len(again_news), f.name
        assert all(d.reason.startswith(f"covered on {day.isoformat()}") for d in covered), f.name
