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

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from roadmap.models import Role, RoleSkill, Skill, SkillArea  # noqa: E402


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
    out = {}
    for name, spec in pages.items():
        headers = {"HX-Request": "true"} if spec.get("htmx") else {}
        if spec["method"] == "post":
            out[name] = measure(client, "post", spec["url"], data=spec["data"], headers=headers)
        else:
            out[name] = measure(client, "get", spec["url"], headers=headers)
    out["path_queries_by_skills"] = path_queries_by_skills(client, user)
    print(json.dumps(out))


def path_queries_by_skills(client, user):
    """Queries for My path with about 10 and about 500 skills on it (changes rolled back)."""
    result = {}
    with transaction.atomic():
        user.current_role = Role.objects.get(slug="senior-ai-engineer")
        user.target_role = Role.objects.get(slug="ai-architect")
        user.save()
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
        result["large_path"] = measure(client, "get", "/path/")["queries"]
        transaction.set_rollback(True)
    return result


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), sys.argv[2])
