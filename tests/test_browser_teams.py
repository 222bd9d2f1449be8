"""A team from start to finish, as people do it in Chromium (issue 12)."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from accounts.views.teams import MEMBERS_PER_PAGE

from .helpers import PASSWORD, browser_sign_in, make_learner
from .test_browser_journeys import choose_roles

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_invites_a_newcomer_who_joins_ticks_and_leaves(new_page, live_catalogue):
    base = live_catalogue.url
    make_learner("ada", current="senior-ai-engineer", target="head-of-ai")
    make_learner("cy")
    a = new_page()
    browser_sign_in(a, base, "ada")
    a.get_by_role("link", name="Teams").click()
    a.get_by_label("Team name").fill("Platform AI")
    a.get_by_label("Measure the team against").select_option(label="2. AI Engineer")
    a.get_by_role("button", name="Create the team").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Platform AI")
    team_url = a.url
    a.get_by_role("button", name="Make an invite link").click()
    invite = a.get_by_role("textbox", name="Invite link").input_value()

    # B has no account: through sign-up and straight back to the invite.
    b = new_page()
    b.goto(invite)
    b.get_by_role("link", name="Sign up to join").click()
    b.get_by_label("Username").fill("bea")
    b.get_by_label("Email").fill("bea@example.com")
    b.locator("#id_password1").fill(PASSWORD)
    b.locator("#id_password2").fill(PASSWORD)
    b.get_by_role("button", name="Sign up").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Join “Platform AI”")
    expect(b.locator("main")).to_contain_text("never your email")
    expect(b.locator("main")).to_contain_text(
        "not</strong> see your notes".replace("</strong>", "")
    )
    b.get_by_role("button", name="Join the team").click()
    expect(b.locator(".errors, .errorlist").first).to_contain_text("Tick the box to agree")
    b.get_by_label(re.compile("I agree")).check()
    b.get_by_role("button", name="Join the team").click()
    expect(b.locator(".messages")).to_contain_text("You joined “Platform AI”")
    b.goto(base + "/path/")
    choose_roles(b, "Not in an AI role yet", "2. AI Engineer")
    for slug in ("python", "sql", "statistics"):
        row = b.locator(f"#skill-{slug}")
        row.get_by_role("button", name="Done").click()
        expect(row).to_have_class(re.compile("status-done"))

    a.goto(team_url)
    # Columns: skill (a th), done by, then one per member; cells are the tds after the th.
    cell = a.locator("#matrix table thead th").all_inner_texts().index("bea") - 1
    done = [
        row.locator("th").inner_text().strip()
        for row in a.locator("#matrix table tbody tr").all()
        if row.locator("td").count() > cell
        and row.locator("td").nth(cell).inner_text().strip() == "✓ Done"
    ]
    assert sorted(done) == ["Python", "SQL", "Statistics"]
    with a.expect_download() as download:
        a.get_by_role("link", name="Download this as CSV").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    header, bea = rows[0], next(r for r in rows if r[0] == "bea")
    assert sorted(h for h, v in zip(header, bea, strict=True) if v == "Done") == [
        "Python",
        "SQL",
        "Statistics",
    ]

    # C is not a member: the team does not exist for them.
    c = new_page()
    browser_sign_in(c, base, "cy")
    response = c.goto(team_url)
    assert response.status == 404

    # B leaves: gone from A's page and CSV at once.
    b.goto(team_url)
    b.get_by_role("button", name="Leave this team").click()
    expect(b.locator(".messages")).to_contain_text("You left “Platform AI”")
    a.reload()
    expect(a.locator("#matrix table thead")).not_to_contain_text("bea")
    # Named only where managers are told she left (issue 22, item 4), nowhere else.
    expect(a.get_by_role("region", name="Lately in this team")).to_contain_text("bea left")
    for region in a.locator("main section").all():
        if region.get_attribute("aria-labelledby") != "lately-heading":
            expect(region).not_to_contain_text("bea")
    csv_text = a.request.get(team_url + "team.csv").text()
    assert "bea" not in csv_text


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_signed_out_invite_to_sign_up_join_and_roles_in_one_go(
    new_page, live_catalogue, javascript
):
    from accounts.models import Invite, Membership, Team, User
    from roadmap.models import Role, SkillProgress

    lead = make_learner("lead", current="head-of-ai", target=None)
    lead.display_name = "Ada Lovelace"
    lead.save()
    team = Team.objects.create(
        name="Platform AI", reference_role=Role.objects.get(slug="ai-engineer")
    )
    Membership.objects.create(team=team, user=lead, role="owner")
    Membership.objects.create(team=team, user=make_learner("quiet-member"))
    invite = team.make_invite(lead, 7)
    page = new_page(java_script_enabled=javascript)
    page.goto(live_catalogue.url + invite.get_absolute_url())
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join “Platform AI”")
    expect(main).to_contain_text("Ada Lovelace invited you")
    expect(main).to_contain_text("never your email")
    expect(main).not_to_contain_text("quiet-member")
    page.get_by_role("link", name="Sign up to join").click()
    page.get_by_label("Username").fill("bea")
    page.get_by_label("Email").fill("bea@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    # Back on the invite, signed in: now the box to agree.
    expect(page.get_by_role("heading", level=1)).to_have_text("Join “Platform AI”")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Join the team").click()
    # One step: roles and credit, or skip.
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to “Platform AI”")
    expect(page.locator(".messages")).to_contain_text("You joined “Platform AI”")
    expect(page.get_by_role("link", name="Skip this step")).to_be_visible()
    page.get_by_label("Where you are now").select_option(label="1. Junior AI Engineer")
    page.get_by_label("Where you want to go").select_option(label="3. Senior AI Engineer")
    expect(page.get_by_label(re.compile("Mark done the skills"))).to_be_checked()
    page.get_by_role("button", name="Save my roles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform AI")
    expect(page.locator(".messages")).to_contain_text("that Junior AI Engineer covers")
    bea = User.objects.get(username="bea")
    assert (bea.current_role.slug, bea.target_role.slug) == (
        "junior-ai-engineer",
        "senior-ai-engineer",
    )
    assert Membership.objects.get(team=team, user=bea).role == "member"
    assert SkillProgress.objects.filter(user=bea, status="done").exists()
    assert Invite.objects.get(pk=invite.pk).uses == 1
    expect(main).not_to_contain_text("You: 0%")


def test_the_matrix_filters_keep_every_choice_through_htmx_and_a_reload(new_page, live_catalogue):
    from accounts.models import Membership, Team
    from roadmap.models import Role

    owner = make_learner("lead")
    team = Team.objects.create(name="Search", reference_role=Role.objects.get(slug="ai-engineer"))
    Membership.objects.create(team=team, user=owner, role="owner")
    page = new_page(viewport={"width": 375, "height": 812})
    browser_sign_in(page, live_catalogue.url, "lead")
    page.goto(live_catalogue.url + team.get_absolute_url())
    # On arrival every select shows a real choice, not a blank.
    expect(page.locator("#id_measure")).to_have_value("reference")
    expect(page.locator("#id_order")).to_have_value("joined")
    page.locator("#id_measure").select_option("target")
    expect(page).to_have_url(re.compile("measure=target"))
    page.locator("#id_area").select_option("Programming")
    expect(page).to_have_url(re.compile("area=Programming"))
    assert "measure=target" in page.url  # the other choice went with the request
    after_swap = page.locator("#matrix").inner_text()
    page.reload()
    expect(page.locator("#id_measure")).to_have_value("target")
    expect(page.locator("#id_area")).to_have_value("Programming")
    assert page.locator("#matrix").inner_text() == after_swap


def big_team(size):
    """A team of `size` members measured against Senior AI Engineer, each with some skills
    done; 'lead' is its owner and 'member-1' a member who can sign in."""
    from accounts.models import Membership, Team, User
    from roadmap.models import Role, Skill, SkillProgress

    senior = Role.objects.get(slug="senior-ai-engineer")
    team = Team.objects.create(name="Platform AI", reference_role=senior)
    Membership.objects.create(team=team, user=make_learner("lead"), role="owner")
    member = make_learner("member-1")
    users = [member] + User.objects.bulk_create(
        User(username=f"member-{n}", target_role=senior) for n in range(2, size)
    )
    Membership.objects.bulk_create(Membership(team=team, user=user) for user in users)
    skills = list(Skill.objects.order_by("pk"))
    SkillProgress.objects.bulk_create(
        SkillProgress(user=user, skill=skill, status="done")
        for n, user in enumerate(users)
        for skill in skills[n % 7 :: 5]
    )
    return team


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"

# After the matrix is scrolled to its far corner: the corner header, the last member's name
# and the last skill's name are where they belong (the box's top or left edge) and are the
# topmost element there, so a person sees them.
HEADERS_IN_VIEW = """box => {
    box.scrollIntoView({block: "start"});
    box.scrollTo(box.scrollWidth, box.scrollHeight);
    const edge = box.getBoundingClientRect();
    const seen = (cell, where) => {
        const r = cell.getBoundingClientRect();
        // Inside the box's scrollbars, not on them.
        const right = edge.left + box.clientLeft + box.clientWidth;
        const bottom = edge.top + box.clientTop + box.clientHeight;
        const x = Math.min(r.left + r.width / 2, right - 2);
        const y = Math.min(r.top + r.height / 2, bottom - 2);
        const shown = cell.contains(document.elementFromPoint(x, y));
        const placed = where === "top" ? Math.abs(r.top - edge.top) < 3
                                       : Math.abs(r.left - edge.left) < 3;
        return shown && placed;
    };
    const heads = box.querySelectorAll("thead th");
    const rows = box.querySelectorAll("tbody th[scope=row]");
    return {
        // Scrolled down, and sideways too unless every column fits.
        scrolled: box.scrollTop > 0 && (box.scrollLeft > 0 || box.scrollWidth <= box.clientWidth),
        corner: seen(heads[0], "top") && seen(heads[0], "left"),
        lastMember: seen(heads[heads.length - 1], "top"),
        lastSkill: seen(rows[rows.length - 1], "left"),
    };
}"""


@pytest.mark.parametrize("size", [5, 40, 200])
def test_the_matrix_reads_at_any_size_on_a_desktop_and_a_phone(new_page, live_catalogue, size):
    team = big_team(size)
    url = live_catalogue.url + team.get_absolute_url()
    manager, member = new_page(), new_page()
    browser_sign_in(manager, live_catalogue.url, "lead")
    browser_sign_in(member, live_catalogue.url, "member-1")
    for width, height in [(1280, 800), (375, 812)]:
        manager.set_viewport_size({"width": width, "height": height})
        manager.goto(url)
        assert manager.evaluate(NO_SIDEWAYS_SCROLL), (size, width)
        box = manager.locator("#matrix .sticky-scroll")
        # A page of members at a time (accounts/views/teams.py), the rest behind links.
        expect(box.locator("thead th")).to_have_count(min(size, MEMBERS_PER_PAGE) + 2)
        seen = box.evaluate(HEADERS_IN_VIEW)
        assert seen == {"scrolled": True, "corner": True, "lastMember": True, "lastSkill": True}, (
            size,
            width,
        )
        if size > MEMBERS_PER_PAGE and width > 1000:
            # The next page of members, in place with htmx: the matrix and the members'
            # table both move on, and the address says where we are.
            manager.get_by_role("navigation", name="Pages of members (matrix)").get_by_role(
                "link", name="Members page 2"
            ).click()
            expect(box.locator("thead th").nth(2)).to_have_text(f"member-{MEMBERS_PER_PAGE}")
            members = manager.locator("#members-table tbody th")
            expect(members.first).to_have_text(f"member-{MEMBERS_PER_PAGE}")
            assert "page=2" in manager.url
        manager.goto(url + "members/")
        assert manager.evaluate(NO_SIDEWAYS_SCROLL), (size, width)
        member.set_viewport_size({"width": width, "height": height})
        member.goto(url)
        expect(member.get_by_role("columnheader", name="You")).to_be_visible()
        assert member.evaluate(NO_SIDEWAYS_SCROLL), (size, width)
