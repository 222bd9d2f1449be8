"""A user's private calendar feed: read by calendar apps, which cannot sign in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import User

from .. import ical
from ..models import CertificationProgress
from ..renewals import read_renewals
from ..web import SLUG


@never_cache
@require_safe
def calendar_feed(request, token):
    """Exam days and renewal windows as iCalendar, for whoever holds the secret address:
    no session is needed or read, and a wrong or reset token is a 404."""
    if not SLUG.fullmatch(token):
        raise Http404("No calendar here")
    owner = User.objects.filter(calendar_token=token, is_active=True).first()
    if owner is None:
        raise Http404("No calendar here")
    plans = list(
        CertificationProgress.objects.filter(user=owner)
        .select_related("certification")
        .order_by("certification__name")
    )
    events = ical.events(
        plans, read_renewals(plans), settings.SITE_URL, urlsplit(settings.SITE_URL).hostname
    )
    body = ical.calendar(events, "AI engineer roadmap: exams and renewals", timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
