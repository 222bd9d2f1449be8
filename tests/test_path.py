import re

import pytest
from django.urls import reverse

from roadmap.models import (
    Certification,
    CertificationProgress,
    Claim,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    SkillProgress,
)

pytestmark = pytest.mark.django_db


def path_html(client):
    response = client.get(reverse("roadmap:path"))
    assert response.status_code == 200
    return response.content.decode()


def skill_order(html):
    return re.findall(r'<li id="skill-([a-z0-9-]+)" class="path-skill', html)


def set_status(user, slug, status):
    SkillProgress.objects.update_or_create(
        user=user, skill=Skill.objects.get(slug=slug), defaults={"status": status}
    )


def test_the_path_needs_sign_in(client):
    response = client.get(reverse("roadmap:path"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/path/"


def test_without_a_target_the_path_asks_for_one(alice_client):
    html = path_html(alice_client)
    assert "Say where you are and where you want to go" in html
    assert 'name="target_role"' in html


def test_a_junior_aiming_for_senior_gets_the_two_rungs_above_in_order(
    alice_client, junior_to_senior
):
    html = path_html(alice_client)
    assert "My path to Senior AI Engineer" in html
    assert html.index("Added by AI Engineer") < html.index("Added by Senior AI Engineer")
    assert "Added by Junior AI Engineer" not in html
    order = skill_order(html)
    assert len(order) == len(set(order)) == 27
    assert "python" not in order
    assert (
        order.index("docker") < order.index("model-deployment") < order.index("drift-monitoring")
    )
    assert order.index("mlflow") < order.index("model-versioning")
    assert order.index("drift-monitoring") < order.index("automated-retraining")


def test_someone_not_in_ai_yet_starts_from_the_first_rung(alice_client, alice):
    alice.target_role = Role.objects.get(slug="ai-engineer")
    alice.save()
    html = path_html(alice_client)
    assert "From not in an AI role yet" in html
    order = skill_order(html)
    assert len(order) == 34
    assert order.index("probability") < order.index("statistics")
    assert order.index("python") < order.index("pytorch")
    assert order.index("statistics") < order.index("ml-fundamentals") < order.index("pytorch")


def test_an_adjacent_target_lists_that_roles_skills(alice_client, junior_to_senior):
    junior_to_senior.target_role = Role.objects.get(slug="data-analyst")
    junior_to_senior.save()
    html = path_html(alice_client)
    assert sorted(skill_order(html)) == ["communication", "python", "r", "sql", "statistics"]


def test_progress_is_counted_honestly(alice_client, junior_to_senior):
    set_status(junior_to_senior, "docker", "done")
    set_status(junior_to_senior, "mlflow", "done")
    set_status(junior_to_senior, "rag", "learning")
    set_status(junior_to_senior, "llamaindex", "skipped")
    set_status(junior_to_senior, "python", "done")  # not on this path: does not count
    html = path_html(alice_client)
    assert '<dd id="count-done">2</dd>' in html
    assert '<dd id="count-learning">1</dd>' in html
    assert '<dd id="count-skipped">1</dd>' in html
    assert '<dd id="count-remaining">23</dd>' in html
    assert "<strong>7%</strong> done" in html  # 2 of 27, rounded down
    assert 'aria-label="Cloud and MLOps: 2 of 9 done"' in html


def test_up_next_lists_ready_skills_and_moves_on_as_you_tick(alice_client, junior_to_senior):
    html = path_html(alice_client)
    up_next = html[
        html.index('id="up-next"') : html.index("</section>", html.index('id="up-next"'))
    ]
    assert 'href="#skill-docker"' in up_next
    assert 'href="#skill-kubernetes"' not in up_next
    set_status(junior_to_senior, "docker", "done")
    for slug in ["context-window-management", "hugging-face-transformers", "langchain"]:
        set_status(junior_to_senior, slug, "done")
    html = path_html(alice_client)
    up_next = html[
        html.index('id="up-next"') : html.index("</section>", html.index('id="up-next"'))
    ]
    assert 'href="#skill-docker"' not in up_next
    assert 'href="#skill-ci-cd-for-models"' in up_next


def salary_section(html):
    start = html.index('id="salary-heading"')
    return html[start : html.index("</section>", start)]


def test_salary_for_now_and_target_each_with_source_or_no_figure(alice_client, junior_to_senior):
    html = path_html(alice_client)
    salaries = salary_section(html)
    assert "median USD 110,000" in salaries
    assert "over USD 200,000" in salaries
    assert salaries.count("The guide (a third-party report):") == 2
    junior_to_senior.target_role = Role.objects.get(slug="data-engineer")
    junior_to_senior.save()
    html = path_html(alice_client)
    salaries = salary_section(html)
    # The same display as the role page: a proxy is labelled as one.
    assert "Not this role's own pay:" in salaries
    assert "“Database architects”" in salaries
    Claim.objects.filter(role__slug="data-engineer").delete()
    html = path_html(alice_client)
    salaries = salary_section(html)
    assert "No sourced figure yet in this region (United States)." in salaries


def test_recommended_certifications_are_never_retired(alice_client, junior_to_senior):
    html = path_html(alice_client)
    # The list itself (the best next certification is above it, in its own box).
    recommended = html[html.index('id="recommended-certs"') : html.index("My certification plan")]
    assert recommended.count("<li>") == 3
    assert "badge-retired" not in recommended
    assert "AWS Certified Machine Learning – Specialty" not in recommended
    assert "Microsoft Certified: Azure AI Engineer Associate" not in recommended
    assert "covers " in recommended


def test_a_retired_certification_on_the_plan_warns_and_names_its_successor(
    alice_client, junior_to_senior
):
    CertificationProgress.objects.create(
        user=junior_to_senior,
        certification=Certification.objects.get(slug="azure-ai-engineer-associate"),
        status="planned",
    )
    html = path_html(alice_client)
    plan = html[html.index("My certification plan") :]
    assert "Retired on 30 Jun 2026: it can no longer be earned." in plan
    assert "Plan <a" in plan
    assert "Azure AI Apps and Agents Developer Associate" in plan


def make_big_catalogue(user, extra_skills):
    area = SkillArea.objects.get(slug="llm-engineering")
    role = Role.objects.get(slug="ai-engineer")
    skills = Skill.objects.bulk_create(
        Skill(slug=f"extra-{i}", name=f"Extra {i}", area=area, summary=".")
        for i in range(extra_skills)
    )
    RoleSkill.objects.bulk_create(RoleSkill(role=role, skill=s) for s in skills)
    prompt = Skill.objects.get(slug="prompt-engineering")
    for skill in skills:
        skill.prerequisites.add(prompt)
    SkillProgress.objects.bulk_create(
        SkillProgress(user=user, skill=s, status="done") for s in Skill.objects.all()
    )


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_path_page_makes_the_same_number_of_queries_however_long_the_path(
    alice_client, alice, django_assert_num_queries, size
):
    if size == "small":
        alice.target_role = Role.objects.get(slug="data-analyst")
    else:
        alice.target_role = Role.objects.get(slug="head-of-ai")
        make_big_catalogue(alice, 200)
    alice.save()
    CertificationProgress.objects.create(
        user=alice,
        certification=Certification.objects.get(slug="azure-ai-engineer-associate"),
        status="planned",
    )
    # A cold cache: session, user, catalogue version, roles, role skills, skills,
    # prerequisites, certifications (+ successors, + skills, + roles), salary bands, progress,
    # certification plans, team suggestions, unseen notices of catalogue changes, and the
    # skills' learning resources (one query for all of them, shown in each row).
    with django_assert_num_queries(17):
        response = alice_client.get(reverse("roadmap:path"))
    # Warm: session, user, catalogue version; the rendered path comes from the cache.
    with django_assert_num_queries(3):
        response = alice_client.get(reverse("roadmap:path"))
    assert response.status_code == 200
    if size == "large":
        assert len(skill_order(response.content.decode())) > 230


def test_the_ladder_shows_what_it_takes_to_hold_each_role_in_text(alice_client, junior_to_senior):
    set_status(junior_to_senior, "python", "done")
    set_status(junior_to_senior, "sql", "done")
    html = path_html(alice_client)
    ladder = html[html.index('id="ladder-picture"') : html.index('id="ladder-caption"')]
    text = " ".join(re.sub(r"<[^>]+>", " ", ladder).split())
    # Each rung holds the ones below it: the target's bar moves with every skill on the way.
    assert "1. Junior AI Engineer You are here 13% (2 of 15)" in text
    assert "3. Senior AI Engineer Your target 4% (2 of 42)" in text
    assert "Data Analyst 40% (2 of 5)" in text
    assert ladder.count("<progress") == 9
    assert 'aria-label="Senior AI Engineer: 2 of 42 skills done"' in ladder
    assert "style=" not in ladder


def test_progress_over_time_draws_weekly_completions_and_a_heatmap_with_a_table(
    alice_client, junior_to_senior
):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    for slug, days_ago in [("docker", 0), ("mlflow", 1), ("rag", 15)]:
        SkillProgress.objects.create(
            user=junior_to_senior,
            skill=Skill.objects.get(slug=slug),
            status="done",
            started_at=now - datetime.timedelta(days=days_ago + 2),
            completed_at=now - datetime.timedelta(days=days_ago),
        )
    assert 'href="/path/history/"' in path_html(alice_client)
    html = alice_client.get("/path/history/").content.decode()
    section = html[html.index('id="over-time-heading"') :]
    assert "Skills completed per week, last 12 weeks: 3 in all" in section
    assert section.count('class="bar-fill"') == 24  # 12 months, then 12 weeks
    assert "<caption>Skills completed per week</caption>" in section
    table = section[section.index("<caption>Skills completed per week") :]
    assert sum(int(n) for n in re.findall(r"<td>(\d+)</td></tr>", table)) == 3
    heat = section[section.index('id="heat-title"') :]
    # Six days had a start or a completion (today, 1, 2, 3, 15 and 17 days ago); each
    # other day's square is empty. The legend's squares (below the days) are left out.
    assert "Days with activity, last 12 weeks: 6" in heat
    days = re.findall(
        r'<rect x="\d+" y="(\d+)" width="15" height="15" rx="2" class="heat-(\d)"', heat
    )
    levels = [level for y, level in days if int(y) < 152]
    assert len(levels) == 77 + timezone.localdate().weekday() + 1  # eleven weeks and this one
    assert levels.count("1") == 6 and levels.count("0") == len(levels) - 6
    assert "style=" not in section
    # The tallest bar's number sits inside the picture, not clipped at its top edge.
    weekly = section[: section.index('id="heat-title"')]
    label_ys = [int(y) for y in re.findall(r'y="(-?\d+)" text-anchor="middle"', weekly)]
    assert min(label_ys) >= 12
    # The heatmap names its months and has a legend.
    months = re.findall(r'class="chart-label">([A-Z][a-z]{2})</text>', heat)
    assert len([m for m in months if m not in ("Mon", "Fri")]) >= 2
    assert ">Less</text>" in heat and ">More</text>" in heat


def test_pace_is_off_by_default_and_estimates_a_date_range_per_rung_when_asked(
    alice_client, junior_to_senior
):
    # Every skill in the catalogue has an estimate: leave only two, to see the partial count.
    Skill.objects.update(effort_hours_low=None, effort_hours_high=None)
    for slug, low, high in [("docker", 10, 20), ("kubernetes", 20, 40)]:
        skill = Skill.objects.get(slug=slug)
        skill.effort_hours_low, skill.effort_hours_high = low, high
        skill.save()
    assert "Estimate:" not in path_html(alice_client)
    response = alice_client.post(
        reverse("accounts:profile"),
        {
            "current_role": junior_to_senior.current_role_id,
            "target_role": junior_to_senior.target_role_id,
            "hours_per_week": "10",
        },
    )
    assert response.status_code == 302
    html = path_html(alice_client)
    ai = html[html.index("Added by AI Engineer") : html.index("Added by Senior AI Engineer")]
    assert "<strong>Estimate:</strong> 1–2 weeks at 10 hours a week" in ai
    ai_text = " ".join(re.sub(r"<[^>]+>", " ", ai).split())
    assert (
        "for 1 remaining skill: the catalogue’s estimates (a course’s stated length where one is "
        "given, ours otherwise); 18 more have no estimate" in ai_text
    )
    assert "are not counted. An estimate, not a fact." in ai_text
    senior = html[html.index("Added by Senior AI Engineer") :]
    assert "2–4 weeks at 10 hours a week" in senior
    set_status(junior_to_senior, "docker", "done")
    html = path_html(alice_client)
    ai = html[html.index("Added by AI Engineer") : html.index("Added by Senior AI Engineer")]
    assert "Estimate:" not in ai  # the only estimated skill there is done


@pytest.mark.parametrize("hours", ["0", "81", "lots", "-3"])
def test_an_impossible_pace_is_refused(alice_client, junior_to_senior, hours):
    response = alice_client.post(
        reverse("accounts:profile"),
        {"target_role": junior_to_senior.target_role_id, "hours_per_week": hours},
    )
    assert response.status_code == 400
    junior_to_senior.refresh_from_db()
    assert junior_to_senior.hours_per_week is None


def test_a_note_over_the_limit_is_refused_with_a_message_not_cut(alice_client, junior_to_senior):
    page = alice_client.get("/path/skills/docker/note/").content.decode()
    assert "maxlength" not in page[page.index("<textarea") : page.index("</textarea>")]
    assert "Up to 5,000 characters." in page
    response = alice_client.post("/path/skills/docker/note/", {"note": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters (it has 5001)" in response.content.decode()
    assert not SkillProgress.objects.filter(user=junior_to_senior, note__startswith="x").exists()


def test_an_evidence_link_without_a_scheme_gets_https_as_the_form_says(
    alice_client, junior_to_senior
):
    page = alice_client.get("/path/skills/docker/note/").content.decode()
    assert "https:// is added if you leave it out" in page
    alice_client.post("/path/skills/docker/note/", {"note": "", "evidence_url": "ex.org/work"})
    progress = SkillProgress.objects.get(user=junior_to_senior, skill__slug="docker")
    assert progress.evidence_url == "https://ex.org/work"


def test_core_and_recommended_are_marked_and_a_skipped_recommended_skill_counts_out(
    alice_client, junior_to_senior
):
    recommended = (
        RoleSkill.objects.filter(
            importance="recommended",
            role__slug__in=["ai-engineer", "senior-ai-engineer"],
        )
        .select_related("skill")
        .first()
        .skill
    )
    html = path_html(alice_client)
    row = html[html.index(f'id="skill-{recommended.slug}"') :]
    row = row[: row.index("</li>")]
    assert '<span class="badge badge-recommended">Recommended</span>' in row
    docker = html[html.index('id="skill-docker"') :]
    assert '<span class="badge badge-core">Core</span>' in docker[: docker.index("</li>")]
    assert "A recommended skill you skip is left out of the" in html

    SkillProgress.objects.create(user=junior_to_senior, skill=recommended, status="skipped")
    html = path_html(alice_client)
    assert "(1 left out, so it counts 26)" in html


def pace_text(client, role="ai-engineer"):
    html = path_html(client)
    box = html[html.index(f'id="pace-{role}"') :]
    return " ".join(re.sub(r"<[^>]+>", " ", box[: box.index("</div>")]).split())


def test_without_estimates_the_pace_says_what_is_missing(alice_client, junior_to_senior):
    Skill.objects.update(effort_hours_low=None, effort_hours_high=None)
    junior_to_senior.hours_per_week = None
    junior_to_senior.save()
    assert "say how many hours a week you can give in your profile" in pace_text(alice_client)
    junior_to_senior.hours_per_week = 5
    junior_to_senior.save()
    text = pace_text(alice_client)
    assert "No pace yet: none of the" in text and "has an estimate" in text
    assert "Your estimate" in text


def test_a_users_own_estimate_gives_a_pace_marked_as_theirs(alice_client, junior_to_senior):
    Skill.objects.update(effort_hours_low=None, effort_hours_high=None)
    junior_to_senior.hours_per_week = 5
    junior_to_senior.save()
    response = alice_client.post(
        reverse("roadmap:skill_note", args=["docker"]),
        {"note": "", "evidence_url": "", "hours_estimate": "20"},
    )
    assert response.status_code == 302
    text = pace_text(alice_client)
    # A range whose ends are equal reads as one value, its date as one day.
    assert "Estimate: 4 weeks at 5 hours a week, so on " in text
    assert "Based on 20 hours for 1 remaining skill: your own estimate for 1" in text
    assert "–" not in text and "between" not in text
    assert "more have no estimate and are not counted" in text
    # Out of range: a message, and the saved estimate stays.
    response = alice_client.post(
        reverse("roadmap:skill_note", args=["docker"]),
        {"note": "", "evidence_url": "", "hours_estimate": "5000"},
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 2000." in response.content.decode()
    assert SkillProgress.objects.get(skill__slug="docker").hours_estimate == 20


def up_next_section(html):
    start = html.index('id="up-next"')
    return html[start : html.index("</section>", start)]


def row_html(html, slug):
    start = html.index(f'id="skill-{slug}"')
    return html[start : html.index("</li>", start)]


def set_roles(user, current, target):
    user.current_role = Role.objects.get(slug=current) if current else None
    user.target_role = Role.objects.get(slug=target)
    user.save()


def test_a_data_analyst_aiming_at_ml_engineer_learns_the_maths_before_pytorch(alice_client, alice):
    set_roles(alice, "data-analyst", "ml-engineer")
    html = path_html(alice_client)
    order = skill_order(html)
    # Not hers through her role, needed by the role's skills: on her path, before them.
    for slug in ["calculus", "linear-algebra", "ml-fundamentals"]:
        assert slug in order and order.index(slug) < order.index("pytorch")
    assert "statistics" not in order  # her role gives her Statistics
    assert "Needed first for PyTorch and TensorFlow" in row_html(html, "calculus")
    assert "Needed first for" not in row_html(html, "ml-fundamentals")  # the role's own
    assert "Needed first for Machine learning fundamentals, PyTorch and TensorFlow" in (
        row_html(html, "linear-algebra")
    )
    ready = up_next_section(html)
    assert 'href="#skill-pytorch"' not in ready
    assert 'href="#skill-calculus"' in ready and 'href="#skill-linear-algebra"' in ready
    # Ticked through the path's own form, like any skill; PyTorch waits for all three.
    for slug in ["calculus", "linear-algebra"]:
        alice_client.post(reverse("roadmap:path_status"), {"set": f"{slug}:done"})
    assert 'href="#skill-pytorch"' not in up_next_section(path_html(alice_client))
    alice_client.post(reverse("roadmap:path_status"), {"set": "ml-fundamentals:done"})
    assert 'href="#skill-pytorch"' in up_next_section(path_html(alice_client))


def test_a_tick_on_an_added_prerequisite_keeps_its_mark(alice_client, alice):
    set_roles(alice, "data-analyst", "ml-engineer")
    response = alice_client.post(
        reverse("roadmap:path_status"),
        {"set": "calculus:learning"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/path/"},
    )
    assert response.status_code == 200
    assert "Needed first for PyTorch and TensorFlow" in row_html(
        response.content.decode(), "calculus"
    )


def test_a_head_of_ai_keeps_his_role_current_with_no_higher_target(alice_client, alice):
    from django.core.cache import cache

    set_roles(alice, "head-of-ai", "head-of-ai")
    alice.hours_per_week = 5
    alice.save()
    Skill.objects.filter(slug="ai-strategy").update(effort_hours_low=10, effort_hours_high=20)
    html = path_html(alice_client)
    assert "Keeping Head of AI current" in html
    assert "My path to" not in html
    order = skill_order(html)
    own = ["data-governance", "ai-strategy", "ai-budgeting", "ai-change-management", "ai-literacy"]
    assert sorted(order[:5]) == sorted(own)  # his own skills first
    assert "python" in order  # and the rungs below, folded
    assert '<details class="rung-group" id="rung-head-of-ai" open>' in html
    assert '<details class="rung-group" id="rung-junior-ai-engineer">' in html
    assert "Head of AI’s own skills" in html
    # Up next offers his own skills, never one whose prerequisite is unmet.
    ready = up_next_section(html)
    assert 'href="#skill-ai-strategy"' in ready
    assert 'href="#skill-ai-budgeting"' in ready  # AI strategy is his through his role
    # The certifications that fit the role, not "for what is left".
    assert "Certifications that fit Head of AI" in html
    certs = html[html.index('id="certifications"') : html.index("My certification plan")]
    assert "of the skills Head of AI takes" in certs and "<li>" in certs
    # Said plainly when none is listed for his role or covers its own skills (none today).
    fits_own = any(
        not c.is_retired
        and (
            c.roles.filter(slug="head-of-ai").exists()
            or c.skills.filter(role_skills__role__slug="head-of-ai").exists()
        )
        for c in Certification.objects.all()
    )
    assert ("None is listed for Head of AI or covers its own skills" in certs) is not fits_own
    # The pace and the bars make sense: no "0 of 0", a date range for his own skills.
    assert "0 of 0" not in html
    assert "weeks at 5 hours a week" in html
    assert "<strong>0%</strong> done" in html
    # The salary shows his role once, with no target beside it.
    assert "Target: Head of AI" not in html
    # Everything done: still no division by zero, and certifications still fit.
    for skill in Skill.objects.all():
        set_status(alice, skill.slug, "done")
    alice.progress_version += 1
    alice.save()
    cache.clear()
    html = path_html(alice_client)
    assert "<strong>100%</strong> done" in html
    assert "0 of 0" not in html
    assert "Certifications that fit Head of AI" in html and "covers " in html


def test_keeping_a_role_current_opens_a_rung_below_where_a_skill_changed(alice_client, alice):
    import datetime

    from django.utils import timezone

    set_roles(alice, "head-of-ai", "head-of-ai")
    set_status(alice, "docker", "done")
    SkillProgress.objects.filter(user=alice).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    html = path_html(alice_client)
    assert '<details class="rung-group" id="rung-ai-engineer">' in html
    assert "Nothing has changed since you marked your skills." in html
    docker = Skill.objects.get(slug="docker")
    docker.summary = "Containers, described anew."
    docker.save()
    html = path_html(alice_client)
    assert '<details class="rung-group" id="rung-ai-engineer" open>' in html
    assert "Updated since you marked it" in row_html(html, "docker")
    assert 'Updated since you marked it: <a href="#skill-docker">Docker</a>' in " ".join(
        html.split()
    )


def test_keeping_a_role_current_lists_the_certifications_the_catalogue_gives_the_role(
    alice_client, alice
):
    set_roles(alice, "ml-engineer", "ml-engineer")
    html = path_html(alice_client)
    certs = html[html.index('id="certifications"') : html.index("My certification plan")]
    assert "Certifications that fit ML Engineer" in certs
    listed = [
        c for c in Certification.objects.filter(roles__slug="ml-engineer") if not c.is_retired
    ]
    assert listed
    # The three that fit best, all of them ones the catalogue lists for the role.
    shown = [c for c in listed if c.name in certs]
    assert len(shown) == min(3, len(listed))
    assert "listed for ML Engineer" in certs


def test_the_largest_estimates_at_one_hour_a_week_do_not_break_the_path(
    alice_client, junior_to_senior
):
    Skill.objects.update(effort_hours_low=2000, effort_hours_high=2000)
    junior_to_senior.hours_per_week = 1
    junior_to_senior.save()
    response = alice_client.get("/path/")
    assert response.status_code == 200
    assert "more than 50 years from now" in response.content.decode()


def test_a_message_shows_once_on_the_kept_page_and_is_never_kept(alice_client, junior_to_senior):
    # The page is kept whole per user; a message (after a form sent without JavaScript) must
    # still show once, and the kept page must not carry it afterwards.
    first = path_html(alice_client)
    assert "Put back" not in first
    response = alice_client.post(reverse("roadmap:credit"), {"action": "undo"})
    assert response.status_code == 302  # nothing to put back: no progress changed
    assert "Put back 0 skills as they were before." in path_html(alice_client)
    again = path_html(alice_client)
    assert "Put back" not in again
    assert skill_order(again) == skill_order(first)
