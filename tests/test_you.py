"""See yourself on every page (issue 21, item 4): signed in, the ladder, role, skill and
certification pages show where you are, your target and your status on each skill, and a
role page offers "Make this my target"; anonymous visitors see the pages as before."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from roadmap.models import SkillProgress

from .helpers import make_learner, role

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/roles/ai-architect/"}
ARCHITECT = '<a href="/roles/ai-architect/">AI Architect / Principal AI Engineer</a>'
PER_USER_TEXT = ("You are here", "Your target", "Make this my target", "Your status")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def role_url(slug):
    return reverse("roadmap:role", args=[slug])


def target_url(slug):
    return reverse("roadmap:target", args=[slug])


def skill_items(html):
    """{skill name: the visitor's status on it} from a role page's list of skills."""
    items = re.findall(r'<li class="skill-item[^"]*">(.*?)</li>', html, re.S)
    out = {}
    for item in items:
        name = re.search(r"<a [^>]*>([^<]+)</a>", item).group(1)
        status = re.search(r'"skill-status[^"]*">.*?</span>\s*([^<]+?)\s*</span>', item, re.S)
        out[name] = status.group(1) if status else None
    return out


@pytest.fixture
def learner():
    return make_learner("lena", current="ai-engineer", target="ai-architect")


def test_the_ladder_shows_where_you_are_and_your_target(learner):
    html = signed_in(learner).get("/").content.decode()
    engineer = html.split('id="role-ai-engineer"', 1)[1].split("</article>", 1)[0]
    architect = html.split('id="role-ai-architect"', 1)[1].split("</article>", 1)[0]
    senior = html.split('id="role-senior-ai-engineer"', 1)[1].split("</article>", 1)[0]
    assert "You are here" in engineer and "Your target" not in engineer
    assert "Your target" in architect and "You are here" not in architect
    assert "You are here" not in senior and "Your target" not in senior
    assert 'You are here: <a href="/roles/ai-engineer/">AI Engineer</a>' in html


def test_a_role_page_says_you_are_here_and_names_your_target(learner):
    html = signed_in(learner).get(role_url("ai-engineer")).content.decode()
    you = html.split('id="you"', 1)[1].split("</section>", 1)[0]
    assert '<strong class="badge badge-you">You are here</strong>' in you
    assert f"Your target: {ARCHITECT}" in you


def test_a_role_page_of_your_target_says_so_and_offers_no_button(learner):
    html = signed_in(learner).get(role_url("ai-architect")).content.decode()
    you = html.split('id="you"', 1)[1].split("</section>", 1)[0]
    assert '<strong class="badge badge-you">Your target</strong>' in you
    assert "Make this my target" not in you


def test_a_rung_below_your_current_role_is_not_offered_as_a_target(learner):
    html = signed_in(learner).get(role_url("junior-ai-engineer")).content.decode()
    assert "Make this my target" not in html
    assert "below your current role on the ladder, so it cannot be your target" in html


def test_a_role_page_shows_your_status_on_each_skill(learner):
    client = signed_in(learner)
    client.post(reverse("roadmap:skill_status", args=["python"]), {"status": "done"})
    client.post(reverse("roadmap:skill_status", args=["rag"]), {"status": "learning"})
    client.post(reverse("roadmap:skill_status", args=["docker"]), {"status": "skipped"})
    statuses = skill_items(client.get(role_url("ai-engineer")).content.decode())
    assert statuses["Python"] == "Done"
    assert statuses["Retrieval-augmented generation (RAG)"] == "Learning"
    assert statuses["Docker"] == "Skipped"
    # Every other skill of the role says it is not started: each skill has a status.
    others = {name: s for name, s in statuses.items() if name not in ("Python", "Docker")}
    assert len(others) > 5
    assert set(others.values()) - {"Learning"} == {"Not started"}


def test_a_tick_shows_at_once_on_the_cached_role_page(learner):
    client = signed_in(learner)
    assert skill_items(client.get(role_url("ai-engineer")).content.decode())["Python"] == (
        "Not started"
    )
    client.post(reverse("roadmap:skill_status", args=["python"]), {"status": "done"})
    assert skill_items(client.get(role_url("ai-engineer")).content.decode())["Python"] == "Done"


def test_a_skill_page_shows_your_status_and_where_you_stand(learner):
    client = signed_in(learner)
    client.post(reverse("roadmap:skill_status", args=["docker"]), {"status": "learning"})
    html = client.get(reverse("roadmap:skill", args=["docker"])).content.decode()
    assert re.search(r'id="my-status-learning"[^>]*aria-pressed="true"', html)
    assert 'You are here: <a href="/roles/ai-engineer/">AI Engineer</a>' in html
    assert f"Your target: {ARCHITECT}" in html


def test_a_certification_page_shows_where_you_stand(learner):
    for url in (reverse("roadmap:certification", args=["aws-ml-specialty"]), "/certifications/"):
        html = signed_in(learner).get(url).content.decode()
        assert f"Your target: {ARCHITECT}" in html


def test_without_roles_the_pages_say_so_and_point_to_the_profile(alice):
    html = signed_in(alice).get(reverse("roadmap:skill", args=["docker"])).content.decode()
    assert "You are not in an AI role yet." in html
    assert 'No target yet: <a href="/accounts/profile/">choose one</a>.' in html


def test_make_this_my_target_without_javascript_sets_it_and_says_so(learner):
    client = signed_in(learner)
    html = client.get(role_url("senior-ai-engineer")).content.decode()
    assert f'<form method="post" action="{target_url("senior-ai-engineer")}"' in html
    response = client.post(target_url("senior-ai-engineer"))
    assert response.status_code == 302
    assert response["Location"] == "/roles/senior-ai-engineer/#you"
    learner.refresh_from_db()
    assert learner.target_role == role("senior-ai-engineer")
    assert learner.current_role == role("ai-engineer")  # nothing else of the profile moves
    html = client.get(response["Location"]).content.decode()
    assert "Your target is now Senior AI Engineer." in html
    you = html.split('id="you"', 1)[1].split("</section>", 1)[0]
    assert '<strong class="badge badge-you">Your target</strong>' in you
    # At once on the ladder and on My path too.
    home = client.get("/").content.decode()
    senior = home.split('id="role-senior-ai-engineer"', 1)[1].split("</article>", 1)[0]
    assert "Your target" in senior
    assert "Senior AI Engineer" in client.get(reverse("roadmap:path")).content.decode()


def test_make_this_my_target_with_htmx_swaps_the_fragment(learner):
    client = signed_in(learner)
    response = client.post(target_url("head-of-ai"), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="you"')
    assert "<html" not in html
    assert "Your target is now Head of AI." in html
    assert '<strong class="badge badge-you">Your target</strong>' in html
    assert "Make this my target" not in html
    learner.refresh_from_db()
    assert learner.target_role == role("head-of-ai")


def test_make_this_my_target_keeps_the_profiles_rule(learner):
    client = signed_in(learner)
    response = client.post(target_url("junior-ai-engineer"))
    assert response.status_code == 400
    assert "This role is below your current one on the ladder." in response.content.decode()
    response = client.post(target_url("junior-ai-engineer"), headers=HTMX)
    assert response.status_code == 400
    assert "This role is below your current one on the ladder." in response.content.decode()
    learner.refresh_from_db()
    assert learner.target_role == role("ai-architect")


def test_your_own_role_can_be_your_target_and_a_side_role_too(learner):
    client = signed_in(learner)
    assert client.post(target_url("ai-engineer")).status_code == 302
    learner.refresh_from_db()
    assert learner.target_role == role("ai-engineer")
    assert client.post(target_url("data-scientist")).status_code == 302
    learner.refresh_from_db()
    assert learner.target_role == role("data-scientist")


def test_make_this_my_target_needs_a_post_a_session_a_csrf_token_and_a_real_role(learner):
    assert Client().post(target_url("head-of-ai"))["Location"].startswith("/accounts/login/")
    client = signed_in(learner)
    assert client.get(target_url("head-of-ai")).status_code == 405
    assert client.post(target_url("no-such-role")).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(target_url("head-of-ai")).status_code == 403
    learner.refresh_from_db()
    assert learner.target_role == role("ai-architect")


def test_the_form_posts_with_its_csrf_token(learner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    html = strict.get(role_url("head-of-ai")).content.decode()
    form = html.split(f'action="{target_url("head-of-ai")}"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = strict.post(target_url("head-of-ai"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/roles/ai-engineer/",
        "/skills/docker/",
        "/certifications/",
        "/certifications/aws-ml-specialty/",
    ],
)
def test_anonymous_pages_show_nothing_personal_even_after_a_signed_in_visit(learner, url):
    client = signed_in(learner)
    client.post(reverse("roadmap:skill_status", args=["docker"]), {"status": "done"})
    client.get(url)  # cached parts rendered while someone is signed in
    html = Client().get(url).content.decode()
    for text in PER_USER_TEXT:
        assert text not in html
    assert "lena" not in html and 'id="you"' not in html
    assert "skill-status" not in html and "badge-you" not in html


def test_another_users_status_never_leaks_through_the_cache():
    ann = make_learner("ann", current="junior-ai-engineer", target="ai-engineer")
    bob = make_learner("bob", current="ai-architect", target="head-of-ai")
    ann_client, bob_client = signed_in(ann), signed_in(bob)
    ann_client.post(reverse("roadmap:skill_status", args=["python"]), {"status": "done"})
    ann_client.post(reverse("roadmap:skill_status", args=["docker"]), {"status": "learning"})
    ann_html = ann_client.get(role_url("ai-engineer")).content.decode()
    assert skill_items(ann_html)["Python"] == "Done"
    bob_html = bob_client.get(role_url("ai-engineer")).content.decode()
    bob_statuses = skill_items(bob_html)
    assert set(bob_statuses.values()) == {"Not started"}
    assert f"You are here: {ARCHITECT}" in bob_html
    assert "Junior AI Engineer</a>." not in bob_html.split('id="you"', 1)[1].split("</section>")[0]
    # And on the skill page and the ladder.
    skill = bob_client.get(reverse("roadmap:skill", args=["docker"])).content.decode()
    assert re.search(r'id="my-status-not_started"[^>]*aria-pressed="true"', skill)
    home = bob_client.get("/").content.decode()
    junior = home.split('id="role-junior-ai-engineer"', 1)[1].split("</article>", 1)[0]
    assert "You are here" not in junior
    assert SkillProgress.objects.filter(user=bob).count() == 0


def test_the_signed_in_role_page_makes_a_fixed_number_of_queries(
    learner, django_assert_num_queries
):
    client = signed_in(learner)
    client.get(role_url("ai-engineer"))  # the page's parts and the catalogue graph, cached
    # Session, user, catalogue version, the page's corrections from readers, the user's
    # statuses.
    with django_assert_num_queries(5):
        client.get(role_url("ai-engineer"))
    User.objects.filter(pk=learner.pk).update(target_role=role("head-of-ai"))
    with django_assert_num_queries(5):
        html = client.get(role_url("ai-engineer")).content.decode()
    assert 'Your target: <a href="/roles/head-of-ai/">Head of AI</a>' in html
