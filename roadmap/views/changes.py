"""What changed in the catalogue: the public changelog, its Atom feed, and each person's
notices of the changes that touch their plan or path."""

import hashlib
import math

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from .. import caching
from ..models import CatalogueChange, CatalogueVersion, Certification, Notice, Role, Skill
from ..renewals import with_dates

CHANGES_PER_PAGE = 50
FEED_ITEMS = 50


class ChangeFilterForm(forms.Form):
    """Filter by one certification, role or skill (by slug); unknown slugs are refused."""

    certification = forms.ChoiceField(required=False)
    role = forms.ChoiceField(required=False)
    skill = forms.ChoiceField(required=False)

    SUBJECTS = {"certification": Certification, "role": Role, "skill": Skill}
    LABELS = {"certification": "name", "role": "title", "skill": "name"}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        for name, rows in subject_choices(version).items():
            self.fields[name].choices = [("", f"Any {name}"), *rows.items()]

    def filter(self, queryset):
        for name in self.SUBJECTS:
            if self.cleaned_data.get(name):
                queryset = queryset.filter(**{f"{name}__slug": self.cleaned_data[name]})
        return queryset

    def subject(self):
        """The one certification, role or skill filtered on, for the page's title."""
        for name, model in self.SUBJECTS.items():
            if self.cleaned_data.get(name):
                return model.objects.filter(slug=self.cleaned_data[name]).first()
        return None

    def query(self):
        return filters_query(self.cleaned_data)


def filters_query(filters):
    """The filters as a query string, for the pager, the feed link and cache keys."""
    return "&".join(
        f"{name}={filters[name]}" for name in ChangeFilterForm.SUBJECTS if filters.get(name)
    )


def subject_choices(version):
    """{'certification': {slug: name}, 'role': ..., 'skill': ...} for this version, each
    in the order of the names."""

    def build():
        return {
            name: dict(model.objects.order_by(label).values_list("slug", label))
            for name, model, label in (
                (n, m, ChangeFilterForm.LABELS[n]) for n, m in ChangeFilterForm.SUBJECTS.items()
            )
        }

    return caching.remember(caching.catalogue_key("changes:choices", version=version), build)


def _changes(form):
    return form.filter(
        CatalogueChange.objects.public().select_related("certification", "role", "skill")
    )


def _page_number(raw, count):
    """The page asked for, within 1..last; anything else is the first (or the last)."""
    last = max(1, math.ceil(count / CHANGES_PER_PAGE))
    number = int(raw) if raw and raw.isdigit() and len(raw) < 10 else 1
    return min(max(number, 1), last), last


def known_filters(params, version):
    """{name: slug} for the filters in `params`, if every one names a known certification,
    role or skill; None otherwise. Dictionary lookups only, so that a cached page costs no
    form."""
    choices = subject_choices(version)
    out = {}
    for name in ChangeFilterForm.SUBJECTS:
        value = params.get(name, "")
        if value:
            if value not in choices[name]:
                return None
            out[name] = value
    return out


@require_safe
def change_list(request):
    """The changelog. Every new entry bumps CatalogueVersion (roadmap/changelog.py), so the
    filters and the list are rendered once and cached under it, the filters and the page
    number (a real page: one beyond the last is the last, so the cache holds at most one
    entry per page); only the layout around them is rendered per request."""
    version = CatalogueVersion.current()
    filters = known_filters(request.GET, version)
    if filters is None:
        form = ChangeFilterForm(request.GET, version=version)
        form.is_valid()
        return render(request, "roadmap/changes.html", {"form": form}, status=400)
    query = filters_query(filters)
    count = caching.remember(
        caching.catalogue_key("changes:count", query, version=version),
        lambda: CatalogueChange.objects.filter(
            **{f"{name}__slug": slug for name, slug in filters.items()}
        ).count(),
    )
    number, _ = _page_number(request.GET.get("page"), count)

    def render_body():
        form = ChangeFilterForm(filters, version=version)
        form.is_valid()
        page = Paginator(_changes(form), CHANGES_PER_PAGE).page(number)
        ctx = {
            "form": form,
            "page_obj": page,
            "query": query,
            "subject": form.subject(),
            "released": CatalogueVersion.released(),
        }
        return render_to_string("roadmap/changes.html#body", ctx)

    body = caching.remember(
        caching.catalogue_key("changes:body", query, number, version=version), render_body
    )
    names = subject_choices(version)
    ctx = {
        "body": mark_safe(body),  # noqa: S308 - our own template's output
        "subject": next((names[n][slug] for n, slug in filters.items()), None),
        "query": query,
    }
    return render(request, "roadmap/changes.html", ctx)


