"""Hugo sites kept in a subfolder of the repository: find one, and move the default post and
archetype paths into it (``sites.resolve_site`` calls this for the Hugo preset)."""

from __future__ import annotations

from pathlib import Path

from daily_ai_summary.config import Config

HUGO_CONFIG_FILES = tuple(
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
)


def find_hugo_site(repo: Path) -> str | None:
    """The subfolder holding the Hugo site, when the repo root is not the site.

    Returns the folder name when ``content/`` is absent at the root, the root has no Hugo
    config of its own, and exactly one direct subfolder has both a Hugo config
    (``hugo.toml|yaml|json``, ``config.toml|yaml|json`` or ``config/_default/...``) and a
    ``content/`` folder. Otherwise None.
    """
    if (repo / "content").is_dir() or _has_hugo_config(repo):
        return None
    found = [
        sub.name
        for sub in sorted(repo.iterdir())
        if sub.is_dir()
        and not sub.name.startswith(".")
        and (sub / "content").is_dir()
        and _has_hugo_config(sub)
    ]
    return found[0] if len(found) == 1 else None


def _has_hugo_config(folder: Path) -> bool:
    return any((folder / name).is_file() for name in HUGO_CONFIG_FILES) or any(
        (folder / "config" / "_default" / name).is_file() for name in HUGO_CONFIG_FILES
    )


def adjust_for_hugo_site(repo: Path, config: Config) -> tuple[Config, str | None]:
    """Move the default post and archetype paths into a Hugo site kept in a subfolder.

    Paths the config file set explicitly are left alone. Returns the (possibly new) config and
    a note for the log, or None when nothing changed.
    """
    site = find_hugo_site(repo)
    if site is None:
        return config, None
    update: dict[str, str] = {}
    if not config.is_explicit("post.path"):
        update["path"] = f"{site}/{config.post.path}"
    if not config.is_explicit("post.archetype"):
        update["archetype"] = f"{site}/{config.post.archetype}"
    if not update:
        return config, None
    post = config.post.model_copy(update=update)
    adjusted = config.model_copy(update={"post": post})
    parts = [
        f"the Hugo site lives in '{site}/' (no content/ at the repository root):",
        f"writing posts to {post.path}",
    ]
    if "archetype" in update:
        parts.append(f"with archetype {post.archetype}")
    note = " ".join(parts) + "; set post.path in the config to choose another place"

    return adjusted, note
