"""In a real browser: no page breaks its Content-Security-Policy, and failed htmx requests
show a short message instead of an error page swapped into the layout."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import browser_sign_in, make_learner

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(
    [e.violatedDirective, e.blockedURI || "inline", e.sourceFile, e.lineNumber].join(" ")
  );
});
"""

PUBLIC = [
    "/",
    "/roles/ai-engineer/",
    "/roles/data-analyst/",
    "/skills/",
    "/skills/rag/",
    "/certifications/",
    "/certifications/?provider=AWS&status=retired",
    "/certifications/azure-ai-engineer-associate/",
    "/sources/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/roles/no-such-role/",
    "/search/?q=engineer",
    "/corrections/new/?skill=rag",
]
SIGNED_IN = ["/path/", "/accounts/profile/", "/accounts/password_change/", "/accounts/delete/"]
STAFF = [
    "/admin/",
    "/admin/roadmap/certification/",
    "/admin/roadmap/certification/?status=retired",
    "/admin/roadmap/skill/",
    "/admin/roadmap/role/",
    "/admin/accounts/user/",
]


def visit_all(page, base, urls):
    problems = {}
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    for url in urls:
        console.clear()
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp") + [
            c for c in console if "Content Security Policy" in c or "Refused" in c
        ]
        if found:
            problems[url] = found
    return problems


def test_no_page_violates_the_content_security_policy(new_page, live_catalogue, admin_user):
    make_learner("cspuser")
    base = live_catalogue.url
    page = new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    assert visit_all(page, base, PUBLIC) == {}

    # htmx at work: a filter change and a tick, under the same policy.
    page.goto(base + "/certifications/")
    page.get_by_label("Provider").select_option("AWS")
    expect(page).to_have_url(re.compile(r"provider=AWS"))
    page.goto(base + "/search/?q=rag")  # results as one types
    page.locator("#site-search").fill("kubern")
    expect(page.locator("#search-status")).to_contain_text("for “kubern”")
    browser_sign_in(page, base, "cspuser")
    page.locator("#skill-docker").get_by_role("button", name="Done").click()
    expect(page.locator("#count-done")).to_have_text("1")
    assert page.evaluate("window.__csp") == []
    assert visit_all(page, base, SIGNED_IN) == {}

    staff = new_page()
    staff.add_init_script(RECORD_VIOLATIONS)
    browser_sign_in(staff, base, "admin", "password", url="/admin/login/")
    change = f"/admin/roadmap/certification/{_cert_pk()}/change/"
    assert visit_all(staff, base, [*STAFF, change]) == {}


def _cert_pk():
    from roadmap.models import Certification

    return Certification.objects.get(slug="aws-ml-specialty").pk


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (403, "Your session has expired"),
        (429, "Too many attempts"),
        (500, "Something went wrong on our side"),
    ],
)
def test_a_failed_htmx_request_shows_a_short_message_and_keeps_the_page(
    new_page, live_catalogue, status, message
):
    make_learner("erruser", target="ai-engineer")
    base = live_catalogue.url
    page = new_page()
    browser_sign_in(page, base, "erruser")
    page.route(
        "**/path/status/",
        lambda route: route.fulfill(
            status=status,
            content_type="text/html",
            body="<!doctype html><html><body><h1>Server Error (500)</h1></body></html>",
        ),
    )
    page.locator("#skill-docker").get_by_role("button", name="Done").click()
    expect(page.locator("#htmx-alert")).to_contain_text(message)
    expect(page.locator("#skill-docker")).to_have_class(re.compile("status-not_started"))
    expect(page.locator("h1", has_text="Server Error")).to_have_count(0)


def test_a_real_csrf_failure_over_htmx_is_explained(new_page, live_catalogue):
    make_learner("csrfuser", current=None, target="ai-engineer")
    base = live_catalogue.url
    page = new_page()
    browser_sign_in(page, base, "csrfuser")
    page.evaluate(
        """document.body.setAttribute("hx-headers", '{"X-CSRFToken": "forged"}');
           document.querySelectorAll("input[name=csrfmiddlewaretoken]")
             .forEach(i => i.value = "forged");"""
    )
    page.locator("#skill-python").get_by_role("button", name="Done").click()
    expect(page.locator("#htmx-alert")).to_contain_text("Your session has expired")
    expect(page.locator("#skill-python")).to_have_class(re.compile("status-not_started"))
