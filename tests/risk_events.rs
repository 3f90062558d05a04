//! Risk events in the simulation (issue 22), on plans small enough to work by hand: a risk of
//! 50% that adds exactly 10 working days to the only project; a risk of probability 0, which
//! changes nothing; a risk of 100%, which is the same as writing its impact into the plan; a
//! mitigation that leaves the probability as it was, which changes only the cost; and the same
//! bytes on any number of threads.

use crate::common::{self, Analysed};

use chrono::NaiveDate;
use serde_json::Value;
use tranche::money::Money;
use tranche::report::risk_render;
use tranche::risk::{self, Options, Register, RiskSummary};

/// A plan starting Mon 2021-01-04 with `items`, read through the library's pipeline.
fn plan(items: &str) -> Analysed {
    common::analysed_text(&format!(
        "portfolio \"Events\" {{\n  start 2021-01-04\n  end 2030-12-31\n}}\n{items}"
    ))
}

fn simulate(plan: &Analysed, options: &Options) -> RiskSummary {
    let a = &plan.analysis;
    risk::simulate(&plan.portfolio, &a.network, &a.calendars, options, &|_| {})
}

fn options(iterations: u32) -> Options {
    Options {
        iterations,
        ..Options::default()
    }
}

/// The summary's JSON without the fields named (at any depth), for comparing two runs on
/// everything else.
fn json_without(summary: &RiskSummary, fields: &[&str]) -> String {
    fn strip(value: &mut Value, fields: &[&str]) {
        match value {
            Value::Object(map) => {
                for field in fields {
                    map.remove(*field);
                }
                for inner in map.values_mut() {
                    strip(inner, fields);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, fields)),
            _ => {}
        }
    }
    let mut value: Value = serde_json::from_str(&risk_render::json(summary))
        .unwrap_or_else(|e| panic!("the risk JSON parses: {e}"));
    strip(&mut value, fields);
    value.to_string()
}

/// Ranges of every kind beside the register, so the tests below show the events leave their
/// draws alone.
const RANGES: &str = "project work \"Work\" {\n  duration 20 days\n  cost capital £100k\n  saving £120k per year from finish\n}\nproject other \"Other\" {\n  after work\n  duration 10 days range 5 days to 20 days\n  cost capital £60k range £40k to £90k\n  saving £60k per year from finish range £30k to £80k\n}\n";

#[test]
fn a_risk_of_one_half_adding_ten_days_finishes_at_either_end_half_the_time() {
    let without = plan("project work \"Work\" {\n  duration 20 days\n}\n");
    let with_delay = plan("project work \"Work\" {\n  duration 30 days\n}\n");
    let (early, late) = (
        without.analysis.schedule.finish,
        with_delay.analysis.schedule.finish,
    );
    let risky = plan(
        "project work \"Work\" {\n  duration 20 days\n}\nrisk slip \"Slip\" {\n  probability 50%\n  affects work delay 10 days\n}\n",
    );
    let n = 10_000;
    let summary = simulate(&risky, &options(n));
    // Every finish is one of the two ends, and each holds about half of the iterations: the
    // share at the early end is binomial(n, 1/2) / n, standard error 0.005 at 10,000; four of
    // them is a real disagreement, not bad luck.
    let dates: Vec<NaiveDate> = summary.finish_curve.iter().map(|p| p.date).collect();
    assert_eq!(dates, [early, late]);
    let at_early = summary.finish_curve[0].probability;
    assert!((at_early - 0.5).abs() < 4.0 * 0.005, "{at_early}");
    assert!(summary.finish.p50 == early || summary.finish.p50 == late);
    assert_eq!((summary.finish.p10, summary.finish.p90), (early, late));
    assert_eq!(summary.finish.planned, early);
    assert!((summary.finish_by_planned - at_early).abs() < 1e-12);
    let event = &summary.events[0];
    assert_eq!((event.kind, event.id.as_str()), ("risk", "slip"));
    assert_eq!(event.probability, 0.5);
    assert!((event.occurred - (1.0 - at_early)).abs() < 1e-12);
    // The event drives the date: it leads the tornado, with a perfect rank correlation.
    let bar = &summary.tornado[0];
    assert_eq!((bar.kind, bar.id.as_str()), ("risk", "slip"));
    assert!((bar.cruciality - 1.0).abs() < 1e-9, "{}", bar.cruciality);
}

