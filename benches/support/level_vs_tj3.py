#!/usr/bin/env python3
"""Levelled finish dates of tranche beside TaskJuggler 3's, on generated plans (issue 20).

Each plan: N projects of 5 to 40 working days in a chain-rich network (each may wait for one or
two earlier projects), each needing 1 to 3 people of one of three teams of 3 to 6 people, one in
five with a `priority`. Both tools see the same work on the same days: tranche uses the built-in
`weekdays` calendar (no bank holidays), TaskJuggler its default Monday-to-Friday week. A project
that needs N people for D working days is, for TaskJuggler, a task of N*D person-days of
`effort` with N mandatory allocations, each of any member of the team (`alternative`), so it
advances only on days when N members are free together. Priorities map to TaskJuggler's scale
(higher first): tranche's `priority p` is TaskJuggler's 1000 - 100 p; none is 500 in both orders.

Prints, per plan, the two finishes and how the projects' finishes compare; and a summary.
Usage: level_vs_tj3.py [PLANS] [PROJECTS] [SEED]  (defaults 10, 300, 1). Needs `tj3` and a
built `tranche` (TRANCHE=path, default target/release/tranche).
"""
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile

TRANCHE = os.environ.get("TRANCHE", "target/release/tranche")
START = dt.date(2024, 4, 1)


def generate(rng, n):
    teams = [(f"t{k}", rng.randint(3, 6)) for k in range(3)]
    projects = []
    for i in range(n):
        team, size = rng.choice(teams)
        needs = rng.randint(1, min(3, size))
        days = rng.randint(5, 40)
        preds = sorted({rng.randrange(i) for _ in range(rng.randint(0, 2))}) if i else []
        priority = rng.randint(1, 4) if rng.random() < 0.2 else None
        projects.append((f"p{i}", days, team, needs, preds, priority))
    return teams, projects


def tranche_text(teams, projects):
    out = [f'portfolio "Cross-check" {{\n  start {START}\n  end 2034-03-31\n  calendar weekdays\n}}']
    for team, size in teams:
        out.append(f"team {team} {{\n  size {size}\n}}")
    for pid, days, team, needs, preds, priority in projects:
        lines = [f"project {pid} {{", f"  duration {days} days", f"  needs {team} {needs}"]
        if preds:
            lines.append("  after " + ", ".join(f"p{p}" for p in preds))
        if priority is not None:
            lines.append(f"  priority {priority}")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n".join(out) + "\n"


def tjp_text(teams, projects):
    out = [
        f'project cc "Cross-check" {START} +10y {{\n  timezone "UTC"\n'
        "  workinghours mon - fri 9:00 - 17:00\n}"
    ]
    for team, size in teams:
        members = "\n".join(f'  resource {team}_{m} "{team} {m}"' for m in range(size))
        out.append(f'resource {team} "{team}" {{\n{members}\n}}')
    sizes = dict(teams)
    for pid, days, team, needs, preds, priority in projects:
        members = [f"{team}_{m}" for m in range(sizes[team])]
        lines = [f'task {pid} "{pid}" {{', f"  effort {days * needs}d"]
        for k in range(needs):
            others = ", ".join(m for m in members if m != members[k])
            lines.append(f"  allocate {members[k]} {{ alternative {others} mandatory }}")
        if preds:
            lines.append("  depends " + ", ".join(f"p{p}" for p in preds))
        lines.append(f"  priority {1000 - 100 * priority if priority else 500}")
        lines.append("}")
        out.append("\n".join(lines))
    out.append(
        'taskreport out "out" {\n  formats csv\n  columns id, end\n  timeformat "%Y-%m-%d"\n}'
    )
    return "\n".join(out) + "\n"


def tranche_finishes(path):
    text = subprocess.run(
        [TRANCHE, "schedule", "--level", "--format", "json", path],
        check=True, capture_output=True, text=True,
    ).stdout
    doc = json.loads(text)
    return {
        p["id"]: dt.date.fromisoformat(p["finish"])
        for p in doc["items"]
        if p["kind"] == "project"
    }


def tj3_finishes(folder, path):
    subprocess.run(["tj3", "--silent", "-o", folder, path], check=True, capture_output=True)
    with open(os.path.join(folder, "out.csv"), newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    # TaskJuggler's end is the end of the last day's working time; as a date it is that day.
    return {r[0]: dt.date.fromisoformat(r[1]) for r in rows}


def main():
    plans = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    print("| plan | tranche finish | tj3 finish | projects equal | tranche earlier | tj3 earlier |")
    print("|---:|---|---|---:|---:|---:|")
    totals = [0, 0, 0]
    for k in range(plans):
        teams, projects = generate(rng, n)
        with tempfile.TemporaryDirectory() as folder:
            tp = os.path.join(folder, "plan.tranche")
            jp = os.path.join(folder, "plan.tjp")
            open(tp, "w").write(tranche_text(teams, projects))
            open(jp, "w").write(tjp_text(teams, projects))
            ours, theirs = tranche_finishes(tp), tj3_finishes(folder, jp)
        equal = sum(ours[p] == theirs[p] for p in ours)
        earlier = sum(ours[p] < theirs[p] for p in ours)
        later = sum(ours[p] > theirs[p] for p in ours)
        for i, v in enumerate((equal, earlier, later)):
            totals[i] += v
        print(f"| {k + 1} | {max(ours.values())} | {max(theirs.values())} | {equal} | {earlier} | {later} |")
    print(f"\nover {plans} plans of {n} projects: {totals[0]} finishes equal, "
          f"{totals[1]} earlier in tranche, {totals[2]} earlier in tj3")


if __name__ == "__main__":
    main()
