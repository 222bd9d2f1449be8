"""Everything the app holds about a user, for the "My data" download (accounts/views/account.py
`my_data`). The progress sections come from `roadmap/exporting.py`, which builds them once for
this download and for the progress export. Secrets (the share link, invite tokens) are said
to exist, never given."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from roadmap import exporting

from . import throttling
from .models import Invite, Removal


def everything(user):
    """The whole "My data" document, as plain data for DjangoJSONEncoder."""
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "display_name": user.display_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": exporting.roles(user)
        | {
            "email_me_about_changes": user.notify_by_email,
            "hours_per_week": user.hours_per_week,
            "pay_region": user.pay_region,
        },
        # The share link itself is a secret: whether it is on, not its address.
        "sharing": {
            "shared_page_on": bool(user.share_token),
            "shared_page_shows_notes": user.share_notes,
        },
        "skills": exporting.skill_progress(user, everything=True),
        "self_checks": exporting.self_checks(user),
        "teams": teams(user),
        # Teams that removed this user: links made before then no longer let them back in.
        "removed_from_teams": [
            {"team": r.team.name, "removed_at": r.removed_at}
            for r in Removal.objects.filter(user=user).select_related("team").order_by("pk")
        ],
        "invites_created": invites_created(user),
        "certifications": exporting.certification_plan(user, everything=True),
        "corrections": corrections(user),
        "notices": notices(user),
        "sign_in_log": sign_in_log(user),
    }


def teams(user):
    return [
        {
            "team": m.team.name,
            "role": m.role,
            "joined_at": m.joined_at,
            "suggested_target_role": m.suggested_role.slug if m.suggested_role else None,
        }
        for m in user.memberships.select_related("team", "suggested_role").order_by("pk")
    ]


def invites_created(user):
    """Invite links this user made (their tokens are secrets, so not included)."""
    return [
        {
            "team": i.team.name,
            "created_at": i.created_at,
            "expires_at": i.expires_at,
            "max_uses": i.max_uses,
            "uses": i.uses,
            "withdrawn_at": i.revoked_at,
        }
        for i in Invite.objects.filter(created_by=user).select_related("team").order_by("pk")
    ]


def corrections(user):
    return [
        {
            "about": c.subject_name,
            "fact": c.fact_label,
            "what_is_wrong": c.what_is_wrong,
            "source_url": c.source_url,
            "contact": c.contact,
            "sent_at": c.created_at,
            "state": c.state,
            "decided_at": c.reviewed_at,
            "reply": c.reply,
        }
        for c in user.corrections.order_by("pk")
    ]


def notices(user):
    return [
        {
            "change": n.change.summary if n.change else n.team_event.summary,
            "about": n.change.subject_name if n.change else n.team_event.team.name,
            "changed_at": n.change.changed_at if n.change else n.team_event.created_at,
            "seen_at": n.seen_at,
            "emailed": n.digest_id is not None and n.digest.sent_at is not None,
        }
        for n in user.notices.select_related("change", "team_event__team", "digest").order_by("pk")
    ]


def sign_in_log(user):
    """What django-axes recorded about signing in to this account, under any of its names."""
    return {
        "sign_ins": [
            {
                "at": log.attempt_time,
                "signed_out_at": log.logout_time,
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in throttling.sign_in_records(AccessLog, user).order_by("-attempt_time")
        ],
        # The failures counted now towards a cool-off, per client.
        "failed_attempts": [
            {
                "at": attempt.attempt_time,
                "failures": attempt.failures_since_start,
                "ip_address": attempt.ip_address,
                "user_agent": attempt.user_agent,
            }
            for attempt in throttling.sign_in_records(AccessAttempt, user).order_by(
                "-attempt_time"
            )
        ],
        # Each failed sign-in, if the failure log is kept (AXES_ENABLE_ACCESS_FAILURE_LOG).
        "failures": [
            {
                "at": failure.attempt_time,
                "locked_out": failure.locked_out,
                "ip_address": failure.ip_address,
                "user_agent": failure.user_agent,
            }
            for failure in throttling.sign_in_records(AccessFailureLog, user).order_by(
                "-attempt_time"
            )
        ],
    }
