"""Teams: create one, invite people by link, join with consent, see who knows what, leave.

Every team URL answers 404 to anyone who is not a member, and a member sees only the team's
counts and their own row; managers (and owners) see everyone's. A membership is checked
on every request, so someone who left or was removed loses access at once, everywhere.
"""

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from roadmap import caching
from roadmap.exporting import csv_download
from roadmap.models import CatalogueVersion, Role
from roadmap.selectors import catalogue_graph, credit_for_current_role

from ..coverage import area_names, team_coverage
from ..dashboard import team_plan
from ..forms import (
    InviteByEmailForm,
    InviteForm,
    JoinForm,
    JoinRolesForm,
    TeamFilterForm,
    TeamForm,
)
from ..invite_mail import send_invites
from ..models import Invite, Membership, Team, TeamChangeRefused, TeamEvent, User


def membership_or_404(request, pk, manager=False):
    """The user's membership of team `pk`; 404 for a non-member (or a non-manager when a
    manager is needed), so nobody learns that the team exists."""
    # Read on the primary, never a replica that may lag: whoever left or was removed a
    # moment ago is out on this request, whatever device it comes from.
    membership = (
        Membership.objects.using("default")
        .select_related("team__reference_role")
        .filter(team_id=pk, user=request.user)
        .first()
    )
    if membership is None or (manager and not membership.manages):
        raise Http404("No such team")
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def team_list(request):
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = Team.start(request.user, **form.cleaned_data)
        except TeamChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Team “{team.name}” created. Invite people from its page.")
            return redirect(team)
    memberships = Membership.objects.filter(user=request.user).select_related("team")
    ctx = {"memberships": memberships, "form": form}
    return render(request, "accounts/teams.html", ctx, status=400 if form.errors else 200)


