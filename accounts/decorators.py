from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import resolve_url


def login_required_htmx(view):
    """login_required, but an htmx request gets an HX-Redirect to the sign-in page.

    A plain 302 would be followed by htmx's XMLHttpRequest and the sign-in page swapped
    into the middle of the layout.
    """
    guarded = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            # After signing in, come back to the page the user was on, not the POST endpoint.
            back = request.htmx.current_url_abs_path or resolve_url("roadmap:path")
            if request.method == "POST" and not getattr(request, "click_kept", False):
                messages.info(
                    request,
                    "Your session had ended, so that change was not saved: sign in and "
                    "make it again.",
                )
            url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return guarded(request, *args, **kwargs)

    return wrapper
