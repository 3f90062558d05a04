//! The text of `tranche explain`: the driving chain, its origin and the float, one sentence a
//! line. Reads an [`Explanation`] and computes nothing.

use crate::diagnostic::count::count;
use crate::model::LinkKind;
use crate::schedule::{Explanation, FloatLimit, Origin, Step};

/// Renders an explanation as plain text.
pub fn explain_text(e: &Explanation) -> String {
    let mut out = format!("`{}` starts {} and finishes {}\n", e.id, e.start, e.finish);
    if let Some(through) = &e.through {
        out.push_str(&format!("its work that finishes last is `{through}`\n"));
    }
    out.push_str("\nwhy then:\n");
    for step in &e.steps {
        out.push_str(&format!("  {}\n", step_text(step)));
    }
    out.push_str(&format!("  {}\n", origin_text(&e.origin)));
    out.push_str("\nfloat:\n");
    out.push_str(&format!(
        "  total float {}, free float {}\n",
        working_days(e.total_float_days),
        working_days(e.free_float_days),
    ));
    let limit = match &e.float_limit {
        FloatLimit::Finished => {
            "it is finished: its dates are facts and it has no float".to_string()
        }
        FloatLimit::PlanFinish { date } => {
            format!(
                "it can finish as late as {}, the portfolio's forecast finish {date}",
                e.late_finish
            )
        }
        FloatLimit::Deadline { date } => {
            format!(
                "it can finish as late as {}, limited by its deadline {date}",
                e.late_finish
            )
        }
        FloatLimit::Successor { id, kind, lag_days } => format!(
            "it can finish as late as {} before it delays `{id}` ({}{})",
            e.late_finish,
            kind.code(),
            lag_text(*lag_days)
        ),
        FloatLimit::Project { id } => format!("it moves with its project `{id}`"),
    };
    out.push_str(&format!("  {limit}\n"));
    if e.total_float_days < 0 {
        out.push_str(&format!(
            "  negative float: it is {} too late for what limits it\n",
            working_days(-e.total_float_days),
        ));
    } else if e.total_float_days == 0 && !matches!(e.float_limit, FloatLimit::Finished) {
        out.push_str("  it is critical: any delay to it delays the finish\n");
    }
    out
}

fn working_days(n: impl std::fmt::Display) -> String {
    count(n, "working day", "working days")
}

fn lag_text(lag: i32) -> String {
    match lag {
        0 => String::new(),
        l if l > 0 => format!(", lag {}", working_days(l)),
        l => format!(", lead {}", working_days(-l)),
    }
}

fn step_text(s: &Step) -> String {
    if let Some(tie) = s.tie {
        return format!(
            "`{}` ({}) is {tie} of `{}` ({} to {})",
            s.successor,
            s.successor_finish,
            s.predecessor,
            s.predecessor_start,
            s.predecessor_finish
        );
    }
    let (what, when) = match s.kind {
        LinkKind::FinishToStart => ("starts", "finishes"),
        LinkKind::StartToStart => ("starts", "starts"),
        LinkKind::FinishToFinish => ("finishes", "finishes"),
        LinkKind::StartToFinish => ("finishes", "starts"),
    };
    let own = if what == "starts" {
        s.successor_start
    } else {
        s.successor_finish
    };
    let theirs = if when == "starts" {
        s.predecessor_start
    } else {
        s.predecessor_finish
    };
    let via = s
        .via
        .as_ref()
        .map(|g| format!(", through programme `{g}`"))
        .unwrap_or_default();
    format!(
        "`{}` {what} {own} because `{}` {when} {theirs} ({}{}{via})",
        s.successor,
        s.predecessor,
        s.kind.code(),
        lag_text(s.lag_days)
    )
}

fn origin_text(o: &Origin) -> String {
    match o {
        Origin::PlanStart { id, date } => {
            format!(
                "`{id}` starts at the portfolio start {date} (its first working day on or after)"
            )
        }
        Origin::StatusDate { id, date } => {
            format!(
                "`{id}` cannot start before the status date {date}: work still to do starts then"
            )
        }
        Origin::Resumes { id, started, date } => format!(
            "`{id}` started {started}; its remaining work resumes at the status date {date}"
        ),
        Origin::Complete { id, started, date } => format!(
            "`{id}` started {started} and is 100% complete without an `actual-finish`: it is \
             taken as finished before the status date {date}"
        ),
        Origin::NotBefore { id, date } => format!("`{id}` has `not-before {date}`"),
        Origin::Actual { id, start, finish } => {
            format!("`{id}` has actual dates ({start} to {finish})")
        }
        Origin::Fixed { id, date } => format!("`{id}` is fixed on {date}"),
        Origin::Team {
            id,
            team,
            date,
            busy_on,
            size,
            needs,
            busy,
        } => {
            let total = crate::model::Fte(busy.iter().map(|(_, f)| f.0).sum::<u32>() + needs.0);
            let names: Vec<String> = busy.iter().map(|(b, _)| format!("`{b}`")).collect();
            let who = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => "other work".to_string(),
            };
            format!(
                "`{id}` waits for team `{team}` until {date} (on {busy_on} it has {}; {who} and `{id}` would need {})",
                size.people(),
                total.text()
            )
        }
    }
}
