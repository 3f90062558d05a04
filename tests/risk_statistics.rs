//! Statistical tests of `tranche risk` (issue 8) on plans built by hand, with fixed seeds: the
//! sampled durations follow the Beta-PERT (and triangular) formulas, parallel work shows merge
//! bias, a plan without ranges reproduces the critical-path dates, savings ranges move the
//! NPV and the chance of meeting targets, and the results do not depend on the thread count.

use crate::common::{self, Analysed};

use chrono::NaiveDate;
use tranche::money::Money;
use tranche::risk::{self, Distribution, Options, RiskSummary};

/// A plan of text starting Mon 2021-01-04 (with `more` lines in the portfolio block), read
/// through the library's pipeline.
fn plan(more: &str, items: &str) -> Analysed {
    common::analysed_text(&format!(
        "portfolio \"Test portfolio\" {{\n  start 2021-01-04\n  end 2040-12-31\n{more}}}\n{items}"
    ))
}

fn simulate(plan: &Analysed, options: &Options) -> RiskSummary {
    let a = &plan.analysis;
    risk::simulate(&plan.portfolio, &a.network, &a.calendars, options, &|_| {})
}

fn options(iterations: u32, seed: u64) -> Options {
    Options {
        iterations,
        seed,
        distribution: Distribution::Pert,
        ..Options::default()
    }
}

/// The CPM finish date of the plan as it stands.
fn cpm_finish(plan: &Analysed) -> NaiveDate {
    plan.analysis.schedule.finish
}

/// An amount in the plan language: `£1234.56`.
fn pounds(money: Money) -> String {
    format!("£{}.{:02}", money.0 / 100, money.0 % 100)
}

#[test]
fn a_single_tasks_sampled_durations_match_the_beta_pert_formulas() {
    let (a, m, b) = (10.0, 20.0, 40.0);
    let plan = plan(
        "",
        "project task {\n  duration 20 days range 10 days to 40 days\n}\n",
    );
    let n = 20_000;
    for seed in [1, 7] {
        let summary = simulate(&plan, &options(n, seed));
        let duration = summary.projects[0]
            .duration
            .unwrap_or_else(|| panic!("the task's duration is sampled"));
        let mean = (a + 4.0 * m + b) / 6.0;
        // The exact Beta-PERT standard deviation; (b - a) / 6 is the textbook shorthand.
        let sd = ((mean - a) * (b - mean) / 7.0_f64).sqrt();
        // Four standard errors: a failure is a real disagreement, not bad luck (p < 1e-4).
        let se_mean = sd / f64::from(n).sqrt();
        let se_sd = sd / (2.0 * f64::from(n)).sqrt();
        assert!(
            (duration.mean_days - mean).abs() < 4.0 * se_mean + 0.01,
            "seed {seed}: mean {} against (a+4m+b)/6 = {mean}",
            duration.mean_days
        );
        // Rounding to whole days adds a variance of 1/12 day², allowed for.
        let sd_rounded = (sd * sd + 1.0 / 12.0).sqrt();
        assert!(
            (duration.sd_days - sd_rounded).abs() < 4.0 * se_sd + 0.01,
            "seed {seed}: sd {} against {sd_rounded}",
            duration.sd_days
        );
        assert!(
            (duration.sd_days / ((b - a) / 6.0) - 1.0).abs() < 0.15,
            "sd {} is roughly (b-a)/6",
            duration.sd_days
        );
        // One task: it is always critical, and its duration drives the finish entirely.
        assert_eq!(summary.projects[0].criticality, 1.0);
        let rho = summary.projects[0].cruciality.unwrap_or(0.0);
        assert!(rho > 0.99, "cruciality {rho}");
        assert!(summary.finish.p10 < summary.finish.p50 && summary.finish.p50 < summary.finish.p90);
    }
}

#[test]
fn triangular_sampling_has_the_triangular_mean() {
    let plan = plan(
        "",
        "project task {\n  duration 20 days range 10 days to 40 days\n}\n",
    );
    let n = 20_000;
    let summary = simulate(
        &plan,
        &Options {
            distribution: Distribution::Triangular,
            ..options(n, 3)
        },
    );
    let duration = summary.projects[0]
        .duration
        .unwrap_or_else(|| panic!("sampled"));
    let (a, m, b) = (10.0_f64, 20.0, 40.0);
    let mean = (a + m + b) / 3.0;
    let sd = ((a * a + m * m + b * b - a * m - a * b - m * b) / 18.0).sqrt();
    assert!(
        (duration.mean_days - mean).abs() < 4.0 * sd / f64::from(n).sqrt() + 0.01,
        "mean {} against (a+m+b)/3 = {mean}",
        duration.mean_days
    );
    assert_eq!(summary.distribution, Distribution::Triangular);
}