#[test]
fn a_risk_of_probability_zero_changes_nothing() {
    let without = plan(RANGES);
    let with_zero = plan(&format!(
        "{RANGES}risk never \"Never\" {{\n  probability 0%\n  affects work delay 2 weeks to 6 weeks\n  affects other cost capital £10k to £50k\n  affects work saving -£50k to -£20k per year\n}}\n"
    ));
    let a = simulate(&without, &options(1_000));
    let b = simulate(&with_zero, &options(1_000));
    assert!(a.events.is_empty());
    // The capital range of `other` is sampled.
    assert_eq!(a.uncertain_costs, 1);
    assert!(a.cost.p10 < a.cost.p90);
    assert_eq!(b.events.len(), 1);
    assert_eq!(b.events[0].occurred, 0.0);
    // Everything but the list of events, to the byte: the event's draws come from a stream of
    // their own, and its zero lines change no money.
    assert_eq!(json_without(&a, &[]), json_without(&b, &["events"]));
    assert_eq!(
        risk_render::json(&a),
        risk_render::json(&RiskSummary {
            events: Vec::new(),
            ..b
        })
    );
}

#[test]
fn a_certain_risk_is_the_same_as_its_impact_written_into_the_plan() {
    let written = plan(&RANGES.replace(
        "  duration 20 days\n  cost capital £100k\n",
        "  duration 30 days\n  cost capital £150k\n",
    ));
    let certain = plan(&format!(
        "{RANGES}risk sure \"Sure\" {{\n  probability 100%\n  affects work delay 10 days\n  affects work cost capital £50k\n}}\n"
    ));
    let issue = plan(&format!(
        "{RANGES}issue known \"Known\" {{\n  affects work delay 2 weeks\n  affects work cost capital £50k\n}}\n"
    ));
    let a = simulate(&written, &options(1_000));
    let b = simulate(&certain, &options(1_000));
    let c = simulate(&issue, &options(1_000));
    // The planned figures are the plan as written (without the risk), so they differ; every
    // sampled figure is the same.
    let ignore = ["events", "planned", "finish_by_planned"];
    assert_eq!(json_without(&a, &ignore), json_without(&b, &ignore));
    // An issue is certain: the same again, and reported as an issue that always occurred.
    assert_eq!(json_without(&a, &ignore), json_without(&c, &ignore));
    assert_eq!((c.events[0].kind, c.events[0].occurred), ("issue", 1.0));
    assert!(a.finish.p50 > b.finish.planned);
}

#[test]
fn a_mitigation_that_keeps_the_probability_changes_only_the_cost() {
    let risk = |mitigation: &str| {
        plan(&format!(
            "{RANGES}risk slip \"Slip\" {{\n  probability 30%\n  affects work delay 2 weeks to 4 weeks\n  affects other saving -£20k per year\n{mitigation}}}\n"
        ))
    };
    let bare = simulate(&risk(""), &options(1_000));
    let mitigated = simulate(
        &risk("  mitigation \"Costly\" {\n    probability 30%\n    cost capital £40k\n  }\n"),
        &options(1_000),
    );
    let changed = ["events", "cost", "npv"];
    assert_eq!(
        json_without(&bare, &changed),
        json_without(&mitigated, &changed)
    );
    // The mitigation's £40k is paid in every iteration, so every percentile moves by it.
    let plus = |m: Money| Money(m.0 + 4_000_000);
    let (b, m) = (bare.cost, mitigated.cost);
    assert_eq!(
        [m.p10, m.p50, m.p80, m.p90, m.mean],
        [
            plus(b.p10),
            plus(b.p50),
            plus(b.p80),
            plus(b.p90),
            plus(b.mean)
        ]
    );
    assert_eq!(mitigated.events[0].mitigation_cost, Money(4_000_000));
    assert!(mitigated.npv.p50 < bare.npv.p50);
}

