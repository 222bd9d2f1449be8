"""Planning any certification from its page, the list or the path, and ticking any skill
from its own page (issue 11, items 7 and 8)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from roadmap.models import CertificationProgress, SkillProgress

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
CERT = "aws-ml-engineer-associate"


def plan_url(slug=CERT):
    return reverse("roadmap:certification_plan", args=[slug])


def forms_for(html, slug):
    return re.findall(rf'<form[^>]*id="plan-form-{slug}"', html)


def test_a_certification_page_offers_the_plan_with_date_and_credential(alice_client, alice):
    html = alice_client.get(reverse("roadmap:certification", args=[CERT])).content.decode()
    assert len(forms_for(html, CERT)) == 1
    assert 'name="earned_on"' in html and 'name="credential_url"' in html
    response = alice_client.post(
        plan_url(),
        {
            "status": "earned",
            "earned_on": "2026-10-01",
            "credential_url": "https://creds.example/42",
            "return_to": "certification",
        },
    )
    assert response["Location"] == f"/certifications/{CERT}/#my-plan"
    html = alice_client.get(response["Location"]).content.decode()
    # The message is in words, with the date as a person writes it.
    assert "AWS Certified Machine Learning Engineer – Associate: Earned on 1 Oct 2026." in html
    assert 'value="2026-10-01"' in html and 'value="https://creds.example/42"' in html
    plan = CertificationProgress.objects.get(user=alice)
    assert (plan.status, plan.credential_url) == ("earned", "https://creds.example/42")


def test_signed_out_the_certification_page_asks_to_sign_in_and_caches_nothing_personal(
    alice_client, alice
):
    alice_client.post(plan_url(), {"status": "preparing", "return_to": "certification"})
    url = reverse("roadmap:certification", args=[CERT])
    assert "Update" in alice_client.get(url).content.decode()
    html = Client().get(url).content.decode()
    assert "Sign in</a> to put it on your plan." in html
    assert "plan-form" not in html and "Preparing" not in html


def test_every_certification_on_the_list_can_be_planned_once(alice_client, alice):
    html = alice_client.get(reverse("roadmap:certifications")).content.decode()
    assert len(forms_for(html, CERT)) == 1
    assert len(forms_for(html, "google-professional-ml-engineer")) == 1
    response = alice_client.post(plan_url(), {"status": "planned", "return_to": "list"})
    assert response["Location"] == f"/certifications/#cert-{CERT}"
    # The htmx answer on the list is the form itself, with its message beside it.
    response = alice_client.post(
        plan_url(), {"status": "preparing", "return_to": "list"}, headers=HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert f'id="plan-form-{CERT}"' in html
    assert "Machine Learning Engineer – Associate: Preparing." in html
    assert '<option value="preparing" selected>' in html
    assert "preparing" not in re.sub(r"<[^>]+>", "", html).replace("Preparing", "")


def test_the_kept_plan_forms_on_the_list_follow_each_plan_at_once_and_stay_their_own(
    alice_client, alice
):
    """The list's plan forms are kept per user (roadmap/views/catalogue.py _plan_forms):
    a plan saved, changed or removed shows on the next request, and another user never
    gets them."""
    from .helpers import make_learner

    url = reverse("roadmap:certifications")

    def form(client):
        html = client.get(url, {"provider": "AWS"}).content.decode()
        start = html.index(f'id="plan-form-{CERT}"')
        return html[start : html.index("</form>", start)]

    assert "Add to my plan" in form(alice_client)
    alice_client.post(plan_url(), {"status": "preparing", "return_to": "list"})
    assert '<option value="preparing" selected>' in form(alice_client)
    assert "Update" in form(alice_client)
    bob = make_learner("bob")
    bob_client = Client()
    bob_client.force_login(bob)
    assert "Add to my plan" in form(bob_client)
    assert "selected>Preparing" not in form(bob_client)
    alice_client.post(plan_url(), {"status": "remove", "return_to": "list"})
    assert "Add to my plan" in form(alice_client)


def test_a_refused_plan_keeps_what_was_typed_and_says_why_beside_the_form(alice_client, alice):
    response = alice_client.post(
        plan_url(),
        {
            "status": "earned",
            "earned_on": "2999-01-01",
            "credential_url": "https://creds.example/9",
            "return_to": "certification",
        },
        headers=HTMX,
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == f"#plan-form-{CERT}"
    html = response.content.decode()
    assert "Date earned: Give a date between 1 January 1970 and today." in html
    assert 'value="https://creds.example/9"' in html and 'value="2999-01-01"' in html
    assert "earned_on" not in re.sub(r"<[^>]+>", "", html)
    assert not CertificationProgress.objects.exists()


def test_on_the_path_each_certification_has_one_control(alice_client, junior_to_senior):
    html = alice_client.get("/path/").content.decode()
    section = html[html.index('id="certifications"') :]
    suggested = re.findall(r'id="plan-form-([-\w]+)"', section)
    assert suggested and len(suggested) == len(set(suggested))
    first = suggested[0]
    response = alice_client.post(
        plan_url(first), {"status": "planned", "return_to": "path"}, headers=HTMX
    )
    html = response.content.decode()
    # The answer is the certifications section: the suggestion now points to the plan.
    assert html.lstrip().startswith('<section id="certifications"')
    assert f'<a class="badge" href="#plan-{first}">On my plan: Planned</a>' in html
    assert len(forms_for(html, first)) == 1
    html = alice_client.get("/path/").content.decode()
    assert len(forms_for(html, first)) == 1


def test_removing_from_the_path_says_so_at_the_top_of_the_section(alice_client, junior_to_senior):
    alice_client.post(plan_url(), {"status": "planned"})
    response = alice_client.post(
        plan_url(), {"status": "remove", "return_to": "path"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'id="certs-feedback"' in html
    assert "AWS Certified Machine Learning Engineer – Associate is no longer on your plan." in html


def test_a_skill_below_the_path_can_be_ticked_from_its_own_page(alice_client, junior_to_senior):
    # Python is a Junior AI Engineer skill: below this path (junior to senior).
    url = reverse("roadmap:skill", args=["python"])
    html = alice_client.get(url).content.decode()
    assert 'id="my-status"' in html
    assert "Not among the skills between your current role and your target" in html
    status_url = reverse("roadmap:skill_status", args=["python"])
    response = alice_client.post(status_url, {"status": "done", "return_to": "skill"})
    assert response["Location"] == "/skills/python/#my-status"
    assert SkillProgress.objects.get(user=junior_to_senior, skill__slug="python").status == "done"
    html = alice_client.get(url).content.decode()
    assert 'id="my-status-done" name="status" value="done" aria-pressed="true"' in html
    response = alice_client.post(
        status_url, {"status": "learning", "return_to": "skill"}, headers=HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="my-status" class="my-status status-learning"')
    assert "Saved: Learning." in html


def test_signed_out_a_skill_page_invites_sign_in():
    html = Client().get(reverse("roadmap:skill", args=["python"])).content.decode()
    assert "Sign in</a> to tick this skill off on your path." in html
    assert "my-status-done" not in html


def test_a_status_sent_after_the_session_lapsed_is_kept_and_leads_back(client, alice):
    status_url = reverse("roadmap:skill_status", args=["python"])
    response = client.post(status_url, {"status": "done", "return_to": "skill"})
    # Not back to the POST-only address: to the skill's page, after signing in.
    assert response["Location"] == "/accounts/login/?next=/skills/python/"
    response = client.post(
        response["Location"], {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/skills/python/"
    assert "Saved the change you made as your session ended: Python: Done." in (
        response.content.decode()
    )
    assert SkillProgress.objects.get(user=alice, skill__slug="python").status == "done"


def test_a_plan_sent_after_the_session_lapsed_says_it_was_not_saved(client):
    response = client.post(plan_url(), {"status": "planned"}, headers=HTMX)
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/accounts/login/")
    html = client.get(response["HX-Redirect"]).content.decode()
    assert "Your session had ended, so that change was not saved" in html
    assert not CertificationProgress.objects.exists()