#[test]
fn two_parallel_equal_tasks_show_merge_bias() {
    let plan = plan(
        "",
        "project first {\n  duration 20 days range 10 days to 30 days\n  milestone first-done at finish\n}\n\
         project second {\n  duration 20 days range 10 days to 30 days\n  milestone second-done at finish\n}\n",
    );
    let summary = simulate(&plan, &options(5_000, 11));
    let first_p50 = summary.milestones[0].date.p50;
    let second_p50 = summary.milestones[1].date.p50;
    // Each task alone is symmetric about its likely finish...
    assert_eq!(first_p50, summary.milestones[0].date.planned);
    assert_eq!(second_p50, summary.milestones[1].date.planned);
    // ...but the later of the two is later than either: the merge bias of parallel paths.
    assert!(
        summary.finish.p50 > first_p50 && summary.finish.p50 > second_p50,
        "P50 finish {} against {first_p50} and {second_p50}",
        summary.finish.p50
    );
    assert_eq!(summary.finish.planned, summary.milestones[0].date.planned);
    // Both must finish on plan for the plan to: about a quarter of the time, not a half.
    assert!(
        summary.finish_by_planned > 0.15 && summary.finish_by_planned < 0.4,
        "chance of the planned finish {}",
        summary.finish_by_planned
    );
    // Each is on the critical path about half the time, and about equally crucial.
    for p in &summary.projects {
        assert!(
            (p.criticality - 0.5).abs() < 0.05,
            "{}: {}",
            p.id,
            p.criticality
        );
        let rho = p.cruciality.unwrap_or(0.0);
        assert!(rho > 0.4 && rho < 0.8, "{}: cruciality {rho}", p.id);
    }
}

/// A plan with money, milestones, a deadline, a target and links of every kind, with the
/// durations and the saving's range given (`range ...` text, or nothing), and the target.
fn plan_with(ranges: [&str; 3], saving_range: &str, target: Money) -> Analysed {
    plan(
        &format!("  target savings {} in 2022/23\n", pounds(target)),
        &format!(
            "project a {{\n  duration 30 days{}\n  milestone a-done at finish\n}}\n\
             project b {{\n  duration 45 days{}\n  after a\n  saving £100,000 per year from finish ramp 6 months{saving_range}\n}}\n\
             project c {{\n  duration 10 days{}\n  finishes after b + 5 days\n}}\n\
             milestone live {{\n  after c\n  deadline 2021-06-01\n}}\n",
            ranges[0], ranges[1], ranges[2]
        ),
    )
}

/// [`plan_with`] without ranges, and a target of £50,000 in 2022/23.
fn plan_without_ranges() -> Analysed {
    plan_with(["", "", ""], "", Money(5_000_000))
}

#[test]
fn a_plan_without_ranges_gives_every_percentile_the_critical_path_date() {
    let plan = plan_without_ranges();
    let summary = simulate(&plan, &options(300, 5));
    assert_eq!(summary.uncertain_durations, 0);
    assert_eq!(summary.finish.planned, cpm_finish(&plan));
    let same = |r: &risk::DateRisk| [r.p10, r.p50, r.p80, r.p90].iter().all(|&x| x == r.planned);
    assert!(same(&summary.finish), "{:?}", summary.finish);
    for m in &summary.milestones {
        assert!(same(&m.date), "{}: {:?}", m.id, m.date);
    }
    assert_eq!(summary.finish_by_planned, 1.0);
    assert_eq!(summary.finish_by_end, 1.0);
    assert_eq!(summary.finish_curve.len(), 1);
    assert_eq!(summary.finish_curve[0].probability, 1.0);
    let npv = summary.npv;
    assert!(npv.planned.0 > 0);
    assert!(
        [npv.p10, npv.p50, npv.p80, npv.p90, npv.mean]
            .iter()
            .all(|&x| x == npv.planned)
    );
    assert_eq!(summary.deadlines.len(), 1);
    assert!(same(&summary.deadlines[0].finish));
    assert_eq!(summary.deadlines[0].probability, 1.0);
    assert_eq!(summary.targets[0].probability, 1.0);
    assert!(summary.tornado.is_empty());
    for p in &summary.projects {
        assert_eq!(p.cruciality, None);
        assert_eq!(p.criticality, 1.0, "{} is on the only path", p.id);
    }
}

