"""Sample days for backfill tests and the backfill benchmark: the same stories discussed on
several consecutive days (as real subreddits do), so a backfill that does not dedupe across its
dates repeats them. SAMPLE CONTENT: every title is invented by the project.

Each day of ``days`` gets, in the window its post covers, one post per topic of the pool, with
the same titles every day and scores that fall with the topic's place in the pool. Without
dedupe every day would choose the pool's first topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from daily_ai_summary.testing.sources_fake import SourcesFake, reddit_post, sample_window

_ADJECTIVES = (
    "sparse", "quantized", "recurrent", "federated", "causal", "bayesian", "contrastive",
    "diffusion", "symbolic", "modular", "adaptive", "distilled", "multilingual", "streaming",
    "robust", "private", "hierarchical", "retrieval", "evolutionary", "neuromorphic",
    "probabilistic", "geometric", "curriculum", "tabular", "spectral", "kernel", "hybrid",
    "sequential", "equivariant", "generative",
)  # fmt: skip
_NOUNS = (
    "routers", "tokenizers", "optimizers", "agents", "benchmarks", "schedulers", "embeddings",
    "decoders", "encoders", "planners", "compilers", "datasets", "critics", "verifiers",
    "samplers", "adapters", "memories", "simulators", "probes", "graphs", "caches", "kernels",
    "policies", "heads", "lattices", "filters", "ensembles", "priors", "codecs", "solvers",
)  # fmt: skip
_FIELDS = (
    "robotics", "genomics", "weather", "chess", "radiology", "translation", "finance",
    "astronomy", "chemistry", "music", "law", "education", "traffic", "agriculture", "energy",
    "retail", "security", "games", "biology", "speech", "maps", "sports", "fashion", "oceans",
    "volcanoes", "libraries", "theatre", "aviation", "mining", "archaeology",
)  # fmt: skip
MAX_TOPICS = len(_FIELDS)


def topic_titles(pool: str, count: int) -> list[str]:
    """``count`` distinct sample titles (no two similar); ``pool`` keeps pools apart."""
    if count > MAX_TOPICS:
        raise ValueError(f"at most {MAX_TOPICS} topics per pool")
    shift = sum(map(ord, pool)) % MAX_TOPICS
    return [
        f"[{pool}] {_ADJECTIVES[(i + shift) % MAX_TOPICS]} {_NOUNS[(i + 2 * shift) % MAX_TOPICS]}"
        f" for {_FIELDS[i]}"
        for i in range(count)
    ]


def add_recurring_days(
    fake: SourcesFake, days: Sequence[date], *, subreddit: str, pool: str, topics: int = 24
) -> list[str]:
    """Post the pool's topics in ``subreddit`` on each day of ``days`` (for the posts of those
    dates); returns the titles, highest score first."""
    titles = topic_titles(pool, topics)
    for day in days:
        start, _ = sample_window(day)
        fake.add_reddit_posts(
            subreddit,
            [
                reddit_post(
                    id=f"{pool[:3].lower()}{day:%m%d}{i:02d}",
                    title=title,
                    subreddit=subreddit,
                    created_utc=(start + timedelta(hours=1 + i * 0.5)).timestamp(),
                    score=2000 - 50 * i,
                    num_comments=200 - 5 * i,
                    selftext=f"Sample post: a discussion of {title[len(pool) + 3 :]}.",
                    author=f"sample_author_{i}",
                )
                for i, title in enumerate(titles)
            ],
        )
    return titles
