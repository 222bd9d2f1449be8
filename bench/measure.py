"""In-process measurements for `make bench`: SQL queries per request and response sizes.

Run with the same DATABASE_URL as the server under test. Prints one JSON object.
"""

import gzip
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from roadmap.caching import forget_per_process  # noqa: E402
from roadmap.models import (  # noqa: E402
    CatalogueVersion,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
)


def cold():
    """Empty caches, so the next request does all its work (as after any change)."""
    cache.clear()
    forget_per_process()


def measure(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302), (url, response.status_code)
    body = response.content
    return {
        "queries": len(queries),
        "raw_bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
    }


def main(pages, username):
    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    signed_out = Client(HTTP_HOST="127.0.0.1")
    out = {}
    for name, spec in pages.items():
        who = signed_out if spec.get("anonymous") else client
        headers = {"HX-Request": "true"} if spec.get("htmx") else {}
        kwargs = {"headers": headers}
        if spec["method"] == "post":
            kwargs["data"] = spec["data"]
        cold()
        first = measure(who, spec["method"], spec["url"], **kwargs)
        # Warm: what every request pays while nothing changes (the benchmark's case).
        warm = measure(who, spec["method"], spec["url"], **kwargs)
        out[name] = {**warm, "queries_cold": first["queries"]}
    out["path_queries_by_skills"] = path_queries_by_skills(client, user)
    print(json.dumps(out))


def path_queries_by_skills(client, user):
    """Queries for My path (cold) with about 10 and about 500 skills on it, and its size
    for the longest path of the real catalogue (all changes rolled back)."""
    result = {}
    with transaction.atomic():
        # Take the synthetic skills off every role (progress protects the skills themselves,
        # and a million progress rows are not worth deleting to roll back).
        RoleSkill.objects.filter(skill__slug__startswith="bench-skill-").delete()
        CatalogueVersion.bump()
        cold()
        result["real_catalogue_path"] = measure(client, "get", "/path/")
        transaction.set_rollback(True)
    with transaction.atomic():
        user.current_role = Role.objects.get(slug="senior-ai-engineer")
        user.target_role = Role.objects.get(slug="ai-architect")
        user.save()
        cold()
        small = measure(client, "get", "/path/")
        result["small_path"] = small["queries"]
        area = SkillArea.objects.first()
        architect = Role.objects.get(slug="ai-architect")
        extra = Skill.objects.bulk_create(
            Skill(slug=f"measure-{i}", name=f"Measure {i}", area=area, summary=".")
            for i in range(500)
        )
        RoleSkill.objects.bulk_create(RoleSkill(role=architect, skill=s) for s in extra)
        result["path_skills_large"] = Skill.objects.filter(role_skills__role=architect).count()
        CatalogueVersion.bump()  # bulk_create sends no signal
        cold()
        result["large_path"] = measure(client, "get", "/path/")["queries"]
        transaction.set_rollback(True)
    return result


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), sys.argv[2])
