"""The one module that owns caching: how long an entry lives, what its key holds, and what
makes it stale.

Two numbers make a cached entry stale, and both change in the same transaction as the
data they stand for:
- CatalogueVersion (roadmap/models/catalogue.py), bumped by roadmap/signals.py on every
  catalogue edit: every key below for catalogue data holds it, so an edit in admin shows at
  once on every app instance;
- ``User.progress_version`` (accounts/models.py), bumped by ``User.bump_progress_version``
  whenever what a user's own path shows changes (progress, plans, notices seen, a role
  suggestion): the key of their cached path holds it.

A page whose content depends on the date (a certification retires on a given day) adds
today's date through ``dated_key``. Nothing is ever deleted from the cache: a stale entry
is simply never asked for again and lapses after TTL.

The catalogue graph each process keeps in memory (roadmap/selectors.py) is cached under
the same version, by ``per_process``.
"""

import hashlib
import threading

from django.core.cache import cache
from django.utils import timezone

from .models import CatalogueVersion

TTL = 60 * 60 * 24  # seconds: every cached entry lapses after a day


def catalogue_key(*parts, version=None):
    """The key for catalogue data: `parts` and the catalogue version (read if not given)."""
    version = CatalogueVersion.current() if version is None else version
    return ":".join(str(part) for part in (*parts, f"v{version}"))


def dated_key(*parts, version=None):
    """The key for catalogue data that also depends on today's date."""
    return catalogue_key(*parts, timezone.localdate().isoformat(), version=version)


def path_key(user, *parts, version=None):
    """The key for one user's rendered path: everything the path shows about them (roles,
    pace, progress_version) and `parts`, with the catalogue version and the date, hashed so
    that it is unguessable per user."""
    personal = (
        user.pk,
        user.current_role_id,
        user.target_role_id,
        user.hours_per_week,
        user.progress_version,
        *parts,
    )
    digest = hashlib.sha256(dated_key(*personal, version=version).encode()).hexdigest()
    return f"path:{user.pk}:{digest}"


def team_key(team, people, *parts, version=None):
    """The key for a team page's plan and matrix (accounts/views/teams.py): the team's role,
    every member in the order they joined with what the pages show of them and their
    ``progress_version`` (which moves with their progress, self-checks and certification
    plans): `people` is one row per member of (membership pk, membership role, user id,
    progress_version, display name, username, target role id). With `parts`, the
    catalogue version and the date (the plan's weeks and retiring certifications depend on
    it). Someone joining, leaving or being removed changes the rows, so the key."""
    personal = (team.pk, team.reference_role_id, [tuple(row) for row in people], *parts)
    digest = hashlib.sha256(dated_key(*personal, version=version).encode()).hexdigest()
    return f"team:{team.pk}:{digest}"


def remember(key, build):
    """What is cached under `key`; on a miss, build() is called and what it returns is kept
    for TTL (unless it is None, which is returned and not kept)."""
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, TTL)
    return value


def recall(key):
    """What is cached under `key`, or None."""
    return cache.get(key)


def recall_many(keys):
    """{key: what is cached under it} for those of `keys` that are cached (one round trip)."""
    return cache.get_many(keys)


def store_many(values):
    """Keep each of {key: value} for TTL (one round trip)."""
    cache.set_many(values, TTL)


def store(key, value):
    """Keep `value` under `key` for TTL (for callers that decide after building whether the
    value may be kept)."""
    cache.set(key, value, TTL)


_local = threading.local()


def per_process(version, build):
    """The object build(version) returns, kept in this thread's memory for as long as the
    catalogue version stays the same (one object at a time)."""
    held = getattr(_local, "held", None)
    if held is None or held[0] != version:
        held = (version, build(version))
        _local.held = held
    return held[1]


def forget_per_process():
    """Drop what per_process keeps (tests roll back the version under it)."""
    _local.held = None
