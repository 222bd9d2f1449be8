import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from roadmap.models import Certification, CertificationProgress, Role, Skill, SkillProgress


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
            "change_reason": "Vendor's page checked",
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


def custom_actions():
    """Every action a ModelAdmin adds (Django's own delete_selected checks permissions)."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or ():
            func = getattr(model_admin, action) if isinstance(action, str) else action
            found.append((model, model_admin, func))
    for name, func in admin.site._actions.items():
        if name != "delete_selected":
            for model, model_admin in admin.site._registry.items():
                found.append((model, model_admin, func))
    return found


def make_rows(model):
    """Rows an action could change, for models the catalogue does not fill."""
    from axes.models import AccessAttempt

    if model is AccessAttempt:
        attempt = AccessAttempt.objects.create(
            username="someone", ip_address="192.0.2.1", failures_since_start=3
        )
        # Expired long ago: the clean-up action would delete it.
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=timezone.now() - datetime.timedelta(days=30)
        )


def test_there_are_custom_actions_to_check():
    assert any(func.__name__ == "mark_retired_today" for _, _, func in custom_actions())


@pytest.mark.parametrize(
    ("model", "model_admin", "func"),
    custom_actions(),
    ids=lambda value: getattr(value, "__name__", None) or str(value),
)
@pytest.mark.django_db
def test_every_custom_action_needs_more_than_view_permission(
    client, django_user_model, model, model_admin, func
):
    from django.contrib.auth.models import Permission

    assert getattr(func, "allowed_permissions", None), f"{func.__name__} declares no permission"
    opts = model._meta
    viewer = django_user_model.objects.create_user(
        "viewer", "viewer@example.com", "pw-viewer-long-1", is_staff=True
    )
    viewer.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=opts.app_label, codename=f"view_{opts.model_name}"
        )
    )
    client.force_login(viewer)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200
    make_rows(model)
    before = list(model._default_manager.order_by("pk").values())
    assert before, f"no {opts.model_name} to act on"
    selected = [row[opts.pk.attname] for row in before]
    client.post(url, {"action": func.__name__, "_selected_action": selected}, follow=True)
    assert list(model._default_manager.order_by("pk").values()) == before


@pytest.mark.django_db
def test_an_admin_can_clean_up_expired_sign_in_attempts(admin_client):
    from axes.models import AccessAttempt

    make_rows(AccessAttempt)
    url = reverse("admin:axes_accessattempt_changelist")
    selected = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin_client.post(
        url, {"action": "cleanup_expired_attempts", "_selected_action": selected}, follow=True
    )
    assert "Cleaned up 1 expired access attempts" in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.fixture
def admin_client_with_learner(admin_client, junior_to_senior):
    SkillProgress.objects.create(
        user=junior_to_senior, skill=Skill.objects.get(slug="docker"), status="done"
    )
    CertificationProgress.objects.create(
        user=junior_to_senior,
        certification=Certification.objects.get(slug="aws-ml-specialty"),
        status="earned",
    )
    return admin_client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "slug", "held", "advice"),
    [
        (Skill, "docker", "people&#x27;s progress on it: 1", "Edit the skill instead"),
        (
            Certification,
            "aws-ml-specialty",
            "people&#x27;s certification plans: 1",
            "Set its retirement date instead",
        ),
        (
            Role,
            "senior-ai-engineer",
            "people&#x27;s current or target role: 1",
            "Edit the role instead",
        ),
    ],
)
def test_admin_cannot_delete_what_users_data_points_at_and_shows_no_names(
    admin_client_with_learner, model, slug, held, advice
):
    obj = model.objects.get(slug=slug)
    url = f"/admin/roadmap/{model._meta.model_name}/{obj.pk}/delete/"
    page = admin_client_with_learner.get(url).content.decode()
    assert f"{held} (names are not shown)" in page
    assert advice in page
    assert "alice" not in page
    assert "Done" not in page and "Earned" not in page
    admin_client_with_learner.post(url, {"post": "yes"})
    assert model.objects.filter(slug=slug).exists()
    assert SkillProgress.objects.filter(user__username="alice").count() == 1
    assert CertificationProgress.objects.filter(user__username="alice").count() == 1
    assert User.objects.get(username="alice").target_role.slug == "senior-ai-engineer"


@pytest.mark.django_db
def test_the_bulk_delete_action_is_refused_the_same_way(admin_client_with_learner):
    docker = Skill.objects.get(slug="docker")
    response = admin_client_with_learner.post(
        "/admin/roadmap/skill/",
        {"action": "delete_selected", "_selected_action": [docker.pk], "post": "yes"},
    )
    assert "alice" not in response.content.decode()
    assert Skill.objects.filter(slug="docker").exists()
    assert SkillProgress.objects.filter(skill=docker).exists()


@pytest.mark.django_db
def test_a_skill_nobody_tracks_can_still_be_deleted(admin_client):
    skill = Skill.objects.create(
        slug="throwaway", name="Throwaway", area=Skill.objects.first().area, summary="x"
    )
    admin_client.post(f"/admin/roadmap/skill/{skill.pk}/delete/", {"post": "yes"})
    assert not Skill.objects.filter(slug="throwaway").exists()


@pytest.mark.django_db
def test_a_role_a_team_uses_or_suggests_cannot_be_deleted_and_no_member_is_named(
    admin_client_with_learner,
):
    from accounts.models import Membership, Team

    head = Role.objects.get(slug="head-of-ai")
    team = Team.objects.create(name="Platform AI", reference_role=head)
    Membership.objects.create(
        team=team, user=User.objects.get(username="alice"), suggested_role=head
    )
    url = f"/admin/roadmap/role/{head.pk}/delete/"
    page = admin_client_with_learner.get(url).content.decode()
    assert "teams measured against it: 1 (names are not shown)" in page
    assert "targets suggested to team members: 1 (names are not shown)" in page
    assert "alice" not in page
    admin_client_with_learner.post(url, {"post": "yes"})
    assert Role.objects.filter(slug="head-of-ai").exists()
    assert Membership.objects.filter(suggested_role=head).count() == 1


@pytest.mark.django_db
def test_an_estimate_over_the_maximum_is_refused_in_admin(admin_client):
    docker = Skill.objects.get(slug="docker")
    url = f"/admin/roadmap/skill/{docker.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "prerequisites"}
    data.update(effort_hours_low=30000, effort_hours_high=30000, area=docker.area_id)
    data.update({"resources-TOTAL_FORMS": 0, "resources-INITIAL_FORMS": 0})
    data.update({"claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 2000." in response.content.decode()
