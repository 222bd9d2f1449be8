"""The address of the client, as the throttles (django-axes, sign-up, password reset) see it.

Without a proxy it is REMOTE_ADDR. Behind one trusted proxy (BEHIND_PROXY=true) every
request comes from the proxy, which appends the address it saw to X-Forwarded-For: that
last entry is the client. Earlier entries are whatever the client chose to send, so they
are never believed (a client could otherwise pick any address, or lock out another's).
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rpartition(",")[2].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote
