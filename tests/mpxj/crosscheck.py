#!/usr/bin/env python3
"""Cross-check tranche's critical path schedule against MPXJ's PrimaveraScheduler.

Usage: crosscheck.py DIR
DIR holds one JSON file per network, written by tests/schedule_mpxj.rs:
  {"name", "start", "holidays": [YYYY-MM-DD...], "calendar": the portfolio's calendar,
   "programmes": {"ID": [ids of its work, at any depth]},
   "items": [{"id", "kind": "project"|"milestone", "days", "calendar", "deadline": date|null,
              "links": [{"pred" (an item or a programme), "kind": "FS"|"SS"|"FF"|"SF", "lag"}]}],
   "tranche": <tranche's schedule JSON, docs/json.md>}
Each network is rebuilt in MPXJ on Monday-Friday calendars (`england-and-wales` with those
holidays, `weekdays` without), a dependency on a programme as one relationship from each
piece of its work (P6 has no dependency on a WBS node; this is tranche's meaning), scheduled
with PrimaveraScheduler (an implementation of Primavera P6's scheduling) from the portfolio
start, and compared field by field: early and late start and finish, total float and free
float in working days. Exit status 0 when everything agrees, 1 otherwise (each difference
printed), 2 when MPXJ cannot run.

Conventions mapped rather than compared blindly (docs/scheduling.md, "Cross-check"):
- Time. tranche's dates are days; P6's are instants. Both sides are turned into the same
  thing, a boundary between working days: P6's 08:00 on day D is the boundary before D, its
  17:00 the boundary after D. tranche's start dates are the boundary before their day, its
  finish dates the boundary after, and a milestone is before or after its day as its
  `at_day_start` says. The comparison is exact on those boundaries, so it is exact in working
  time; only the date shown can differ, where P6 shows a finish as 08:00 of the next working
  day (a negative lag landing on a day boundary) and tranche the last day of work.
- Free float. tranche never shows more free float than total float (slipping further would
  move the plan's finish, so it is not free); P6 measures free float against successors only.
  tranche's free float is compared with min(P6 free float, max(P6 total float, 0)).
- Deadlines are P6 "finish on or before" constraints: they move late dates only, as tranche's
  deadlines do.
- Progress. The status date is P6's data date and out-of-sequence work follows P6's retained
  logic, as in tranche. P6 gives finished work early and late dates at the data date and
  work in progress an early and late start where its remaining work resumes; tranche keeps
  the actual dates there. So for finished work only the forecast start and finish are
  compared, and for work in progress the forecast start (the actual start) takes the place of
  the early and late start.

Known differences, each printed as `known:` and not counted (docs/scheduling.md):
- MPXJ 16.10 resumes an in-progress activity with no predecessors at its actual start plus its
  actual duration, even when that is before the data date; P6's documented rule, and
  tranche's, is that remaining work starts at the data date.
- For work already started, tranche treats its SS and SF predecessors as satisfied (its start
  has happened) in both passes; P6 still lets the relationship limit the predecessor's late
  dates, from where the successor's remaining work could start at the latest.
"""

