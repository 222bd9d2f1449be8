import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Certification, Skill


@pytest.mark.django_db
def test_every_changelist_and_change_form_renders(admin_client, admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        obj = model._default_manager.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert admin_client.get(change).status_code == 200, change
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert admin_client.get(add).status_code == 200, add


@pytest.mark.django_db
def test_the_certification_list_shows_status_badges_and_successors(admin_client):
    response = admin_client.get(reverse("admin:roadmap_certification_changelist"))
    html = response.content.decode()
    assert '<span class="badge badge-retired">Retired</span>' in html
    assert "AWS Certified Machine Learning Engineer – Associate" in html
    assert "MLS-C01" in html


@pytest.mark.parametrize(
    ("status", "expected", "absent"),
    [
        ("retired", "AWS Certified Machine Learning – Specialty", "Google Professional Data"),
        ("active", "Google Professional Data Engineer", "Machine Learning – Specialty"),
    ],
)
@pytest.mark.django_db
def test_certifications_filter_by_status(admin_client, status, expected, absent):
    url = reverse("admin:roadmap_certification_changelist")
    html = admin_client.get(url, {"status": status}).content.decode()
    assert expected in html
    assert absent not in html


@pytest.mark.django_db
def test_certifications_can_be_searched_by_exam_code(admin_client):
    url = reverse("admin:roadmap_certification_changelist")
    html = admin_client.get(url, {"q": "AI-103"}).content.decode()
    assert "Azure AI Apps and Agents Developer Associate" in html
    assert "Google Professional Data Engineer" not in html


@pytest.mark.django_db
def test_the_retire_action_marks_the_selected_certifications_retired_today(admin_client):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    assert "badge-active" in admin_client.get(cert.get_absolute_url()).content.decode()
    url = reverse("admin:roadmap_certification_changelist")
    response = admin_client.post(
        url, {"action": "mark_retired_today", "_selected_action": [cert.pk]}, follow=True
    )
    assert "1 certification(s) marked retired" in response.content.decode()
    cert.refresh_from_db()
    assert cert.retires_on == timezone.localdate()
    assert cert.status == "retired"
    # The bulk update sends no signal; the action bumps the catalogue version itself.
    assert (
        "This certification is retired"
        in admin_client.get(cert.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_an_admin_edit_shows_on_the_public_page_at_once(admin_client):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    url = reverse("admin:roadmap_certification_change", args=[cert.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "retires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "skills": [s.pk for s in cert.skills.all()],
            "roles": [r.pk for r in cert.roles.all()],
            "successors": [],
            "certification_sources-TOTAL_FORMS": "0",
            "certification_sources-INITIAL_FORMS": "0",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        }
    )
    data.pop("sources", None)
    assert (
        "This certification retires on"
        not in admin_client.get(cert.get_absolute_url()).content.decode()
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = admin_client.get(cert.get_absolute_url()).content.decode()
    assert "This certification retires on" in page
    assert "Retiring" in page


@pytest.mark.django_db
def test_admin_refuses_a_prerequisite_that_would_make_a_cycle(admin_client):
    docker = Skill.objects.get(slug="docker")
    kubernetes = Skill.objects.get(slug="kubernetes")
    url = reverse("admin:roadmap_skill_change", args=[docker.pk])
    data = {
        "slug": docker.slug,
        "name": docker.name,
        "area": docker.area_id,
        "summary": docker.summary,
        "why_it_matters": docker.why_it_matters,
        "why_source": docker.why_source_id or "",
        "prerequisites": [kubernetes.pk],
        "resources-TOTAL_FORMS": "0",
        "resources-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "would make a cycle: docker → kubernetes → docker" in response.content.decode()
    assert not docker.prerequisites.exists()


@pytest.mark.django_db
def test_admin_is_for_staff_only(client, django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    client.force_login(user)
    response = client.get(reverse("admin:roadmap_certification_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_filters_sources_checked_over_a_year_ago(admin_client):
    from roadmap.models import Source

    Source.objects.filter(slug="lakera-llm-hallucinations").update(
        checked_on=timezone.localdate() - datetime.timedelta(days=500)
    )
    html = admin_client.get("/admin/roadmap/source/", {"freshness": "stale"}).content.decode()
    assert "Guide to LLM hallucinations" in html
    assert "AI Engineer Role Skills and Certification Guide" not in html
    html = admin_client.get("/admin/roadmap/source/", {"freshness": "fresh"}).content.decode()
    assert "Guide to LLM hallucinations" not in html


@pytest.mark.django_db
def test_admin_refuses_half_an_effort_estimate(admin_client):
    docker = Skill.objects.get(slug="docker")
    before = (docker.effort_hours_low, docker.effort_hours_high)
    data = {
        "slug": docker.slug,
        "name": docker.name,
        "area": docker.area_id,
        "summary": docker.summary,
        "why_it_matters": docker.why_it_matters,
        "why_source": docker.why_source_id or "",
        "effort_hours_low": "10",
        "effort_hours_high": "",
        "resources-TOTAL_FORMS": "0",
        "resources-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:roadmap_skill_change", args=[docker.pk]), data)
    assert "Give both ends of the effort estimate, or neither." in response.content.decode()
    docker.refresh_from_db()
    assert (docker.effort_hours_low, docker.effort_hours_high) == before
