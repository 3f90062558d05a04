#!/usr/bin/env python3
"""Validate an iCalendar file with the `icalendar` package, for tests/export_tools.rs.

Usage: ical_check.py FILE.ics
Parses the file strictly (raw bytes, CRLF line ends, folded lines no longer than 75 octets),
checks every VEVENT has the properties RFC 5545 requires (UID, DTSTAMP, DTSTART) and that
all-day events are dates with DTEND the next day, and prints the events as JSON:
[{"uid", "summary", "start", "end", "description"}].
Exit status 0 when valid, 1 when not (the reason printed), 2 when `icalendar` is missing.
"""

import datetime
import json
import sys

from script_start import begin


def main():
    if begin(__doc__, "icalendar") is None:
        return 2
    import icalendar
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    problems = []
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        problems.append("the file does not end with CRLF")
    for n, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {n}: a bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {n}: {len(line)} octets, more than 75")
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except Exception as e:
        print(f"icalendar could not parse the file: {e}")
        return 1
    for prop in ("VERSION", "PRODID"):
        if prop not in calendar:
            problems.append(f"VCALENDAR without {prop}")
    events = []
    uids = set()
    for event in calendar.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in event:
                problems.append(f"a VEVENT without {prop}")
        if getattr(event, "errors", None):
            problems.append(f"{event.get('UID')}: {event.errors}")
        uid = str(event.get("UID"))
        if uid in uids:
            problems.append(f"UID {uid} twice")
        uids.add(uid)
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
            problems.append(f"{uid}: DTSTART is not a date")
        if end - start != datetime.timedelta(days=1):
            problems.append(f"{uid}: an all-day event must end the next day")
        events.append({
            "uid": uid,
            "summary": str(event.get("SUMMARY")),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "description": str(event.get("DESCRIPTION")),
        })
    if problems:
        print("\n".join(problems))
        return 1
    print(json.dumps(events, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
