"""The open data page: what the API offers, its licence and how to use it politely."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def open_data(request):
    base = reverse("api:index")
    ctx = {
        "licence": settings.DATA_LICENCE,
        "api_root": settings.SITE_URL + base,
        "endpoints": [
            (
                "certifications/",
                "Certifications with lifecycle, claims and sources",
                "?status=active|retiring|retired, ?provider=<exact name>",
            ),
            ("certifications/<slug>/", "One certification", ""),
            (
                "roles/",
                "Roles with the skills each adds and their pay claims",
                "?kind=ladder|adjacent",
            ),
            ("roles/<slug>/", "One role", ""),
            (
                "skills/",
                "Skills with area, prerequisites, estimates and claims",
                "?area=<area slug>",
            ),
            ("skills/<slug>/", "One skill", ""),
            ("sources/", "Every source, its tier and when we checked it", ""),
        ],
        "openapi": settings.SITE_URL + reverse("api:openapi-json"),
        "feed": settings.SITE_URL + reverse("roadmap:changes_feed"),
        "sitemap": settings.SITE_URL + reverse("sitemap"),
    }
    return render(request, "roadmap/open_data.html", ctx)
