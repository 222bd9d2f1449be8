"""Invites by email: a manager lists addresses, each valid one is sent its own single-use
link (a new Invite, made by Team.make_invite, so the team's cap and locks apply). The
address is used for that mail only: it is stored nowhere, and joining still asks consent."""

import re
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import timezone

from . import throttling
from .models import Invite, TeamChangeRefused

# At most this many addresses in one submission; each at most 254 characters (RFC 5321).
MAX_ADDRESSES = 50
MAX_ADDRESS_CHARS = 254
# The whole field: room for MAX_ADDRESSES of the longest, each with a separator.
MAX_FIELD_CHARS = MAX_ADDRESSES * (MAX_ADDRESS_CHARS + 2)

SEPARATORS = re.compile(r"[\s,;]+")


def split_addresses(text):
    """The addresses in `text` (separated by new lines, spaces, commas or semicolons), each
    once whatever its case, in the order given: (good, bad)."""
    seen, good, bad = set(), [], []
    for address in SEPARATORS.split(text):
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        (good if is_address(address) else bad).append(address)
    return good, bad


def is_address(text):
    if len(text) > MAX_ADDRESS_CHARS:
        return False
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


@dataclass
class Sent:
    """What became of a list of addresses: those sent a link, and why the others were not."""

    sent: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (address, why)
    throttled: bool = False


def send_invites(team, by, addresses, days):
    """Each address its own single-use link, valid `days` days, mailed from SITE_URL; in the
    order given, stopping at the team's cap of open links or the manager's hourly limit."""
    result = Sent()
    stop = ""
    with mail.get_connection() as connection:
        for address in addresses:
            if not stop and not throttling.allow(
                "team-invite-mail", by.pk, settings.TEAM_INVITE_MAILS_PER_HOUR
            ):
                result.throttled = True
                stop = (
                    f"not sent: you sent {settings.TEAM_INVITE_MAILS_PER_HOUR} invites in the "
                    "last hour, the most one person may; try again later."
                )
            if not stop:
                try:
                    invite = team.make_invite(by, days, max_uses=1)
                except TeamChangeRefused as refusal:
                    stop = f"not sent: {refusal}"
            if stop:
                result.refused.append((address, stop))
                continue
            try:
                invite_message(invite, by, address, connection).send()
            except (smtplib.SMTPException, OSError):
                # The link went nowhere: withdraw it, so it does not hold a place in the cap.
                Invite.objects.filter(pk=invite.pk).update(revoked_at=timezone.now())
                result.refused.append((address, "not sent: the mail could not go out just now."))
            else:
                result.sent.append(address)
    return result


def invite_message(invite, by, address, connection=None):
    """The mail: the team's name, who invited (their public name), what managers will see,
    and the link; nothing else."""
    team = invite.team
    ctx = {
        "team": team,
        "inviter": by.public_name,
        "link": f"{settings.SITE_URL}{invite.get_absolute_url()}",
        "expires_at": invite.expires_at,
    }
    # One line, whatever the team's name holds.
    subject = " ".join(f"You are invited to join “{team.name}” on the AI roadmap".split())
    body = render_to_string("accounts/invite_email.txt", ctx)
    return mail.EmailMessage(subject, body, None, [address], connection=connection)
