"""Search over the catalogue: skills, roles, certifications (by name or exam code) and
sources, in groups by kind.

On PostgreSQL, full-text search: each kind's searchable fields become a weighted
``tsvector`` (the name first), the query a ``tsquery`` of the typed words, each matched as a
prefix (``'retriev':*``), all of them required; results are ordered by ``ts_rank``. The
vectors are computed on the fly: at the catalogue's size (about 60 skills, 24
certifications, 9 roles and 110 sources) that takes a few milliseconds
(``bench/search.py``), so no column or index has to be kept in step.

The query is never handed to ``to_tsquery`` as typed: it is cut into words of letters and
digits only (quotes, ``&|!():*<>`` and the like are separators), each quoted, so no text
can change the query's structure. On any other database (SQLite in development), every
word must appear, in any case, in one of the same fields.

An exam code is searched with its hyphen as a space and without it, so "AI-102",
"ai 102" and "ai102" all find Azure's AI-102 (PostgreSQL's parser reads "AI-102" as
"ai" and the number -102).
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Replace

from .models import Certification, Role, Skill, Source

# The longest query accepted (characters), and how many of its words count.
MAX_LENGTH = 100
MAX_WORDS = 8
# The best matches shown per kind; more are there if one more was found.
PER_KIND = 10
CONFIG = "english"

WORD = re.compile(r"[^\W_]+")


def words(text):
    """The words of a query: runs of letters and digits, lower-cased, at most MAX_WORDS."""
    return WORD.findall(text.lower())[:MAX_WORDS]


def tsquery(terms):
    """A to_tsquery text that requires every term, each as a prefix: ``'ai':* & '102':*``.
    Terms hold letters and digits only (``words``), so quoting them is enough."""
    return " & ".join(f"'{term}':*" for term in terms)


def _code(separator):
    return Replace(F("exam_code"), Value("-"), Value(separator))


@dataclass(frozen=True)
class Kind:
    name: str  # the group's heading
    model: type
    # Fields (or expressions) by weight, A the strongest; the same fields on every database.
    weights: dict
    order: tuple  # among equal ranks, and on databases without ranking


KINDS = {
    "skills": Kind(
        "Skills",
        Skill,
        {"A": ["name"], "B": ["summary"], "C": ["why_it_matters", "area__name"]},
        ("name",),
    ),
    "roles": Kind(
        "Roles",
        Role,
        {"A": ["title", "alternative_titles"], "B": ["summary"], "C": ["responsibilities"]},
        ("title",),
    ),
    "certifications": Kind(
        "Certifications",
        Certification,
        {"A": ["name", _code(" "), _code("")], "B": ["provider"], "C": ["summary"]},
        ("provider", "name"),
    ),
    "sources": Kind(
        "Sources",
        Source,
        {"A": ["title"], "B": ["publisher", "relays"], "C": ["note"]},
        ("publisher", "title"),
    ),
}


@dataclass
class Group:
    kind: str  # a key of KINDS
    name: str
    hits: list
    more: bool  # more matched than are shown


def search(text):
    """The groups of matches for `text` (already bounded by the caller), the kinds that
    matched nothing left out; [] when the text holds no word. One query per kind."""
    terms = words(text)
    if not terms:
        return []
    full_text = connection.vendor == "postgresql"
    groups = []
    for key, kind in KINDS.items():
        queryset = (_ranked if full_text else _matching)(kind, terms)
        if key == "skills":
            queryset = queryset.select_related("area")
        hits = list(queryset[: PER_KIND + 1])
        if hits:
            groups.append(Group(key, kind.name, hits[:PER_KIND], len(hits) > PER_KIND))
    return groups


def _ranked(kind, terms):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = None
    for weight, fields in kind.weights.items():
        part = SearchVector(*fields, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    query = SearchQuery(tsquery(terms), search_type="raw", config=CONFIG)
    return (
        # alias: the vector is matched and ranked in the database, never sent back.
        kind.model.objects.alias(search_document=vector)
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(F("search_document"), query))
        .order_by("-search_rank", *kind.order)
    )


def _matching(kind, terms):
    """Every term in one field or another; those with every term in a strongest field
    (a name, an exam code) first."""
    names, lookups = {}, {}
    for weight, fields in kind.weights.items():
        for field in fields:
            if not isinstance(field, str):  # an expression: annotated under a name
                names[f"_search_{len(names)}"] = field
                field = f"_search_{len(names) - 1}"
            lookups.setdefault(weight, []).append(field)
    everywhere = [lookup for group in lookups.values() for lookup in group]
    queryset = kind.model.objects.annotate(**names)
    for term in terms:
        queryset = queryset.filter(_any(everywhere, term))
    in_name = Q()
    for term in terms:
        in_name &= _any(lookups["A"], term)
    first = Case(When(in_name, then=Value(0)), default=Value(1))
    return queryset.annotate(search_first=first).order_by("search_first", *kind.order)


def _any(lookups, term):
    out = Q()
    for lookup in lookups:
        out |= Q(**{f"{lookup}__icontains": term})
    return out