# (network, item, field): which of the known differences above explains it.
KNOWN = {
    ("progress-ss-ff", "a", "early_finish"): "MPXJ resumes before the data date",
    ("progress-ss-ff", "a", "late_finish"): "SS into started work",
    ("progress-ss-ff", "a", "total_float_days"): "both of the above",
    ("progress-ss-ff", "a", "free_float_days"): "both of the above",
    # Dependencies on programmes across calendars. Every difference is in a network that mixes
    # calendars (5 of its 16 such networks; the 14 on one calendar agree exactly), and none
    # is about programmes as such: each programme link is built here as links from its work.
    # Analysed: programmes-18 `p5` (weekdays) is followed SS -2 by `p9` (england-and-wales)
    # through `outer`; p9's late start is 30 December 2020, so p5 may start as late as the
    # start of 4 January 2021 (a start on 1 January, a bank holiday for p9, counts as 4
    # January on p9's calendar too). MPXJ carries the bound back as 17:00 on 31 December,
    # which on `weekdays` is the start of 1 January: a day too early. tranche inverts its
    # forward conversion exactly (docs/scheduling.md, "Links"). programmes-22 `m0` is the same
    # boundary seen from the other side: a milestone at the end of 1 April 2021 on
    # england-and-wales is the start of 6 April there but the start of 2 April on weekdays.
    # Free float across calendars: tranche's is how far the item can slip on its own calendar
    # before a successor's early dates move (docs/scheduling.md); P6 measures the gap between
    # the two after converting each boundary to the other calendar, so across bank holidays
    # one calendar works and the other does not, the two differ by a day or two either way.
    # Checked by hand, slipping the item day by day: programmes-16 `m4` (tranche 0: one more
    # working day of england-and-wales puts it after Easter, and `p8`'s SF -1 link on
    # `weekdays` then moves p8; P6 says 1), programmes-22 `p2` (tranche 1: two days put its
    # finish after Easter and move `p4`'s FF +2; P6 says 0), programmes-04 `p2` (tranche 11:
    # a 12th day moves `p9`'s SS -3 on weekdays; P6 says 12). tests/schedule_reference checks
    # the same definition on random plans by slipping work by its free float and one day more.
    ("programmes-04", "p2", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
    ("programmes-16", "m3", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
    ("programmes-16", "m4", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
    ("programmes-18", "p5", "late_start"): "across calendars: P6 carries the bound back as 17:00 of the day before, later a weekday; tranche is right",
    ("programmes-18", "p5", "late_finish"): "across calendars: P6 carries the bound back as 17:00 of the day before, later a weekday; tranche is right",
    ("programmes-18", "p5", "total_float_days"): "across calendars: P6 carries the bound back as 17:00 of the day before, later a weekday; tranche is right",
    ("programmes-18", "p6", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
    ("programmes-22", "p2", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
    ("programmes-22", "m0", "late_start"): "across calendars: a milestone's boundary is a different day on the other calendar",
    ("programmes-22", "m0", "late_finish"): "across calendars: a milestone's boundary is a different day on the other calendar",
    ("programmes-22", "m0", "total_float_days"): "across calendars: a milestone's boundary is a different day on the other calendar",
    ("programmes-29", "m1", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
    ("programmes-29", "m2", "free_float_days"): "free float across calendars: P6 measures the gap on converted boundaries, tranche the slip on the item's own calendar that moves no successor",
}

import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from script_start import begin  # noqa: E402  (tests/interop/script_start.py)


def main():
    if begin(__doc__, "jpype", "mpxj") is None:
        return 2
    from java.lang import Double
    from java.time import LocalDate, LocalDateTime
    from org.mpxj import (ActivityType, ConstraintType, Duration, ProjectFile, Relation,
                          RelationshipLagCalendar, RelationType, SchedulingProgressedActivities,
                          TimeUnit)
    from org.mpxj.cpm import PrimaveraScheduler

    kinds = {
        "FS": RelationType.FINISH_START,
        "SS": RelationType.START_START,
        "FF": RelationType.FINISH_FINISH,
        "SF": RelationType.START_FINISH,
    }

    def date(text):
        y, m, d = (int(x) for x in text.split("-"))
        return LocalDate.of(y, m, d)

    import datetime

    failures = 0
    checked = 0
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
        with open(path, encoding="utf-8") as f:
            net = json.load(f)
        project = ProjectFile()
        calendar = project.addDefaultBaseCalendar()
        for h in net["holidays"]:
            calendar.addCalendarException(date(h), date(h))
        # tranche's `weekdays`: Monday to Friday, no holidays.
        weekdays = project.addDefaultBaseCalendar()
        weekdays.setName("weekdays")
        calendars = {"england-and-wales": calendar, "weekdays": weekdays}
        # The portfolio's calendar: where its milestones are, and the project's default.
        portfolio_calendar = net.get("calendar", "england-and-wales")
        project.getProjectProperties().setDefaultCalendar(calendars[portfolio_calendar])
        # tranche counts a lag on the successor's calendar.
        project.getProjectProperties().setRelationshipLagCalendar(RelationshipLagCalendar.SUCCESSOR)
        start = date(net["start"])
        start_time = LocalDateTime.of(start.getYear(), start.getMonthValue(), start.getDayOfMonth(), 8, 0)
        project.getProjectProperties().setStartDate(start_time)
        project.getProjectProperties().setSchedulingProgressedActivities(
            SchedulingProgressedActivities.RETAINED_LOGIC)
        data_date = start_time
        if net.get("status_date"):
            s = date(net["status_date"])
            data_date = LocalDateTime.of(s.getYear(), s.getMonthValue(), s.getDayOfMonth(), 8, 0)
        tasks = {}
        for item in net["items"]:
            t = project.addTask()
            t.setName(item["id"])
            t.setCalendar(calendars[item.get("calendar", portfolio_calendar)])
            days = item["days"]
            remaining = item.get("remaining", days)
            t.setDuration(Duration.getInstance(days, TimeUnit.DAYS))
            t.setRemainingDuration(Duration.getInstance(remaining, TimeUnit.DAYS))
            t.setActualDuration(Duration.getInstance(days - remaining, TimeUnit.DAYS))
            t.setPercentageComplete(Double.valueOf(item.get("complete", 0.0)))
            if item.get("actual_start"):
                a = date(item["actual_start"])
                t.setActualStart(LocalDateTime.of(a.getYear(), a.getMonthValue(), a.getDayOfMonth(), 8, 0))
            if item.get("actual_finish"):
                a = date(item["actual_finish"])
                t.setActualFinish(LocalDateTime.of(a.getYear(), a.getMonthValue(), a.getDayOfMonth(), 17, 0))
                t.setPercentageComplete(Double.valueOf(100.0))
            if item["kind"] == "milestone":
                t.setMilestone(True)
                t.setActivityType(ActivityType.FINISH_MILESTONE)
            else:
                t.setActivityType(ActivityType.TASK_DEPENDENT)
            if item.get("deadline"):
                d = date(item["deadline"])
                t.setSecondaryConstraintType(ConstraintType.FINISH_NO_LATER_THAN)
                t.setSecondaryConstraintDate(
                    LocalDateTime.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth(), 17, 0))
            tasks[item["id"]] = t
        # P6 has no dependency on a WBS node: tranche's dependency on a programme is one on
        # every piece of work in it, at any depth (docs/scheduling.md, "Links"), so it is
        # built as one relationship from each.
        programmes = net.get("programmes", {})
        for item in net["items"]:
            for link in item["links"]:
                for pred in programmes.get(link["pred"], [link["pred"]]):
                    tasks[item["id"]].addPredecessor(
                        Relation.Builder()
                        .predecessorTask(tasks[pred])
                        .type(kinds[link["kind"]])
                        .lag(Duration.getInstance(link["lag"], TimeUnit.DAYS)))
        try:
            PrimaveraScheduler().schedule(project, data_date)
        except Exception as e:  # a CpmException is a finding too
            print(f"{net['name']}: MPXJ could not schedule: {e}")
            failures += 1
            continue

        ours = {row["id"]: row for row in net["tranche"]["items"]}
        # Working days from a month before the start, for boundaries, on each calendar:
        # england-and-wales (Monday to Friday less the holidays) and weekdays.
        holidays = set(net["holidays"])
        first = datetime.date.fromisoformat(net["start"]) - datetime.timedelta(days=30)
        indices = {"england-and-wales": {}, "weekdays": {}}
        for name, index in indices.items():
            n = 0
            for k in range(4000):
                day = first + datetime.timedelta(days=k)
                if day.weekday() < 5 and (name == "weekdays" or day.isoformat() not in holidays):
                    index[day.isoformat()] = n
                    n += 1

        def boundary_of_ours(index, text, after):
            return index[text] + (1 if after else 0)

        def boundary_of_theirs(index, value):
            if value is None:
                return None
            text = str(value.toLocalDate())
            if text not in index:
                return f"non-working {value}"
            hour = value.getHour()
            if hour == 8:
                return index[text]
            if hour == 17:
                return index[text] + 1
            return f"mid-day {value}"

        for item in net["items"]:
            t = tasks[item["id"]]
            row = ours[item["id"]]

            def float_days(value):
                if value is None:
                    return None
                v = value.convertUnits(TimeUnit.DAYS, project.getProjectProperties()).getDuration()
                return round(v, 6)

            milestone = item["kind"] == "milestone"
            sod = milestone and item.get("at_day_start", False)
            index = indices[item.get("calendar", portfolio_calendar)]
            mine = {
                "early_start": boundary_of_ours(index, row["early_start"], milestone and not sod),
                "early_finish": boundary_of_ours(index, row["early_finish"], not sod),
                # A milestone's late date is on the same side of its day as its early date
                # (docs/scheduling.md, "Milestones"); as boundaries, P6's end of the day
                # before is the same point.
                "late_start": boundary_of_ours(index, row["late_start"], milestone and not sod),
                "late_finish": boundary_of_ours(index, row["late_finish"], not sod),
                "total_float_days": float(row["total_float_days"]),
                "free_float_days": float(row["free_float_days"]),
            }
            total = float_days(t.getTotalSlack())
            free = float_days(t.getFreeSlack())
            theirs = {
                "early_start": boundary_of_theirs(index, t.getEarlyStart()),
                "early_finish": boundary_of_theirs(index, t.getEarlyFinish()),
                "late_start": boundary_of_theirs(index, t.getLateStart()),
                "late_finish": boundary_of_theirs(index, t.getLateFinish()),
                "total_float_days": total,
                "free_float_days": None if free is None or total is None else min(free, max(total, 0.0)),
            }
            if item.get("actual_finish"):
                mine = {"start": boundary_of_ours(index, row["start"], False),
                        "finish": boundary_of_ours(index, row["finish"], True)}
                theirs = {"start": boundary_of_theirs(index, t.getStart()),
                          "finish": boundary_of_theirs(index, t.getFinish())}
            elif item.get("actual_start"):
                for field in ("early_start", "late_start"):
                    del mine[field]
                    del theirs[field]
                mine["start"] = boundary_of_ours(index, row["start"], False)
                theirs["start"] = boundary_of_theirs(index, t.getStart())
            for field in mine:
                checked += 1
                if mine[field] != theirs[field]:
                    reason = KNOWN.get((net["name"], item["id"], field))
                    if reason:
                        print(f"known: {net['name']}: `{item['id']}` {field}: tranche {row[field]} "
                              f"(boundary {mine[field]}), MPXJ {theirs[field]}: {reason}")
                        continue
                    failures += 1
                    print(f"{net['name']}: `{item['id']}` {field}: tranche {row[field]} "
                          f"(boundary {mine[field]}), MPXJ boundary {theirs[field]}")
    print(f"compared {checked} values: {failures} difference(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
