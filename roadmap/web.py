"""Helpers the views share for reading a request and answering it, with or without htmx.

Views import from here (and never from each other): the URL files are the only importers
of view modules.
"""

import re

from django.shortcuts import render
from django_htmx.http import reselect, reswap, retarget

from . import pay

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")  # also the alphabet of share tokens


def pay_region(request):
    """The region whose pay a page shows: asked for in the address, else the signed-in
    user's kept choice, else the default."""
    saved = request.user.pay_region if request.user.is_authenticated else ""
    return pay.region_of(request.GET.get("region", ""), saved)


def bad_request(request, message):
    """A 400 that says what was wrong: a small fragment for htmx, a page otherwise."""
    if request.htmx:
        # Shown in the page's alert region, never swapped over the control that sent it.
        response = render(
            request, "roadmap/bad_request.html#message", {"message": message}, status=400
        )
        return reswap(retarget(response, "#htmx-alert"), "innerHTML")
    return render(request, "roadmap/bad_request.html", {"message": message}, status=400)


def swap_in_place(response, target):
    """An htmx answer that replaces `target` (a CSS selector) with the same element of the
    response, whatever the request's own hx-target and hx-swap said: a refused form comes
    back where it was, with what was typed and why it was refused."""
    return reselect(reswap(retarget(response, target), "outerHTML"), target)
