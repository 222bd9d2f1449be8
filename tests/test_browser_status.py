"""What a person sees of a skill's status on My path: checked by computed style in Chromium,
after an htmx tick and after a reload (issue 11, item 1)."""

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)

GREEN = "rgb(29, 122, 70)"  # --ok
WHITE = "rgb(255, 255, 255)"  # --card


def look(page, slug, label):
    """Background, text colour and the mark before the label of one status button."""
    button = page.locator(f"#skill-{slug}").get_by_role("button", name=label)
    return button.evaluate(
        """b => {
            const style = getComputedStyle(b);
            return [style.backgroundColor, style.color, getComputedStyle(b, "::before").content];
        }"""
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_chosen_status_is_filled_and_ticked_after_htmx_and_after_reload(
    new_page, live_catalogue, width
):
    make_learner("viewer")
    page = new_page(viewport={"width": width, "height": 900})
    browser_sign_in(page, live_catalogue.url, "viewer")
    expect(page).to_have_url(live_catalogue.url + "/path/")

    pressed, _, mark = look(page, "docker", "Not started")
    assert mark == '"✓ "'
    assert pressed not in (WHITE, "rgba(0, 0, 0, 0)")
    background, _, mark = look(page, "docker", "Done")
    assert background == WHITE and mark == "none"

    page.locator("#skill-docker").get_by_role("button", name="Done").click()
    expect(page.locator("#skill-docker")).to_have_class("path-skill status-done")
    after_tick = {label: look(page, "docker", label) for label in ("Not started", "Done")}
    assert after_tick["Done"] == [GREEN, WHITE, '"✓ "']
    assert after_tick["Not started"][0] == WHITE and after_tick["Not started"][2] == "none"

    page.reload()
    after_reload = {label: look(page, "docker", label) for label in ("Not started", "Done")}
    assert after_reload == after_tick


SECTIONS = ["#progress-summary", "#up-next", "#ladder-picture", "#recommended-certs", ".pace-box"]


def sections(page):
    return {
        selector: page.locator(selector).evaluate_all(
            "els => els.map(el => el.textContent.replace(/\\s+/g, ' ').trim())"
        )
        for selector in SECTIONS
    }


def test_after_a_tick_the_page_reads_as_it_would_after_a_reload(new_page, live_catalogue):
    from roadmap.models import Skill

    learner = make_learner("ticker")
    learner.hours_per_week = 5
    learner.save()
    Skill.objects.filter(slug__in=["docker", "kubernetes", "rag"]).update(
        effort_hours_low=10, effort_hours_high=20
    )
    page = new_page()
    browser_sign_in(page, live_catalogue.url, "ticker")
    before = sections(page)
    page.locator("#skill-docker").get_by_role("button", name="Done").click()
    expect(page.locator("#count-done")).to_have_text("1")
    after_tick = sections(page)
    assert after_tick != before  # the tick changed what these sections say
    assert after_tick["#ladder-picture"] != before["#ladder-picture"]
    page.reload()
    assert sections(page) == after_tick