#[test]
fn savings_ranges_spread_the_npv_and_the_chance_of_meeting_a_target() {
    // The target sits at the planned year's savings: sampling lands on either side of it.
    let planned = simulate(&plan_without_ranges(), &options(1, 1)).targets[0]
        .savings
        .planned;
    let plan = plan_with(["", "", ""], " range £40,000 to £120,000", planned);
    let summary = simulate(&plan, &options(4_000, 2));
    assert_eq!(summary.uncertain_savings, 1);
    let npv = summary.npv;
    assert!(npv.p10 < npv.p50 && npv.p50 < npv.p90, "{npv:?}");
    // The range is skewed low (4 to 12 about 10), so the PERT mean is below the plan.
    assert!(npv.mean < npv.planned, "{npv:?}");
    let p = summary.targets[0].probability;
    assert!(p > 0.05 && p < 0.95, "chance of meeting the target {p}");
    // Dates are untouched by savings.
    assert_eq!(summary.finish.p90, summary.finish.planned);
}

#[test]
fn a_deadline_at_the_median_finish_is_met_about_half_the_time() {
    // 20 working days from Monday 4 January 2021: the last day is Friday 29 January.
    let plan = plan(
        "",
        "project task {\n  duration 20 days range 10 days to 30 days\n  deadline 2021-01-29\n}\n",
    );
    let summary = simulate(&plan, &options(4_000, 9));
    assert_eq!(
        summary.deadlines[0].finish.planned,
        common::date("2021-01-29")
    );
    let p = summary.deadlines[0].probability;
    // Symmetric about 20 days, and 20 itself counts as on time: a little over a half.
    assert!(p > 0.5 && p < 0.62, "chance of meeting the deadline {p}");
}

#[test]
fn work_in_progress_samples_its_whole_duration_and_schedules_what_remains() {
    let in_progress = plan(
        "  status-date 2021-02-01\n",
        "project task {\n  duration 40 days range 20 days to 80 days\n  actual-start 2021-01-04\n  complete 50%\n}\n",
    );
    let summary = simulate(&in_progress, &options(2_000, 4));
    // Half done: what remains spreads by half the range's width around the plan.
    assert!(summary.finish.p10 < summary.finish.planned);
    assert!(summary.finish.p90 > summary.finish.planned);
    // Finished work is never sampled.
    let done = plan(
        "  status-date 2021-02-01\n",
        "project done {\n  duration 10 days range 5 days to 20 days\n  actual-start 2021-01-04\n  actual-finish 2021-01-15\n}\n",
    );
    let summary = simulate(&done, &options(200, 4));
    assert_eq!(summary.uncertain_durations, 0);
    assert_eq!(summary.finish.p90, common::date("2021-01-15"));
}

/// A plan with a bit of everything uncertain, for the determinism tests.
fn busy_plan() -> Analysed {
    plan_with(
        [
            " range 20 days to 50 days",
            " range 30 days to 70 days",
            " range 5 days to 20 days",
        ],
        " range £60,000 to £130,000",
        Money(5_000_000),
    )
}

#[test]
fn the_same_seed_gives_the_same_bytes_with_one_thread_and_with_two() {
    let plan = busy_plan();
    // Not a multiple of the chunk size, so the last chunk is a short one.
    let opts = options(1_000, 42);
    let run_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("a thread pool: {e}"));
        pool.install(|| tranche::report::risk_render::json(&simulate(&plan, &opts)))
    };
    let one = run_on(1);
    let two = run_on(2);
    assert_eq!(one, two);
    assert_eq!(one, run_on(3));
    // A different seed gives different samples.
    let other = tranche::report::risk_render::json(&simulate(&plan, &options(1_000, 43)));
    assert_ne!(one, other);
}

#[test]
fn progress_is_told_of_every_iteration() {
    let plan = busy_plan();
    let done = std::sync::atomic::AtomicU64::new(0);
    let summary = risk::simulate(
        &plan.portfolio,
        &plan.analysis.network,
        &plan.analysis.calendars,
        &options(300, 1),
        &|n| {
            done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        },
    );
    assert_eq!(done.into_inner(), 300);
    assert_eq!(summary.iterations, 300);
    let last = summary.finish_curve.last().map(|c| c.probability);
    assert_eq!(last, Some(1.0));
}

#[test]
fn the_portfolio_only_profile_equals_the_full_ones_portfolio() {
    // risk::simulate profiles only the portfolio's money; it must be the full profile's.
    for plan in [plan_without_ranges(), busy_plan()] {
        let (schedule, calendars) = (&plan.analysis.schedule, &plan.analysis.calendars);
        let full = tranche::finance::profile(&plan.portfolio, schedule, calendars);
        let (years, only) =
            tranche::finance::profile_portfolio(&plan.portfolio, schedule, calendars);
        assert_eq!(years, full.years);
        assert_eq!(only.yearly, full.portfolio.yearly);
        assert_eq!(only.monthly, full.portfolio.monthly);
        assert_eq!(only.appraisal, full.portfolio.appraisal);
        assert!(only.appraisal.npv.0 != 0);
    }
}
