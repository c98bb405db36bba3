# The daily-ai-summary GitHub Action image.
#
# The runner builds this on every job (`runs.image: Dockerfile`) or pulls the prebuilt
# ghcr.io image (`docker://ghcr.io/<owner>/daily-ai-summary:<tag>`, see release.yml).
# It runs as root (the runner's contract: no USER), with the workspace mounted over
# /github/workspace, so nothing here relies on WORKDIR.
FROM debian:bookworm-slim

# git: publishing runs real git (publish/git.py); ca-certificates: TLS to every API.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# Dependencies change rarely: install them from pyproject alone so code edits reuse the layer.
# (README.m[d]: the package's long description when present; the glob keeps COPY from failing.)
COPY pyproject.toml README.m[d] /src/
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/python -c "import tomllib; d = tomllib.load(open('/src/pyproject.toml', 'rb')); print('\n'.join(d['project']['dependencies']))" > /tmp/requirements.txt \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY src /src/src
RUN /opt/venv/bin/pip install --no-deps /src \
 && rm -rf /src \
 && /opt/venv/bin/daily-ai-summary --version

ENTRYPOINT ["/opt/venv/bin/daily-ai-summary", "run"]
