"""Certifications side by side: /certifications/compare/?c=one&c=two (two to five)."""

from itertools import groupby

from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .. import comparing
from ..forms import CompareForm
from ..models import CatalogueVersion
from ..selectors import catalogue_graph, remaining_skills


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def compare(request):
    """The comparison, and the checkboxes that choose what it holds. With htmx, a change of
    the checkboxes (or a column's "Remove") gets the comparison back, and the checkboxes
    out of band so they always match it; a full request gets the page."""
    version = CatalogueVersion.current()
    graph = catalogue_graph(version)
    form = CompareForm(request.GET, graph.certifications)
    chosen, columns, remaining = [], [], None
    if form.is_valid():
        chosen = form.cleaned_data["c"]
        if len(chosen) >= comparing.FEWEST:
            if request.user.is_authenticated:
                remaining = remaining_skills(request.user, version)
            columns = comparing.columns(chosen, graph, remaining)
    pickable = sorted(
        (c for c in graph.certifications.values() if not c.is_category),
        key=lambda c: (c.provider.lower(), c.name.lower()),
    )
    ctx = {
        "form": form,
        "error": " ".join(form.errors.get("c", [])),
        "chosen": chosen,
        "names": ", ".join(c.name for c in chosen),
        "columns": columns,
        "remaining": remaining,
        "ticked": set(form.data.getlist("c")),
        "providers": [(p, list(cs)) for p, cs in groupby(pickable, key=lambda c: c.provider)],
        "most": comparing.MOST,
    }
    status = 400 if form.errors else 200
    if request.htmx and not request.htmx.history_restore_request:
        ctx["fragment"] = True
        return render(request, "roadmap/compare.html#answer", ctx, status=status)
    return render(request, "roadmap/compare.html", ctx, status=status)