def _members(team):
    """The team's members, from the primary: someone who just left is on no page or CSV."""
    return list(
        Membership.objects.using("default")
        .filter(team=team)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


# What the matrix, the plan and their cache key (roadmap/caching.py team_key) read of each
# member, as plain rows: a 200-member team opened again builds no model instance.
PEOPLE = (
    "pk",
    "role",
    "user_id",
    "user__progress_version",
    "user__display_name",
    "user__username",
    "user__target_role_id",
)


def _people(team):
    """One row per member (PEOPLE), in the order they joined, from the primary."""
    return list(
        Membership.objects.using("default")
        .filter(team=team)
        .order_by("joined_at", "pk")
        .values_list(*PEOPLE)
    )


def _as_memberships(team, people):
    """The memberships (each with its user) the matrix is built from, out of `_people`'s
    rows: only the fields the matrix shows are set, and nothing is saved."""
    memberships = []
    for pk, role, user_id, progress_version, display_name, username, target_role_id in people:
        membership = Membership(pk=pk, team=team, role=role)
        membership.user = User(
            pk=user_id,
            username=username,
            display_name=display_name,
            target_role_id=target_role_id,
            progress_version=progress_version,
        )
        memberships.append(membership)
    return memberships


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def team_detail(request, pk):
    mine = membership_or_404(request, pk)
    if mine.manages:
        return _managers_page(request, mine)
    # A member sees the team's counts and their own row, no one else's.
    memberships = _members(mine.team)
    coverage = team_coverage(mine.team, memberships)
    position = next(i for i, m in enumerate(memberships) if m.pk == mine.pk)
    ctx = {
        "team": mine.team,
        "mine": mine,
        "coverage": coverage,
        "reference": coverage.reference,
        "members_count": len(coverage.members),
        "skills_count": len(coverage.skills),
        "own": coverage.members[position],
        "own_rows": [(line, line.cells[position]) for line in coverage.skills],
    }
    return render(request, "accounts/team.html", ctx)


# The matrix and the members' table show this many members at a time (a page of columns):
# a 200-member team's first view stays small, the rest is a link (or htmx) away.
MEMBERS_PER_PAGE = 20


@dataclass
class MembersPage:
    number: int
    count: int  # pages
    start: int  # index of the first member shown
    stop: int
    total: int  # members
    query: str  # the filters, without the page, for the pager's links

    @property
    def numbers(self):
        return range(1, self.count + 1)


def _members_page(request, total, query):
    """Which page of members the request asks for; anything that is not a page number
    shows the first, a number past the last shows the last."""
    count = max(1, -(-total // MEMBERS_PER_PAGE))
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    number = min(max(number, 1), count)
    start = (number - 1) * MEMBERS_PER_PAGE
    return MembersPage(number, count, start, min(start + MEMBERS_PER_PAGE, total), total, query)


def _managers_page(request, mine, invite_form=None, email_form=None, status=400):
    """The team page as managers see it (or its matrix alone, for htmx); with an invite
    form as it was sent when it was refused (with `status`).

    The plan, the matrix and the members' table are rendered once and kept under a key of
    every member's progress_version (roadmap/caching.py `team_key`): a page opened again,
    or another page of members, costs no progress read. Events, notices and invite links
    are read per request."""
    team = mine.team
    people = _people(team)
    version = CatalogueVersion.current()
    form, query = _filters(request, version)
    page = _members_page(request, len(people), query)
    refused = invite_form is not None or email_form is not None
    status = status if refused else 400 if form.errors else 200
    fragment = not refused and request.htmx and not request.htmx.history_restore_request
    parts = _cached_parts(team, people, version, form, page, plan=not fragment)
    ctx = {
        "team": team,
        "mine": mine,
        "parts": parts,
        "skills_count": parts["skills"],
        "reference": catalogue_graph(version).roles[team.reference_role_id],
        "members_count": len(people),
        "measure": (None if form.errors else form.cleaned_data.get("measure")) or "reference",
        "filter_form": form,
    }
    if fragment:
        # The matrix, and the members' table out of band: the same page of members.
        return render(request, "accounts/team_matrix.html", ctx, status=status)
    ctx["events"], ctx["new_events"] = _lately(request.user, team)
    ctx["invites"] = team.invites.filter(revoked_at=None, expires_at__gt=timezone.now())
    ctx["invite_form"] = InviteForm() if invite_form is None else invite_form
    ctx["email_form"] = InviteByEmailForm(prefix="email") if email_form is None else email_form
    if invite_form is None:
        ctx["blank_invite_fields"] = _blank_fields(InviteForm)
    if email_form is None:
        ctx["blank_email_fields"] = _blank_fields(InviteByEmailForm, prefix="email")
    return render(request, "accounts/team.html", ctx, status=status)


@functools.cache
def _blank_fields(form_class, prefix=None):
    """An empty form's fields as HTML, rendered once per process: the same on every team
    page (no value, no error, no token), and Django's widget templates are a large share of
    the page's time."""
    form = form_class(prefix=prefix)
    return mark_safe("".join(field.as_field_group() for field in form))  # noqa: S308


def _cached_parts(team, people, version, form, page, plan=True):
    """{"skills": how many the matrix measures, "matrix", "members" and (`plan`) "plan":
    HTML}, from the cache or rendered (reading everyone's progress once) and kept. Nothing
    in them is the viewer's own, and they hold no CSRF token."""
    query = (bool(form.errors), page.query, page.number)
    keys = {"matrix": caching.team_key(team, people, "matrix", *query, version=version)}
    if plan:
        keys["plan"] = caching.team_key(team, people, "plan", version=version)
    found = caching.recall_many(list(keys.values()))
    parts = {}
    for value in found.values():
        parts.update(value)
    if len(found) == len(keys):
        return parts
    coverage, shown = _coverage_shown(team, _as_memberships(team, people), version, form)
    fresh = {}
    if keys["matrix"] not in found:
        ctx = {
            "team": team,
            "coverage": coverage,
            "filter_form": form,
            "page": page,
            "page_members": coverage.members[page.start : page.stop],
            "shown": [
                (area, [(line, line.cells_html_between(page.start, page.stop)) for line in lines])
                for area, lines in shown
            ],
            "csv_query": page.query,
        }
        fresh[keys["matrix"]] = {
            "skills": len(coverage.skills),
            "matrix": render_to_string("accounts/team.html#matrix", ctx),
            "members": render_to_string("accounts/team.html#members", ctx),
        }
        if not form.errors:
            # The filters as chosen: the key holds them (page.query), and the areas offered
            # come with the catalogue version. Filters not understood are shown as sent.
            fresh[keys["matrix"]]["filters"] = render_to_string("accounts/team.html#filters", ctx)
    if plan and keys["plan"] not in found:
        ctx = {"team": team, "coverage": coverage, "plan": team_plan(coverage)}
        fresh[keys["plan"]] = {"plan": render_to_string("accounts/_team_plan.html", ctx)}
    caching.store_many(fresh)
    for value in fresh.values():
        parts.update(value)
    return parts


def _lately(user, team):
    """The team's last few events, and which of them are news to this manager (seen now)."""
    from roadmap.models import Notice

    events = list(team.events.all()[:5])
    unseen = Notice.objects.filter(user=user, team_event__team=team, seen_at__isnull=True)
    new = set(unseen.values_list("team_event_id", flat=True))
    if new:
        unseen.update(seen_at=timezone.now())
    return events, new


FILTERS = ("measure", "order", "area", "status", "gaps")


def _filters(request, version):
    """The filter form, and the query that repeats its filters in links (the CSV, the
    pages of members): only the known fields, none when the filters were not understood
    (every skill is shown then, and the CSV holds every skill)."""
    form = TeamFilterForm(request.GET, areas=area_names(version))
    query = ""
    if form.is_valid():
        query = urlencode([(name, request.GET[name]) for name in FILTERS if request.GET.get(name)])
    return form, query


def _coverage_shown(team, memberships, version, form):
    """The matrix as the filters ask for it (measure, order, filters): the page, its htmx
    fragment and the CSV all show the same thing. Unknown filters show everything."""
    valid = not form.errors
    data = form.cleaned_data if valid else {}
    coverage = team_coverage(
        team,
        memberships,
        version,
        measure=data.get("measure") or "reference",
        order=data.get("order") or "joined",
    )
    shown = coverage.areas
    if valid:
        shown = [
            (area, kept)
            for area, lines in coverage.areas
            if (kept := [line for line in lines if form.keep(line)])
        ]
    return coverage, shown


def _managers_view(request, team, memberships):
    """The coverage, the filter form and the areas shown, as the request asks for them."""
    version = CatalogueVersion.current()
    form, _ = _filters(request, version)
    coverage, shown = _coverage_shown(team, memberships, version, form)
    return coverage, form, shown


@login_required
@require_safe
def team_members(request, pk):
    """Managers' page for roles, suggestions of a target and removal."""
    mine = membership_or_404(request, pk, manager=True)
    coverage = team_coverage(mine.team, _members(mine.team))
    ctx = {
        "team": mine.team,
        "mine": mine,
        "coverage": coverage,
        "roles": Membership.Role.choices,
        "all_roles": list(Role.objects.order_by("kind", "rank", "title")),
    }
    return render(request, "accounts/team_members.html", ctx)


@login_required
@require_POST
def create_invite(request, pk):
    mine = membership_or_404(request, pk, manager=True)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Invite not made: "
            + " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ),
        )
        return _managers_page(request, mine, invite_form=form)
    try:
        invite = mine.team.make_invite(
            request.user, form.cleaned_data["days"], form.cleaned_data["max_uses"]
        )
    except TeamChangeRefused as refusal:
        messages.error(request, f"Invite not made: {refusal}")
        return _managers_page(request, mine, invite_form=form)
    messages.success(request, "Invite link made: copy it from the list below.")
    return redirect(f"{mine.team.get_absolute_url()}#invite-{invite.pk}")


@login_required
@require_POST
def email_invites(request, pk):
    """Send each listed address its own single-use invite link; the addresses not sent
    (not an address, over the team's cap or the hourly limit) come back in the form."""
    mine = membership_or_404(request, pk, manager=True)
    form = InviteByEmailForm(request.POST, prefix="email")
    if not form.is_valid():
        messages.error(request, "No invite sent: see the form below.")
        return _managers_page(request, mine, email_form=form)
    result = send_invites(mine.team, request.user, form.good, form.cleaned_data["days"])
    if result.sent:
        n = len(result.sent)
        messages.success(
            request,
            f"Sent {n} invite{'s' if n != 1 else ''}, each with its own link: "
            + ", ".join(result.sent)
            + ".",
        )
    refused = [(a, "not an email address.") for a in form.bad] + result.refused
    if not refused:
        return redirect(f"{mine.team.get_absolute_url()}#invites-heading")
    # The addresses not sent, back in the form, each with why.
    again = InviteByEmailForm(
        {
            "email-addresses": "\n".join(a for a, _ in refused),
            "email-days": form.cleaned_data["days"],
        },
        prefix="email",
    )
    again.is_valid()
    for address, why in refused:
        again.add_error("addresses", f"{address}: {why}")
    messages.error(request, f"Not sent to {len(refused)}: see the form below.")
    return _managers_page(request, mine, email_form=again, status=429 if result.throttled else 400)


@login_required
@require_POST
def revoke_invite(request, pk, invite_pk):
    mine = membership_or_404(request, pk, manager=True)
    updated = Invite.objects.filter(team=mine.team, pk=invite_pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if updated:
        messages.success(request, "Invite link withdrawn: it no longer lets anyone join.")
    return redirect(mine.team)


@never_cache
@require_http_methods(["GET", "POST"])
def join_team(request, token):
    """The team, who invited, what managers will see, and a box to agree; joining happens
    only after it. Signed out, the same page with links to sign up or sign in and come
    back: never a member's name or progress, and a spent link names only the team."""
    invite = get_object_or_404(
        Invite.objects.select_related("team__reference_role", "created_by"), token=token
    )
    team = invite.team
    signed_in = request.user.is_authenticated
    if signed_in and Membership.objects.filter(team=team, user=request.user).exists():
        return redirect(team)
    if not signed_in and request.method == "POST":
        return redirect_to_login(request.path)
    problem = invite.why_unusable(request.user if signed_in else None)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            team.join(request.user, invite)
        except TeamChangeRefused as refusal:
            problem = str(refusal)
        else:
            messages.success(request, f"You joined “{team.name}”. You can leave at any time.")
            return redirect("accounts:team_welcome", pk=team.pk)
    status = 200
    if problem:
        # Removed from the team: this link is not for them (403); else it is spent (410).
        status = 403 if signed_in and invite.removed_since_made(request.user) else 410
    elif form.errors:
        status = 400
    ctx = {
        "invite": invite,
        "team": team,
        "problem": problem,
        "form": form,
        "inviter": invite.created_by.public_name if invite.created_by else "",
    }
    response = render(request, "accounts/join.html", ctx, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def team_welcome(request, pk):
    """Right after joining: one step to set current and target role and take the credit for
    the current role, which the member may skip (a link: nothing changes)."""
    mine = membership_or_404(request, pk)
    form = JoinRolesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            current, changed = (
                credit_for_current_role(user) if form.cleaned_data["credit"] else (None, [])
            )
        saved = "Your roles are saved."
        if current is not None:
            n = len(changed)
            saved += (
                f" Marked {n} skill{'s' if n != 1 else ''} done that {current.title} covers:"
                " you can undo this on your path."
            )
        messages.success(request, saved)
        return redirect(mine.team)
    ctx = {"team": mine.team, "form": form}
    return render(request, "accounts/team_welcome.html", ctx, status=400 if form.errors else 200)


@login_required
@require_POST
def leave_team(request, pk):
    mine = membership_or_404(request, pk)
    team = mine.team
    try:
        ended = team.leave(request.user)
    except TeamChangeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(team)
    if ended:
        messages.success(request, f"You left “{team.name}”, its last member: it is gone.")
    else:
        messages.success(request, f"You left “{team.name}”: your data is no longer on its pages.")
    return redirect("accounts:teams")


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    mine = membership_or_404(request, pk, manager=True)
    try:
        mine.team.remove(request.user, member_pk)
    except TeamChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "Removed from the team: their data is no longer on its pages, and the links made "
            "so far no longer let them back in.",
        )
    return redirect("accounts:team_members", pk=mine.team.pk)


@login_required
@require_POST
def set_member_role(request, pk, member_pk):
    """Owners hand out roles, ownership included; the team always keeps an owner."""
    mine = membership_or_404(request, pk, manager=True)
    if mine.role != Membership.Role.OWNER:
        raise Http404("No such team")
    role = request.POST.get("role")
    if role not in Membership.Role.values:
        messages.error(request, "Choose owner, manager or member.")
        return redirect("accounts:team_members", pk=mine.team.pk)
    try:
        mine.team.set_role(request.user, member_pk, role)
    except TeamChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Role changed.")
    return redirect("accounts:team_members", pk=mine.team.pk)


@login_required
@require_safe
def team_csv(request, pk):
    """What the team page shows managers, one row per member."""
    mine = membership_or_404(request, pk, manager=True)
    members = _as_memberships(mine.team, _people(mine.team))
    coverage, _, shown = _managers_view(request, mine.team, members)
    lines = [line for _, area_lines in shown for line in area_lines]
    # Skill names come from the catalogue, edited in admin: as safe as the members' rows.
    header = [
        "member",
        f"% of {coverage.reference.title}",
        "target",
        "% of target",
        "last active",
        "certifications",
        *(line.skill.name for line in lines),
    ]
    rows = [
        [
            member.name,
            member.reference_percent,
            member.target.title if member.target else "",
            "" if member.target_percent is None else member.target_percent,
            member.last_active.date().isoformat() if member.last_active else "",
            "; ".join(f"{c.name}: {label}" for c, label in member.plans),
            *(line.cells[i][2] for line in lines),
        ]
        for i, member in enumerate(coverage.members)
    ]
    return csv_download([header, *rows], "team")


@login_required
@require_safe
def team_plan_csv(request, pk):
    """The plan above the matrix, as a table: one row per figure, in sections."""
    mine = membership_or_404(request, pk, manager=True)
    coverage = team_coverage(mine.team, _members(mine.team))
    plan = team_plan(coverage)
    rows = [["section", "item", "value", "detail"]]
    for area in plan.areas:
        rows.append(["coverage", area.area, area.skills, f"done by one: {area.by_one}"])
        rows.append(["coverage", area.area, area.skills, f"done by two: {area.by_two}"])
    rows += [["held by one person", s.name, 1, "core skill"] for s in plan.single]
    rows += [["held by nobody", s.name, 0, "core skill"] for s in plan.nobody]
    for week in plan.weeks:
        detail = f"by two or more: {week.two}; by one: {week.one}; by nobody: {week.nobody}"
        rows.append(["week", week.start.isoformat(), week.at_risk, detail])
    for unit, low, high, _ in plan.budget.totals:
        value = str(low) if low == high else f"{low}-{high}"
        rows.append(["exam cost", unit, value, f"{plan.budget.sourced} plans with a sourced cost"])
    rows.append(["exam cost", "plans without a sourced cost", len(plan.budget.unsourced), ""])
    rows += [["hire for", s.name, "", "core skill nobody has or is learning"] for s in plan.hire]
    return csv_download(rows, "team-plan")


@login_required
@require_POST
def suggest_role(request, pk, member_pk):
    """A manager suggests a target role to a member, who accepts or declines it."""
    mine = membership_or_404(request, pk, manager=True)
    target = get_object_or_404(Membership, team=mine.team, pk=member_pk)
    chosen = request.POST.get("role", "")
    role = (
        Role.objects.filter(pk=int(chosen)).first()
        if chosen.isdigit() and len(chosen) < 10
        else None
    )
    if role is None:
        messages.error(request, "Choose a role to suggest.")
        return redirect("accounts:team_members", pk=mine.team.pk)
    target.suggested_role = role
    target.save(update_fields=["suggested_role"])
    User(pk=target.user_id).bump_progress_version()  # their path shows suggestions
    messages.success(request, f"Suggested {role.title}: they will see it on their path.")
    return redirect("accounts:team_members", pk=mine.team.pk)


@login_required
@require_POST
def answer_suggestion(request, pk):
    """The member accepts (their target becomes the role) or declines a suggestion."""
    mine = membership_or_404(request, pk)
    role = mine.suggested_role
    action = request.POST.get("action")
    if role is None or action not in ("accept", "decline"):
        messages.error(request, "There is no suggestion to answer.")
        return redirect("roadmap:path")
    with transaction.atomic():
        if action == "accept":
            User.objects.filter(pk=request.user.pk).update(target_role=role)
            messages.success(request, f"Your target is now {role.title}.")
        else:
            messages.success(request, "Suggestion declined: your target stays as it was.")
        mine.suggested_role = None
        mine.save(update_fields=["suggested_role"])
        request.user.bump_progress_version()
        kind = TeamEvent.Kind.ACCEPTED if action == "accept" else TeamEvent.Kind.DECLINED
        TeamEvent.tell_managers(mine.team, kind, request.user, role=role)
    return redirect("roadmap:path")
