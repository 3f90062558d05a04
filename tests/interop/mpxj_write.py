#!/usr/bin/env python3
"""Write an MSPDI file with MPXJ (as another tool would), for tests/import_mspdi.rs.

Usage: mpxj_write.py OUT.xml
Builds a small plan in MPXJ: a Monday-Friday calendar with one holiday, a summary task
holding two tasks linked finish-to-start with a two-day lag, a start-to-start link, a
start-no-earlier-than constraint, a task in progress (actual start, 40% complete, status
date) and a milestone with a deadline; then writes it with MPXJ's MSPDIWriter.
Exit status 0 on success, 2 when MPXJ is not installed.
"""

import sys

from script_start import begin


def main():
    if begin(__doc__, "jpype", "mpxj") is None:
        return 2
    from java.time import LocalDate, LocalDateTime
    from java.lang import Double
    from org.mpxj import (ConstraintType, Duration, ProjectFile, Relation, RelationType,
                          TimeUnit)
    from org.mpxj.mspdi import MSPDIWriter

    def at(y, m, d, h=8):
        return LocalDateTime.of(y, m, d, h, 0)

    project = ProjectFile()
    calendar = project.addDefaultBaseCalendar()
    calendar.addCalendarException(LocalDate.of(2025, 5, 26), LocalDate.of(2025, 5, 26)).setName(
        "Spring bank holiday")
    props = project.getProjectProperties()
    props.setDefaultCalendar(calendar)
    props.setProjectTitle("Waste services app")
    props.setStartDate(at(2025, 4, 7))
    props.setStatusDate(at(2025, 5, 1))

    def days(n):
        return Duration.getInstance(n, TimeUnit.DAYS)

    summary = project.addTask()
    summary.setName("Citizen app")
    summary.setSummary(True)

    design = summary.addTask()
    design.setName("Design the app")
    design.setDuration(days(15))
    design.setStart(at(2025, 4, 7))
    design.setActualStart(at(2025, 4, 7))
    design.setPercentageComplete(Double(40.0))

    build = summary.addTask()
    build.setName("Build the app")
    build.setDuration(days(30))
    build.addPredecessor(Relation.Builder().predecessorTask(design).type(RelationType.FINISH_START)
                         .lag(days(2)))

    comms = project.addTask()
    comms.setName("Communications campaign")
    comms.setDuration(days(10))
    comms.setConstraintType(ConstraintType.START_NO_EARLIER_THAN)
    comms.setConstraintDate(at(2025, 6, 2))
    comms.addPredecessor(Relation.Builder().predecessorTask(build).type(RelationType.START_START)
                         .lag(days(5)))

    launch = project.addTask()
    launch.setName("App launched")
    launch.setDuration(days(0))
    launch.setMilestone(True)
    launch.setDeadline(at(2025, 9, 30, 17))
    launch.addPredecessor(Relation.Builder().predecessorTask(build).type(RelationType.FINISH_START))

    MSPDIWriter().write(project, sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
