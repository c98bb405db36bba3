# The daily-ai-summary GitHub Action image.
#
# A release publishes it to ghcr.io and points action.yml at it by digest (scripts/release),
# so a user's job pulls it and never builds it. It runs as root (the runner's contract: no
# USER), with the workspace mounted over /github/workspace, so nothing here relies on WORKDIR.
#
# The base is pinned by digest (the multi-arch index of debian:bookworm-slim). Where Docker
# Hub is out of reach (this project's CI), scripts/docker-base builds a stand-in and the
# builds pass `--build-arg BASE_IMAGE=debian:bookworm-slim`; docs/releasing.md has both.
ARG BASE_IMAGE=debian:bookworm-slim@sha256:67b30a61dc87758f0caf819646104f29ecbda97d920aaf5edc834128ac8493d3

# -- build: a venv installed from the hash-pinned lock, plus the package's own wheel --------
FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
# Dependencies change rarely: this layer only depends on the two lock files. Wheels only
# (no sdist is built with unpinned build tools); every file is checked against its hash.
COPY requirements.lock requirements-build.lock /locks/
RUN python3 -m venv /opt/build \
 && /opt/build/bin/pip install --require-hashes --no-deps --only-binary :all: \
        -r /locks/requirements-build.lock \
 && python3 -m venv --without-pip /opt/venv \
 && /opt/build/bin/pip --python /opt/venv/bin/python install --require-hashes --no-deps \
        --only-binary :all: -r /locks/requirements.lock
# (README.m[d]: the package's long description when present; the glob keeps COPY from failing.)
COPY pyproject.toml README.m[d] /src/
COPY src /src/src
RUN /opt/build/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /wheels /src \
 && /opt/build/bin/pip --python /opt/venv/bin/python install --no-deps /wheels/*.whl

# -- the image: python3 and git from Debian, the venv, nothing else ------------------------
FROM ${BASE_IMAGE}
# git: publishing runs real git (publish/git.py); ca-certificates: TLS to every API.
# git is installed without its Perl dependencies (perl, liberror-perl, git-man: 50 MB, a
# third of the image): only Perl-written commands need them (send-email, svn, cvs*,
# archimport) and the action runs none of them; clone, fetch, worktree, commit, rebase and
# push over https are C. Its other dependencies come from apt as usual.
# The first dpkg excludes are the official slim image's own (a no-op there; the stand-in base
# lacks them); the others leave out git's server side and Perl parts (daemon, http-backend,
# shell, imap-send, http-push, scalar, gitweb, Git.pm: 14 MB). apt's lists and caches are
# dropped in the same layer.
RUN printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/groff/*' \
        'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
        'path-exclude /usr/share/lintian/*' \
        'path-exclude /usr/lib/git-core/git-daemon' 'path-exclude /usr/lib/git-core/git-shell' \
        'path-exclude /usr/lib/git-core/git-http-backend' 'path-exclude /usr/lib/git-core/scalar' \
        'path-exclude /usr/lib/git-core/git-imap-send' 'path-exclude /usr/lib/git-core/git-http-push' \
        'path-exclude /usr/share/gitweb/*' 'path-exclude /usr/share/perl5/*' \
        > /etc/dpkg/dpkg.cfg.d/daily-ai-summary-slim \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 ca-certificates \
        libcurl3-gnutls libexpat1 libpcre2-8-0 zlib1g \
 && cd /tmp && apt-get download git \
 && dpkg --ignore-depends=perl,liberror-perl,git-man --install git_*.deb \
 && rm git_*.deb && cd / \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
        /var/cache/debconf/*-old /var/lib/dpkg/*-old

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY --from=build /opt/venv /opt/venv
RUN /opt/venv/bin/daily-ai-summary --version

ENTRYPOINT ["/opt/venv/bin/daily-ai-summary", "run"]
