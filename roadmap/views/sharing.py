"""The read-only page of a path that its owner chose to share."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import User

from ..selectors import build_path
from ..web import SLUG


@never_cache
@require_safe
def shared_path(request, token):
    """The read-only page a user chose to share; 404 once they stop sharing."""
    if not SLUG.fullmatch(token):
        raise Http404("No shared path here")
    owner = get_object_or_404(User, share_token=token)
    if owner.target_role_id is None:
        raise Http404("No path to show yet")
    ctx = build_path(owner)
    ctx["owner"] = owner
    ctx["display_name"] = owner.public_name
    response = render(request, "roadmap/shared_path.html", ctx)
    response["X-Robots-Tag"] = "noindex"
    return response
