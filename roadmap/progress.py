"""Builds a user's path from the database, in a fixed number of queries, using roadmap.path."""

from dataclasses import dataclass

from django.db.models import Prefetch

from . import path as pathlib
from .models import (
    Certification,
    CertificationProgress,
    Role,
    RoleSkill,
    SalaryBand,
    Skill,
    SkillProgress,
)


@dataclass
class Row:
    """One skill on the path, with the user's progress on it (None: never touched)."""

    skill: Skill
    progress: SkillProgress | None
    form: object = None  # a bound SkillNoteForm with errors, to show them beside the fields

    @property
    def status(self):
        return self.progress.status if self.progress else SkillProgress.Status.NOT_STARTED


@dataclass
class PathGroup:
    role: Role
    rows: list


def load_catalogue_graph():
    """Roles and skills as plain data for roadmap.path, plus the model objects by id."""
    roles = list(
        Role.objects.prefetch_related(
            Prefetch("role_skills", queryset=RoleSkill.objects.order_by("pk"))
        )
    )
    skills = {s.pk: s for s in Skill.objects.select_related("area")}
    prereqs = {}
    for skill_id, prereq_id in Skill.prerequisites.through.objects.values_list(
        "from_skill_id", "to_skill_id"
    ):
        prereqs.setdefault(skill_id, []).append(skills[prereq_id].slug)
    skill_infos = {
        s.slug: pathlib.SkillInfo(
            s.slug, s.name, s.area.name, s.area.position, tuple(prereqs.get(s.pk, ()))
        )
        for s in skills.values()
    }
    role_infos = [
        pathlib.RoleInfo(
            r.slug,
            r.title,
            r.is_ladder,
            r.rank,
            tuple(skills[rs.skill_id].slug for rs in r.role_skills.all()),
        )
        for r in roles
    ]
    return roles, role_infos, {s.slug: s for s in skills.values()}, skill_infos


def row_for(user, skill):
    progress = SkillProgress.objects.filter(user=user, skill=skill).first()
    return Row(skill, progress)


def build_path(user):
    """Everything the path page shows, for one user."""
    roles, role_infos, skills, skill_infos = load_catalogue_graph()
    roles_by_slug = {r.slug: r for r in roles}
    roles_by_pk = {r.pk: r for r in roles}
    progress = {p.skill_id: p for p in SkillProgress.objects.filter(user=user)}
    statuses = {
        slug: progress[skill.pk].status for slug, skill in skills.items() if skill.pk in progress
    }
    current = roles_by_pk.get(user.current_role_id)
    target = roles_by_pk.get(user.target_role_id)
    ctx = {
        "current_role": current,
        "target_role": target,
        "groups": [],
        "summary": None,
        "up_next": [],
        "recommended_certifications": [],
    }
    bands = SalaryBand.objects.sourced().filter(
        role__in=[r for r in (current, target) if r is not None]
    )
    ctx["current_salaries"] = [b for b in bands if current and b.role_id == current.pk]
    ctx["target_salaries"] = [b for b in bands if target and b.role_id == target.pk]
    ctx["certification_plans"] = list(
        CertificationProgress.objects.filter(user=user)
        .select_related("certification")
        .prefetch_related("certification__successors")
        .order_by("certification__name")
    )
    if target is None:
        return ctx

    groups = pathlib.compute_path(
        role_infos, skill_infos, current.slug if current else None, target.slug
    )
    path_slugs = [slug for g in groups for slug in g.skills]
    ctx["groups"] = [
        PathGroup(
            roles_by_slug[g.role.slug],
            [Row(skills[s], progress.get(skills[s].pk)) for s in g.skills],
        )
        for g in groups
    ]
    ctx["summary"] = pathlib.summarise(path_slugs, statuses, skill_infos)
    ctx["up_next"] = [skills[s] for s in pathlib.up_next(path_slugs, statuses, skill_infos)]
    ctx["recommended_certifications"] = recommend_certifications(
        [s for s in path_slugs if statuses.get(s) not in ("done", "skipped")],
        {plan.certification.slug: plan.status for plan in ctx["certification_plans"]},
    )
    return ctx


def recommend_certifications(remaining_slugs, my_statuses):
    """The certifications that cover most of what is left, with the user's status on each."""
    certs = list(
        Certification.objects.prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("slug"))
        )
    )
    infos = [
        pathlib.CertInfo(
            c.slug,
            c.is_retired,
            frozenset(s.slug for s in c.skills.all()),
            c.is_category,
        )
        for c in certs
    ]
    by_slug = {c.slug: c for c in certs}
    return [
        (by_slug[slug], count, my_statuses.get(slug))
        for slug, count in pathlib.rank_certifications(infos, remaining_slugs)
    ]
