import hashlib
from urllib.parse import urlsplit

from axes.models import AccessLog
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import render
from django.urls import Resolver404, resolve

from config.client_ip import client_ip

from .backends import account_username
from .models import Invite

# What django-axes records for every name that is no account: one bucket per client, so
# that made-up names cannot grow its table, and no one's typed address is stored.
UNKNOWN_NAME = "(no such account)"


def axes_username(request, credentials=None):
    """The name django-axes counts a sign-in attempt under: the account's username however
    it was named (username or email address, any case), else UNKNOWN_NAME.

    With AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]], failures count per account
    and per client, and a lockout holds for that client whichever name is typed next.
    Resolved once per request and name (axes asks several times).
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "") if request is not None else ""
    raw = str(raw)
    memo = getattr(request, "_axes_account_names", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._axes_account_names = memo
    if raw not in memo:
        memo[raw] = account_username(raw) or UNKNOWN_NAME
    return memo[raw]


def sign_in_records(model, user):
    """The rows of a django-axes model (AccessAttempt, AccessFailureLog, AccessLog) that are
    about this account: under its username, and, for failures, under its email address in
    any case when that address names this account (as rows recorded before failures were
    counted per account are)."""
    names = Q(username=user.username)
    # A successful sign-in is always recorded under the username itself.
    if model is not AccessLog and user.email and account_username(user.email) == user.username:
        names |= Q(username__iexact=user.email)
    return model.objects.filter(names)


# A link with no limit of uses lets at most this many sign up through it in an hour (the
# most an invite with a limit may allow, accounts/forms.py InviteForm).
INVITE_SIGN_UPS_PER_HOUR = 500

# The names of the sign-up counts in the cache (any names, as long as they differ).
SIGN_UPS = "signup"  # per address
INVITE_SIGN_UPS = "sign-up-invite"  # per invite
INVITE_SIGN_UPS_PER_ADDRESS = "sign-up-invite-ip"  # per address, through invites


def sign_up_allowed(request, next_url):
    """Count one sign-up; False once the client is over its limit.

    A sign-up on its way to a usable invite link (`next` is the link) counts against the
    invite (at most its number of uses an hour) and a separate, higher per-address cap, so
    that an office behind one address can join its team; past either, or without an
    invite, it counts against the address's own hourly limit."""
    address = client_ip(request)
    invite = usable_invite(next_url)
    if (
        invite is not None
        and allow(INVITE_SIGN_UPS_PER_ADDRESS, address, settings.SIGNUP_WITH_INVITE_LIMIT_PER_HOUR)
        and allow(INVITE_SIGN_UPS, invite.pk, invite.max_uses or INVITE_SIGN_UPS_PER_HOUR)
    ):
        return True
    return allow(SIGN_UPS, address, settings.SIGNUP_LIMIT_PER_HOUR)


def usable_invite(url):
    """The invite a join link on this site names, if it can still be used; else None."""
    try:
        match = resolve(urlsplit(url).path) if url else None
    except Resolver404:
        return None
    if match is None or match.url_name != "join_team":
        return None
    invite = Invite.objects.filter(token=match.kwargs.get("token")).first()
    return invite if invite is not None and not invite.why_unusable() else None


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
