"""Publishing: git (publish/git.py) and the GitHub API (publish/github.py)."""
