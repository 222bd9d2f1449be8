"""Accessibility in a real browser: axe-core on every page, a keyboard-only journey, focus
and announcements after a tick, and a 375 px wide phone screen."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import PASSWORD, browser_sign_in, make_learner, phone_problems

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

PUBLIC = [
    "/",
    "/roles/ai-engineer/",
    "/skills/",
    "/skills/rag/",
    "/certifications/",
    "/certifications/aws-ml-specialty/",
    "/certifications/compare/?c=aws-ml-specialty&c=iapp-aigp&c=cka",
    "/sources/",
    "/changes/",
    "/open-data/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/roles/no-such-role/",
    "/search/?q=engineer",
    "/corrections/new/?skill=rag",  # a reader without an account, with the robots' trap
]
SIGNED_IN = [
    "/path/",
    "/",  # the learner's badges on the ladder
    "/roles/ai-engineer/",  # where the learner stands, Make this my target, a status per skill
    "/roles/senior-ai-engineer/",  # the learner's target
    "/teams/",
    "/skills/python/",  # with the signed-in user's status buttons
    "/certifications/",  # with a plan form per certification
    "/certifications/aws-ml-engineer-associate/",
    "/path/import/",
    "/path/history/",
    "/path/skills/docker/note/",
    "/accounts/profile/",
    "/accounts/password_change/",
    "/accounts/delete/",
    "/path/changes/",
    "/corrections/",
    "/corrections/new/?certification=aws-ml-engineer-associate",
    "/search/?q=engineer",
]


@pytest.fixture
def axe_path():
    if not AXE.exists():
        message = "axe-core missing: run npm ci"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


@pytest.fixture
def learner(live_catalogue):
    """A learner who manages a team with more members than one page of the matrix shows,
    so the team pages have rows and the pages of members their links."""
    from accounts.models import Invite, Membership, Team, User
    from accounts.views.teams import MEMBERS_PER_PAGE
    from roadmap.models import Certification, CertificationProgress, Correction, Role

    user = make_learner("learner")
    team = Team.objects.create(
        name="Platform AI", reference_role=Role.objects.get(slug="ai-engineer")
    )
    Membership.objects.create(team=team, user=user, role="owner")
    Membership.objects.create(team=team, user=make_learner("teammate"))
    others = User.objects.bulk_create(
        User(username=f"colleague-{n}") for n in range(MEMBERS_PER_PAGE)
    )
    Membership.objects.bulk_create(Membership(team=team, user=u) for u in others)
    Invite.objects.create(team=team, expires_at=timezone.now() + datetime.timedelta(days=7))
    # A team the learner is not in, whose invite shows the consent page.
    other = Team.objects.create(name="Search", reference_role=team.reference_role)
    Membership.objects.create(team=other, user=make_learner("searcher"), role="owner")
    Invite.objects.create(team=other, expires_at=timezone.now() + datetime.timedelta(days=7))
    # A change to a certification on the learner's plan: a notice, a changelog entry, and
    # a correction the learner sent.
    certification = Certification.objects.get(slug="aws-ml-engineer-associate")
    CertificationProgress.objects.set_plan(user, certification, "planned")
    certification.retires_on = timezone.localdate() + datetime.timedelta(days=400)
    certification.save()
    Correction.objects.create(
        user=user,
        certification=certification,
        subject_name=certification.name,
        fact_label="Exam cost",
        what_is_wrong="The exam costs more since this year.",
        source_url="https://example.org/pricing",
    )
    return user


def change_pages():
    """A change's own page, and the unsubscribe page a digest links to."""
    from accounts.models import User
    from accounts.subscriptions import unsubscribe_url
    from roadmap.models import CatalogueChange

    change = CatalogueChange.objects.latest("changed_at")
    return [change.get_absolute_url(), unsubscribe_url(User.objects.get(username="learner"))]


def team_url():
    from accounts.models import Team

    return Team.objects.get(name="Platform AI").get_absolute_url()


def team_pages():
    """The team page, its members page, the step after joining, and the consent page of
    another team's invite."""
    return [team_url(), team_url() + "members/", team_url() + "welcome/", invite_url()]


def invite_url():
    from accounts.models import Invite

    return Invite.objects.get(team__name="Search").get_absolute_url()


def sign_in(page, base):
    browser_sign_in(page, base, "learner")
    expect(page).to_have_url(base + "/path/")


def axe_violations(page, axe_path):
    page.add_script_tag(path=axe_path)
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        WCAG,
    )
    return result


