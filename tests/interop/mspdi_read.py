#!/usr/bin/env python3
"""Read an MSPDI file with MPXJ and print what MPXJ found, as JSON, for tests/export_mspdi.rs.

Usage: mspdi_read.py FILE.xml
Prints {"order_problems", "title", "start", "status_date", "calendars": [...], "tasks": [...]}:
"order_problems" lists elements out of the schema's order (see mspdi_order.py); for each
calendar its name, working weekdays and exceptions; for each task (in file order, the
project summary task excluded) its Text1 (the tranche id), name, outline level, parent's
Text1, whether summary or milestone, duration in working days (8-hour days), start, finish,
constraint type and date, deadline, actual start and finish, percent complete, baseline
start and finish, fixed cost, critical flag and predecessor links (Text1 of the predecessor,
MPXJ's relation type, lag in working days).

Exit status 0 on success, 1 when MPXJ cannot read the file, 2 when MPXJ is not installed.
"""

import json
import sys

from script_start import begin


def main():
    if begin(__doc__, "jpype", "mpxj") is None:
        return 2
    from java.time import DayOfWeek
    from org.mpxj import TimeUnit
    from org.mpxj.reader import UniversalProjectReader

    try:
        project = UniversalProjectReader().read(sys.argv[1])
    except Exception as e:  # a Java exception: MPXJ refused the file
        print(f"MPXJ could not read {sys.argv[1]}: {e}")
        return 1
    if project is None:
        print(f"MPXJ did not recognise {sys.argv[1]}")
        return 1

    def text(value):
        return None if value is None else str(value)

    def date(value):
        # LocalDateTime as "YYYY-MM-DDTHH:MM"
        return None if value is None else str(value)[:16]

    def days(duration):
        if duration is None:
            return None
        hours = duration.convertUnits(TimeUnit.HOURS, project.getProjectProperties()).getDuration()
        return hours / 8.0

    props = project.getProjectProperties()
    calendars = []
    for cal in project.getCalendars():
        calendars.append({
            "name": text(cal.getName()),
            "working_days": [str(d) for d in DayOfWeek.values() if cal.isWorkingDay(d)],
            "exceptions": [
                {"from": str(e.getFromDate()), "to": str(e.getToDate()), "name": text(e.getName())}
                for e in cal.getCalendarExceptions()
            ],
        })
    tasks = []
    for task in project.getTasks():
        if task.getUniqueID() is None or int(task.getUniqueID()) == 0:
            continue
        parent = task.getParentTask()
        parent_id = None
        if parent is not None and int(parent.getUniqueID()) != 0:
            parent_id = text(parent.getText(1))
        constraint = task.getConstraintType()
        links = []
        for relation in task.getPredecessors():
            links.append({
                "pred": text(relation.getPredecessorTask().getText(1)),
                "type": str(relation.getType()),
                "lag_days": days(relation.getLag()),
            })
        cost = task.getFixedCost()
        tasks.append({
            "id": text(task.getText(1)),
            "name": text(task.getName()),
            "level": int(task.getOutlineLevel()),
            "parent": parent_id,
            "summary": bool(task.getSummary()),
            "milestone": bool(task.getMilestone()),
            "duration_days": days(task.getDuration()),
            "start": date(task.getStart()),
            "finish": date(task.getFinish()),
            "constraint": None if constraint is None else str(constraint),
            "constraint_date": date(task.getConstraintDate()),
            "deadline": date(task.getDeadline()),
            "actual_start": date(task.getActualStart()),
            "actual_finish": date(task.getActualFinish()),
            "percent_complete": None if task.getPercentageComplete() is None
            else float(task.getPercentageComplete().doubleValue()),
            "baseline_start": date(task.getBaselineStart()),
            "baseline_finish": date(task.getBaselineFinish()),
            "fixed_cost": None if cost is None else float(cost.doubleValue()),
            "critical": bool(task.getCritical()),
            "calendar": None if task.getCalendar() is None else text(task.getCalendar().getName()),
            "links": links,
        })
    import mspdi_order  # beside this script
    print(json.dumps({
        "order_problems": mspdi_order.problems(sys.argv[1]),
        "title": text(props.getProjectTitle()),
        "start": date(props.getStartDate()),
        "status_date": date(props.getStatusDate()),
        "calendar": None if project.getDefaultCalendar() is None
        else text(project.getDefaultCalendar().getName()),
        "calendars": calendars,
        "tasks": tasks,
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
