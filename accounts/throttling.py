import hashlib

from django.core.cache import cache
from django.shortcuts import render


def axes_username(request, credentials=None):
    """The username django-axes records for a sign-in attempt.

    Cut to the longest username Django allows and without NUL characters, so that a huge
    or binary username is recorded as a failed attempt instead of breaking the database
    write (found by the property-based tests).
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "")
    return str(raw).replace("\x00", "")[:150]


def allow(scope, key, limit, window=3600):
    """Count one event for `key` in `scope`; False once more than `limit` happened within
    `window` seconds. Counts live in the cache: shared by every instance with Redis, per
    process otherwise (still a bound)."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    cache_key = f"throttle:{scope}:{digest}"
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit


def too_many(request, message):
    return render(request, "429.html", {"message": message}, status=429)
