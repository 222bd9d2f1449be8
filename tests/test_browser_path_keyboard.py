"""My path by keyboard and on a phone, in Chromium: one Tab stop per skill, skip links,
feedback where the eye is, a busy button, a lapsed session that keeps the click, folded
rungs and hidden done skills (issue 11, items 9, 10 and 11)."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD, browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_skill_is_one_tab_stop_and_skip_links_reach_each_section(new_page, live_catalogue):
    make_learner("keys", current=None, target="head-of-ai")  # the longest path there is
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "keys")
    rows = page.locator(".path-skill").count()
    assert rows > 50
    stops = page.evaluate(
        "Array.from(document.querySelectorAll('.status-buttons button'))"
        ".filter(b => b.tabIndex >= 0).length"
    )
    assert stops == rows
    # From the top, the skip link to the certifications is under 25 Tab presses away, and
    # after it the next Tab is inside that section.
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Certifications" and (
            page.evaluate("document.activeElement.closest('.skip-links') !== null")
        ):
            break
    else:
        raise AssertionError("25 Tab presses did not reach the skip link to certifications")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#certifications') !== null")


def test_a_tick_shows_a_busy_button_then_a_toast_in_view_on_a_phone(new_page, live_catalogue):
    make_learner("busy")
    page = new_page(viewport={"width": 375, "height": 812})
    browser_sign_in(page, live_catalogue.url, "busy")
    page.evaluate(
        """document.addEventListener("htmx:beforeSend", () => {
            const b = document.querySelector(".is-busy[aria-busy=true]");
            window.busySeen = b && b.value;
        })"""
    )
    row = page.locator("#skill-kubernetes")
    row.scroll_into_view_if_needed()
    row.get_by_role("button", name="Done").click()
    expect(page.locator("#status-announcer")).to_contain_text("Kubernetes: Done.")
    assert page.evaluate("window.busySeen") == "kubernetes:done"
    expect(page.locator(".is-busy")).to_have_count(0)
    toast = page.locator("#status-announcer")
    expect(toast).to_be_in_viewport()
    assert toast.evaluate("t => getComputedStyle(t).position") == "fixed"
    # It clears itself.
    expect(toast).to_have_text("", timeout=8000)


def test_a_click_after_the_session_lapsed_is_saved_after_signing_in(new_page, live_catalogue):
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    from roadmap.models import SkillProgress

    make_learner("lapsed")
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "lapsed")
    Session.objects.all().delete()  # the session ends while the page is open
    cache.clear()
    page.locator("#skill-docker").get_by_role("button", name="Learning").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator(".messages")).to_contain_text("Your session had ended")
    assert not SkillProgress.objects.exists()
    page.locator("#id_username").fill("lapsed")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    expect(page.locator(".messages")).to_contain_text(
        "Saved the change you made as your session ended: Docker: Learning."
    )
    expect(page.locator("#skill-docker .status-button[aria-pressed=true]")).to_have_text(
        "Learning"
    )


def test_done_skills_can_be_hidden_and_a_finished_rung_is_folded(new_page, live_catalogue):
    from roadmap.models import Skill, SkillProgress

    learner = make_learner("folder")
    page = new_page(viewport={"width": 375, "height": 812})
    browser_sign_in(page, live_catalogue.url, "folder")
    first_group = page.locator("details.rung-group").first
    expect(first_group).to_have_attribute("open", "")
    slugs = [
        el.get_attribute("id").removeprefix("skill-")
        for el in first_group.locator(".path-skill").all()
    ]
    for slug in slugs:
        SkillProgress.objects.create(
            user=learner, skill=Skill.objects.get(slug=slug), status="done"
        )
    page.reload()
    first_group = page.locator("details.rung-group").first
    assert first_group.get_attribute("open") is None
    expect(first_group.locator(".rung-left")).to_have_text(f"0 of {len(slugs)} left")
    page.get_by_role("link", name="Hide done skills").click()
    expect(page.locator(f"#skill-{slugs[0]}")).to_have_count(0)
    expect(page.get_by_role("link", name="Show every skill")).to_be_visible()
    # Every control on the page is at least 44 px tall.
    small = page.evaluate(
        """Array.from(document.querySelectorAll('main button, main select, main summary'))
            .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert small == []


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 640, "height": 400, "device_scale_factor": 2},  # 1280 × 800 at 200 % zoom
        {"width": 375, "height": 812},
    ],
    ids=["200-percent-zoom", "375px"],
)
def test_the_toast_never_covers_the_focused_button(new_page, live_catalogue, viewport):
    make_learner("zoomed")
    size = {"width": viewport["width"], "height": viewport["height"]}
    page = new_page(viewport=size, device_scale_factor=viewport.get("device_scale_factor", 1))
    browser_sign_in(page, live_catalogue.url, "zoomed")
    # A status button at the very foot of the window, where the toast appears, pressed with
    # the keyboard.
    button = page.locator("#skill-docker").get_by_role("button", name="Learning")
    button.evaluate("b => { b.scrollIntoView({block: 'end'}); b.focus({preventScroll: true}); }")
    page.keyboard.press("Enter")
    toast = page.locator("#status-announcer")
    expect(toast).to_contain_text("Docker: Learning.")
    page.wait_for_timeout(300)
    overlap = page.evaluate(
        """() => {
            const f = document.activeElement.getBoundingClientRect();
            const t = document.getElementById("status-announcer").getBoundingClientRect();
            const across = f.left < t.right && f.right > t.left;
            return {
                focused: document.activeElement.textContent.trim(),
                overlaps: across && f.top < t.bottom && f.bottom > t.top,
                inView: f.top >= 0 && f.bottom <= window.innerHeight,
            };
        }"""
    )
    assert overlap == {"focused": "Learning", "overlaps": False, "inView": True}
    # Tabbing on while it shows keeps focus clear of it too.
    page.keyboard.press("Tab")
    assert not page.evaluate(
        """() => {
            const f = document.activeElement.getBoundingClientRect();
            const t = document.getElementById("status-announcer").getBoundingClientRect();
            return f.left < t.right && f.right > t.left && f.top < t.bottom && f.bottom > t.top;
        }"""
    )
