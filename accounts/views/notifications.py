"""Email about catalogue changes: opt in and out on the profile page, and out from any
digest without signing in (the link carries a signed, unguessable token:
accounts/subscriptions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..subscriptions import user_for_token


@login_required
@require_http_methods(["POST"])
def set_notifications(request):
    user = request.user
    wanted = request.POST.get("notify") == "on"
    if wanted and not user.email:
        messages.error(request, "Add an email address to your account first.")
        return redirect(reverse("accounts:profile") + "#notify")
    user.set_notify_by_email(wanted)
    if wanted:
        messages.success(
            request,
            f"We will email {user.email} a digest when a change touches your plan or path.",
        )
    else:
        messages.success(request, "We will not email you about changes.")
    return redirect(reverse("accounts:profile") + "#notify")


# A mail client's one-click unsubscribe (RFC 8058) POSTs without a CSRF token; the signed
# token in the address is the proof, and all it can do is turn the emails off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user, current = user_for_token(token)
    if user is None or not current:
        ctx = {"invalid": user is None, "earlier": user is not None}
        return render(request, "accounts/unsubscribe.html", ctx, status=404)
    if request.method == "POST":
        if user.notify_by_email:
            user.set_notify_by_email(False)
        return render(request, "accounts/unsubscribe.html", {"done": True})
    # GET only asks: link scanners in mail systems open links without a person.
    return render(request, "accounts/unsubscribe.html", {"token": token})
