"""What changed in the catalogue: the public changelog, its Atom feed, and each person's
notices of the changes that touch their plan or path."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from ..models import CatalogueChange, Certification, Notice, Role, Skill

CHANGES_PER_PAGE = 50
FEED_ITEMS = 50


class ChangeFilterForm(forms.Form):
    """Filter by one certification, role or skill (by slug); unknown slugs are refused."""

    certification = forms.ChoiceField(required=False)
    role = forms.ChoiceField(required=False)
    skill = forms.ChoiceField(required=False)

    SUBJECTS = {"certification": Certification, "role": Role, "skill": Skill}
    LABELS = {"certification": "name", "role": "title", "skill": "name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in self.SUBJECTS.items():
            label = self.LABELS[name]
            rows = model.objects.order_by(label).values_list("slug", label)
            self.fields[name].choices = [("", f"Any {name}"), *rows]

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
        """The filters as a query string, for the pager and the feed link."""
        return "&".join(
            f"{name}={self.cleaned_data[name]}"
            for name in self.SUBJECTS
            if self.cleaned_data.get(name)
        )


@require_safe
def change_list(request):
    form = ChangeFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request, "roadmap/changes.html", {"form": form, "page_obj": None}, status=400
        )
    changes = form.filter(
        CatalogueChange.objects.public().select_related("certification", "role", "skill", "source")
    )
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmap/changes.html",
        {"form": form, "page_obj": page, "subject": form.subject(), "query": form.query()},
    )


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
        form = ChangeFilterForm(request.GET)
        if not form.is_valid():
            raise Http404("No such certification, role or skill.")
        return form

    def title(self, form):
        subject = form.subject()
        if subject:
            return f"Changes to {subject} · AI engineer roadmap"
        return "Changes to the catalogue · AI engineer roadmap"

    def link(self, form):
        query = form.query()
        return reverse("roadmap:changes") + (f"?{query}" if query else "")

    def subtitle(self, form):
        return "Every change to a fact the catalogue shows: old value, new value and source."

    def items(self, form):
        return form.filter(
            CatalogueChange.objects.public().select_related(
                "certification", "role", "skill", "source"
            )
        )[:FEED_ITEMS]

    def item_title(self, change):
        return f"{change.subject_name}: {change.summary}"

    def item_pubdate(self, change):
        return change.changed_at

    def item_updateddate(self, change):
        return change.changed_at


@login_required
@require_safe
def my_notices(request):
    """The changes that touched the user's plan or path, newest first; opening the page
    marks them seen (so "n changes since your last visit" clears)."""
    notices = (
        Notice.objects.filter(user=request.user)
        .select_related("change__certification", "change__skill", "change__source")
        .order_by("-change__changed_at", "-pk")
    )
    page = Paginator(notices, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    unseen = {n.pk for n in page if n.seen_at is None}
    if unseen:
        Notice.objects.filter(pk__in=unseen).update(seen_at=timezone.now())
    return render(request, "roadmap/notices.html", {"page_obj": page, "unseen": unseen})
