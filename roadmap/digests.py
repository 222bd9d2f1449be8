"""Digest emails of notices, safe to run from cron at any interval.

Each run (1) notes certifications whose retirement day has come and renewal windows that
opened (roadmap/renewals.py), (2) for each opted-in
user with notices not yet emailed nor seen on the site, makes a Digest and attaches those
notices in one transaction, and (3) sends every unsent digest, marking it sent right after.

A notice belongs to at most one digest, so it is never mailed twice. A run killed between
(2) and (3) leaves unsent digests that the next run sends. Each digest is sent while its row
is locked (skipping rows another run holds), so two overlapping runs never send the same
one. The one window left is a crash between the mail server accepting a mail and the
"sent" stamp being committed: that digest is sent again (at least once, never lost).
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.subscriptions import unsubscribe_url

from .changelog import note_retirements
from .models import Digest, Notice
from .renewals import note_open_windows, with_dates

logger = logging.getLogger(__name__)

# A digest lists at most this many changes and links to the rest.
DIGEST_MAX_CHANGES = 50


def collect():
    """Digests for every opted-in user with notices to tell. Returns how many were made."""
    made = 0
    users = (
        User.objects.filter(
            notify_by_email=True,
            is_active=True,
            notices__digest__isnull=True,
            notices__seen_at__isnull=True,
        )
        .exclude(email="")
        .distinct()
        .values_list("pk", flat=True)
    )
    for pk in users.iterator():
        with transaction.atomic():
            pending = (
                Notice.objects.select_for_update(skip_locked=True)
                .filter(user_id=pk, digest__isnull=True, seen_at__isnull=True)
                .values_list("pk", flat=True)
            )
            pending = list(pending)
            if not pending:
                continue
            digest = Digest.objects.create(user_id=pk)
            Notice.objects.filter(pk__in=pending).update(digest=digest)
            made += 1
    return made


def send_pending(send=None):
    """Send every unsent digest; returns how many were sent."""
    send = send or send_digest
    sent = 0
    pending = Digest.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            digest = (
                Digest.objects.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if digest is None:  # sent meanwhile, or another run holds it
                continue
            user = digest.user
            if user.notify_by_email and user.is_active and user.email:
                try:
                    send(digest)
                except (smtplib.SMTPException, OSError):
                    # The mail server refused or is away: left unsent for the next run.
                    logger.warning("Digest %s not sent; the next run retries", pk, exc_info=True)
                    continue
                sent += 1
            # Opted out since it was made: nothing is sent, and it is closed all the same.
            digest.sent_at = timezone.now()
            digest.save(update_fields=["sent_at"])
    return sent


def send_digest(digest):
    user = digest.user
    notices = list(
        digest.notices.select_related(
            "change", "team_event__team", "renewal__certification"
        ).order_by("-created_at", "-pk")
    )
    # Team news for managers: names and what happened, never a member's notes or progress.
    events = [n.team_event for n in notices if n.team_event_id]
    renewals = with_dates(notices)
    notices = [n for n in notices if n.change_id]
    ctx = {
        "user": user,
        "changes": [n.change for n in notices[:DIGEST_MAX_CHANGES]],
        "more": max(0, len(notices) - DIGEST_MAX_CHANGES),
        "events": events[:DIGEST_MAX_CHANGES],
        "renewals": renewals[:DIGEST_MAX_CHANGES],
        "site_url": settings.SITE_URL,
        "unsubscribe": settings.SITE_URL + unsubscribe_url(user),
    }
    count = len(notices)
    subject = f"{count} change{'s' if count != 1 else ''} to your AI engineer roadmap"
    if events:
        news = f"{len(events)} team update{'s' if len(events) != 1 else ''}"
        subject = f"{news} and {subject}" if count else f"{news} on your AI engineer roadmap"
    if renewals:
        opened = "Renewal open" if len(renewals) == 1 else f"{len(renewals)} renewals open"
        opened += " for " + ", ".join(n.renewal.certification.name for n in renewals[:2])
        opened += ", …" if len(renewals) > 2 else ""
        subject = f"{opened}; {subject}" if count or events else opened
    text = render_to_string("roadmap/email/digest.txt", ctx)
    html = render_to_string("roadmap/email/digest.html", ctx)
    mail = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{ctx['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(html, "text/html")
    mail.send()


def run(send=None):
    """One cron run: (retirements noted, digests made, digests sent). Renewal windows that
    opened are noted first, so their notices go in this run's digests."""
    retired = note_retirements()
    note_open_windows()
    made = collect()
    sent = send_pending(send)
    return retired, made, sent
