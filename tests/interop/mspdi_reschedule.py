#!/usr/bin/env python3
"""Reschedule an MSPDI file with MPXJ's MicrosoftScheduler and print each task's dates, as JSON.

Usage: mspdi_reschedule.py FILE.xml
Prints {"ID": {"start", "finish"}} for every task with a tranche id (Text1), after MPXJ's
implementation of Microsoft Project's scheduling has rescheduled the file from the project's
start date: what MS Project would show on opening it and recalculating. Microsoft Project
takes a task without ActualDuration or RemainingDuration as not started (0 done, the whole
duration left); MPXJ's reader leaves them unset and its scheduler refuses that, so they are
set that way here first.

Exit status 0 on success, 1 when MPXJ cannot read or schedule the file, 2 when MPXJ is not
installed.
"""

import json
import sys

from script_start import begin


def main():
    if begin(__doc__, "jpype", "mpxj") is None:
        return 2
    from org.mpxj import Duration, TimeUnit
    from org.mpxj.cpm import MicrosoftScheduler
    from org.mpxj.reader import UniversalProjectReader

    try:
        project = UniversalProjectReader().read(sys.argv[1])
        for task in project.getTasks():
            if task.getActualDuration() is None:
                task.setActualDuration(Duration.getInstance(0, TimeUnit.DAYS))
            if task.getRemainingDuration() is None and task.getDuration() is not None:
                task.setRemainingDuration(task.getDuration())
        MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
    except Exception as e:  # a Java exception: MPXJ refused the file or could not schedule it
        print(f"MPXJ could not reschedule {sys.argv[1]}: {e}")
        return 1
    out = {}
    for task in project.getTasks():
        tranche_id = task.getText(1)
        if tranche_id is None:
            continue
        out[str(tranche_id)] = {"start": str(task.getStart())[:16], "finish": str(task.getFinish())[:16]}
    print(json.dumps(out, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
