"""The catalogue's search: one box in every page's header, a results page, and its
results alone for htmx as the reader types (roadmap/searching.py does the searching)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .. import searching


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def search(request):
    """GET /search/?q=: the page, or for htmx its #results. An empty query is the page with
    no results; one longer than MAX_LENGTH is refused with a 400 that says so."""
    text = request.GET.get("q", "").strip()
    error = ""
    groups = []
    if len(text) > searching.MAX_LENGTH:
        error = (
            f"A search can be at most {searching.MAX_LENGTH} characters long, and this one "
            f"has {len(text)}. Shorten it to a few words and search again."
        )
    elif text:
        groups = searching.search(text)
    htmx = bool(request.htmx) and not request.htmx.history_restore_request
    ctx = {
        "partial": htmx,  # the results alone, with the count for the status line
        "q": text[: searching.MAX_LENGTH],
        "error": error,
        "groups": groups,
        "count": sum(len(group.hits) for group in groups),
        "more": any(group.more for group in groups),
        "max_length": searching.MAX_LENGTH,
    }
    template = "roadmap/search.html#results" if htmx else "roadmap/search.html"
    return render(request, template, ctx, status=400 if error else 200)