@require_safe
def change_detail(request, pk):
    change = get_object_or_404(
        CatalogueChange.objects.select_related("certification", "role", "skill", "source"),
        pk=pk,
    )
    return render(request, "roadmap/change_detail.html", {"change": change})


class ChangeFeed(Feed):
    """The changelog as Atom, optionally for one certification, role or skill."""

    feed_type = Atom1Feed
    description_template = "roadmap/_change_feed_item.html"

    def get_object(self, request):
        form = ChangeFilterForm(request.GET, version=CatalogueVersion.current())
        if not form.is_valid():
            raise Http404("No such certification, role or skill.")
        return form

    def title(self, form):
        subject = form.subject()
        if subject:
            return f"Changes to {subject} · AI engineer roadmap"
        return "Changes to the catalogue · AI engineer roadmap"

    # Absolute links from SITE_URL: Django's add_domain keeps them as they are, where it
    # would otherwise prefix the request's Host header.
    def link(self, form):
        query = form.query()
        return settings.SITE_URL + reverse("roadmap:changes") + (f"?{query}" if query else "")

    def feed_url(self, form):
        query = form.query()
        return settings.SITE_URL + reverse("roadmap:changes_feed") + (f"?{query}" if query else "")

    def item_link(self, change):
        return settings.SITE_URL + change.get_absolute_url()

    def subtitle(self, form):
        return "Every change to a fact the catalogue shows: old value, new value and source."

    def items(self, form):
        return _changes(form)[:FEED_ITEMS]

    def item_title(self, change):
        return f"{change.subject_name}: {change.summary}"

    def item_pubdate(self, change):
        return change.changed_at

    def item_updateddate(self, change):
        return change.changed_at


_feed = ChangeFeed()


@require_safe
def change_feed(request):
    """The feed, cached like the changelog: under the catalogue version and the filters
    (its absolute links come from SITE_URL, whatever Host the request named)."""
    version = CatalogueVersion.current()
    filters = known_filters(request.GET, version)
    if filters is None:
        raise Http404("No such certification, role or skill.")
    key = caching.catalogue_key("changes:feed", filters_query(filters), version=version)
    # Feed readers poll: one that already has this version gets a 304.
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified

    def build():
        response = _feed(request)
        return (response.content, response["Content-Type"])

    cached = caching.remember(key, build)
    response = HttpResponse(cached[0], content_type=cached[1])
    response["ETag"] = etag
    return response


@login_required
@require_safe
def my_notices(request):
    """The changes that touched the user's plan or path, newest first; opening the page
    marks them seen (so "n changes since your last visit" clears)."""
    notices = (
        Notice.objects.filter(user=request.user)
        .select_related(
            "change__certification",
            "change__skill",
            "team_event__team",
            "renewal__certification",
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notices, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    with_dates(list(page))
    unseen = {n.pk for n in page if n.seen_at is None}
    if unseen:
        Notice.objects.filter(pk__in=unseen).update(seen_at=timezone.now())
        request.user.bump_progress_version()  # the count on My path is cached under it
    return render(request, "roadmap/notices.html", {"page_obj": page, "unseen": unseen})
