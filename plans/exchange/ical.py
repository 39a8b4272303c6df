"""
iCalendar (RFC 5545) by hand: the few pieces the plan calendar needs, as plain functions.

- Text values escape backslash, semicolon, comma and newlines (§3.3.11).
- Content lines are folded at 75 octets: the rest continues on the next line after one space, and a
  character of several UTF-8 octets is never split (§3.1).
- Lines end in CRLF.
- All events here are whole days: DTEND is the day after the last day (it is exclusive).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//Upphandlingsplan//Procurement plan calendar//SV"


def escape_text(value: str) -> str:
    """A TEXT value: backslash first, so that the escapes added after it are not escaped again."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str, limit: int = LINE_OCTETS) -> str:
    """One content line, folded so that no physical line is longer than `limit` octets."""
    pieces, current, size = [], [], 0
    room = limit
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > room:
            pieces.append("".join(current))
            current, size = [], 0
            room = limit - 1  # the continuation line starts with one space
        current.append(character)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def format_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def format_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Event:
    """An all-day event from `start` to `last_day` (inclusive; one day when not given)."""

    uid: str
    summary: str
    start: date
    last_day: date | None = None
    description: str = ""
    url: str = ""
    categories: str = ""

    def lines(self, stamp: datetime) -> list[str]:
        end = (self.last_day or self.start) + timedelta(days=1)
        lines = [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{format_stamp(stamp)}",
            f"DTSTART;VALUE=DATE:{format_date(self.start)}",
            f"DTEND;VALUE=DATE:{format_date(end)}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.categories:
            lines.append(f"CATEGORIES:{escape_text(self.categories)}")
        if self.url:
            lines.append(f"URL:{self.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        return lines


def calendar(events: Iterable[Event], *, name: str, stamp: datetime) -> str:
    """The whole VCALENDAR as text: folded lines, each ending in CRLF."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # Ask subscribing clients to fetch the feed twice a day.
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    for event in events:
        lines += event.lines(stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