def test_axe_finds_no_violation_on_any_page(new_page, live_catalogue, learner, axe_path):
    base = live_catalogue.url
    # axe is injected as a script: the test browser may bypass the CSP for it alone.
    page = new_page(bypass_csp=True)
    found = {}
    for url in [*PUBLIC, invite_url()]:  # the invite signed out
        page.goto(base + url)
        found[url] = axe_violations(page, axe_path)
    found["invite, signed out"] = found.pop(invite_url())
    sign_in(page, base)
    page.locator("#skill-docker").get_by_role("button", name="Done").click()
    expect(page.locator("#count-done")).to_have_text("1")
    page.goto(base + "/accounts/profile/")
    page.get_by_role("button", name="Share my path").click()
    shared = page.locator(".share a[href^='/shared/']").get_attribute("href")
    for url in [*SIGNED_IN, *team_pages(), *change_pages(), shared]:
        page.goto(base + url)
        found[url] = axe_violations(page, axe_path)
    assert {url: v for url, v in found.items() if v} == {}


def tab_to(page, predicate_js, limit=200):
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_a_keyboard_only_journey_signs_in_ticks_and_writes_a_note(
    new_page, live_catalogue, learner
):
    base = live_catalogue.url
    page = new_page()
    page.goto(base + "/accounts/login/")
    # The username field has focus on arrival.
    page.keyboard.type("learner")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/path/")

    # Each skill's statuses are one Tab stop (the chosen one); arrows move within them.
    tab_to(page, "el.name === 'set' && el.value === 'docker:not_started'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        "/path/skills/docker/note/"
    )
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "docker:done"
    page.keyboard.press("Enter")
    expect(page.locator("#skill-docker")).to_have_class(re.compile("status-done"))
    # Focus is back on the pressed button in the new row, and the change is announced.
    assert page.evaluate("document.activeElement.value") == "docker:done"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    expect(page.locator("#status-announcer")).to_have_text("Docker: Done. 1 of 27 skills done.")

    tab_to(page, "el.tagName === 'A' && el.getAttribute('href') === '/path/skills/docker/note/'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/path/skills/docker/note/")
    tab_to(page, "el.name === 'note'")
    page.keyboard.type("Learned it with the keyboard alone")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/path/#skill-docker")
    expect(page.locator("#skill-docker").get_by_role("link", name="Edit note")).to_be_visible()


PHONE_PAGES = [
    "/",
    "/roles/ai-engineer/",
    "/certifications/",
    "/skills/rag/",
    "/sources/",
    "/accounts/login/",
    "/path/",
    "/accounts/profile/",
    "/path/skills/docker/note/",
    "/path/import/",
    "/path/history/",
    "/certifications/aws-ml-engineer-associate/",
    "/certifications/compare/?c=aws-ml-specialty&c=iapp-aigp&c=cka",
    "/teams/",
    "/changes/",
    "/open-data/",
    "/path/changes/",
    "/corrections/",
    "/corrections/new/?certification=aws-ml-engineer-associate",
]


def test_at_375_px_no_page_scrolls_sideways_and_every_control_is_44_px_tall(
    new_page, live_catalogue, learner, tmp_path
):
    base = live_catalogue.url
    page = new_page(viewport={"width": 375, "height": 812})
    sign_in(page, base)
    for url in [*PHONE_PAGES, *team_pages(), *change_pages()]:
        page.goto(base + url)
        assert phone_problems(page, url) == []
        shot = tmp_path / (url.strip("/").replace("/", "_") or "home")
        page.screenshot(path=f"{shot}.png", full_page=True)
        # A real picture of the page: 375 px wide and taller than one screen of nothing.
        header = Path(f"{shot}.png").read_bytes()[16:24]
        assert int.from_bytes(header[:4], "big") == 375
        assert int.from_bytes(header[4:], "big") > 400


@pytest.mark.parametrize("size", [5, 200])
def test_axe_finds_nothing_on_the_team_pages_at_5_and_200_members(
    new_page, live_catalogue, axe_path, size
):
    from .test_browser_teams import big_team

    team = big_team(size)
    page = new_page(bypass_csp=True)
    browser_sign_in(page, live_catalogue.url, "lead")
    found = {}
    for url in [team.get_absolute_url(), team.get_absolute_url() + "members/"]:
        page.goto(live_catalogue.url + url)
        found[url] = axe_violations(page, axe_path)
    assert {url: v for url, v in found.items() if v} == {}