#[test]
fn without_its_mitigation_a_risk_is_drawn_with_its_own_probability() {
    let plan = plan(&format!(
        "{RANGES}risk slip \"Slip\" {{\n  probability 60%\n  affects work delay 4 weeks\n  mitigation \"Escrow\" {{\n    probability 10%\n    cost capital £40k\n  }}\n}}\n"
    ));
    let mitigated = simulate(&plan, &options(2_000));
    let bare = simulate(
        &plan,
        &Options {
            register: Register::WithoutMitigation(0),
            ..options(2_000)
        },
    );
    let off = simulate(
        &plan,
        &Options {
            register: Register::Off,
            ..options(2_000)
        },
    );
    assert_eq!(mitigated.events[0].probability, 0.1);
    assert_eq!(bare.events[0].probability, 0.6);
    assert_eq!(bare.events[0].mitigation_cost, Money(0));
    assert!(off.events.is_empty());
    // Common random numbers: every iteration in which the mitigated risk occurs, the bare one
    // occurs too, so the mitigated finish is never later at any percentile.
    assert!(mitigated.finish.p80 <= bare.finish.p80);
    assert!(off.finish.p80 <= mitigated.finish.p80);
    assert!(bare.events[0].occurred > mitigated.events[0].occurred);
}

#[test]
fn events_give_the_same_bytes_on_one_thread_and_on_three() {
    let plan = plan(&format!(
        "{RANGES}risk slip \"Slip\" {{\n  probability 40%\n  affects work delay 1 week to 5 weeks\n  affects other cost capital £10k to £30k\n  affects work saving -£40k to -£10k per year\n  mitigation \"Escrow\" {{\n    probability 20%\n    cost capital £5k\n  }}\n}}\nissue known \"Known\" {{\n  affects other delay 3 days\n}}\n"
    ));
    let run_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("a thread pool: {e}"));
        pool.install(|| risk_render::json(&simulate(&plan, &options(1_000))))
    };
    assert_eq!(run_on(1), run_on(3));
}

/// A plan with a target, two mitigated risks: `idle`'s mitigation leaves its probability as it
/// was and costs nothing, `supplier`'s cuts it from 60% to 10% for £40k.
fn mitigated_plan() -> Analysed {
    common::analysed_text(&format!(
        "portfolio \"Events\" {{\n  start 2021-01-04\n  end 2030-12-31\n  target savings £150k in 2022/23\n}}\n{RANGES}risk idle \"Idle\" {{\n  probability 30%\n  affects other delay 2 weeks to 4 weeks\n  affects other saving -£20k per year\n  mitigation \"Nothing\" {{\n    probability 30%\n  }}\n}}\nrisk supplier \"Supplier\" {{\n  probability 60%\n  affects work delay 4 weeks to 8 weeks\n  affects work cost capital £50k\n  mitigation \"Escrow\" {{\n    probability 10%\n    cost capital £40k\n  }}\n}}\n"
    ))
}

#[test]
fn a_mitigation_that_changes_nothing_buys_exactly_nothing() {
    let plan = mitigated_plan();
    let a = &plan.analysis;
    let comparison = risk::compare_mitigations(
        &plan.portfolio,
        &a.network,
        &a.calendars,
        &options(1_000),
        &|_| {},
    );
    let [idle, supplier] = comparison.mitigations.as_slice() else {
        panic!("two mitigations: {:?}", comparison.mitigations);
    };
    // Common random numbers: with and without `idle`'s mitigation every draw is the same and
    // so is every figure, exactly.
    assert_eq!(idle.risk, "idle");
    assert_eq!(
        (idle.probability_without, idle.probability_with),
        (0.3, 0.3)
    );
    assert_eq!(idle.p80_finish_days, 0);
    assert_eq!((idle.p80_cost, idle.p80_npv), (Money(0), Money(0)));
    assert_eq!(idle.targets.len(), 1);
    assert_eq!(idle.targets[0].with, idle.targets[0].without);
    // `supplier`'s mitigation brings the P80 finish forward, and costs its £40k at least
    // where the risk would not have occurred anyway.
    assert_eq!(supplier.risk, "supplier");
    assert_eq!(supplier.cost, Money(4_000_000));
    assert!(supplier.p80_finish_days < 0, "{supplier:?}");
    // The summary is the plan as written.
    assert_eq!(comparison.summary, simulate(&plan, &options(1_000)));
}
