"""A user's private calendar feed as iCalendar text (RFC 5545): the exam days they planned
and the renewal windows and expiry days of what they hold. Pure: plans and renewals in,
text out (the view in roadmap/views/calendar.py reads them and checks the token).

All-day events only (DTSTART;VALUE=DATE), so no time zone is involved. Each event has a
stable UID, so a calendar app updates an event rather than adding it twice.
"""

import datetime
from dataclasses import dataclass

PRODID = "-//AI engineer roadmap//Calendar feed//EN"
LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


@dataclass
class Event:
    uid: str
    summary: str
    start: datetime.date
    end: datetime.date  # exclusive, as DTEND is for dates
    description: str
    url: str


def escape(text):
    """TEXT as RFC 5545 3.3.11 writes it: backslash, semicolon, comma and newline escaped."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line):
    """One content line, folded at 75 octets without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1  # a folded line starts with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _source_text(claim):
    return f"{claim.source.title} ({claim.source.url})"


def events(plans, renewals, site_url, domain):
    """The feed's events: a planned exam day for each plan that has one; for each held
    certification with a counted expiry, the renewal window (where a rule says when it
    opens) and the day it expires. Each names the rule and its source."""
    out = []
    for plan in plans:
        if plan.exam_on and plan.status != "earned":
            certification = plan.certification
            out.append(
                Event(
                    uid=f"exam-{plan.pk}-{plan.exam_on:%Y%m%d}@{domain}",
                    summary=f"Exam: {certification.name}",
                    start=plan.exam_on,
                    end=plan.exam_on + datetime.timedelta(days=1),
                    description="The exam day you planned on your AI engineer roadmap.",
                    url=site_url + certification.get_absolute_url(),
                )
            )
    for renewal in renewals:
        if renewal.expires_on is None:
            continue
        certification = renewal.certification
        url = site_url + certification.get_absolute_url()
        validity = renewal.validity
        rule = (
            f"Earned {renewal.earned_on:%-d %b %Y}; valid for {validity.value_label} "
            f"according to {_source_text(validity)}."
        )
        how = " ".join(f"How to renew: {c.value_label} ({_source_text(c)})." for c in renewal.how)
        if renewal.retires_first:
            rule += (
                f" It retires on {renewal.retires_on:%-d %b %Y}, before it expires: see its page "
                "for whether it can still be renewed."
            )
        retired_first = renewal.retires_on is not None and renewal.retires_on <= (
            renewal.opens_on or renewal.expires_on
        )
        if (
            renewal.opens_on is not None
            and renewal.opens_on < renewal.expires_on
            and not (retired_first)
        ):
            window = renewal.window
            out.append(
                Event(
                    uid=f"renewal-{renewal.plan.pk}-{renewal.opens_on:%Y%m%d}@{domain}",
                    summary=f"Renewal window: {certification.name}",
                    start=renewal.opens_on,
                    end=renewal.expires_on,
                    description=(
                        f"Renewal opens {window.opens_before} {window.opens_before_unit} before "
                        f"it expires, according to {_source_text(window)}. {rule} {how}"
                    ).strip(),
                    url=url,
                )
            )
        out.append(
            Event(
                uid=f"expiry-{renewal.plan.pk}-{renewal.expires_on:%Y%m%d}@{domain}",
                summary=f"{certification.name} expires",
                start=renewal.expires_on,
                end=renewal.expires_on + datetime.timedelta(days=1),
                description=f"{rule} {how}".strip(),
                url=url,
            )
        )
    return out


def calendar(events, name, now):
    """The iCalendar text of `events`, CRLF line ends, every line folded."""
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.end:%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(event.description + ' ' + event.url)}",
            f"URL:{event.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
