//! No input makes tranche panic (issue 2): odd encodings and layouts, deep nesting, huge files
//! and random bytes all end in a clean result or a clear diagnostic, never a crash.

mod common;

use common::{Run, tranche_in};

/// Writes `bytes` as a plan in a fresh directory and checks it.
fn check_bytes(bytes: &[u8]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("plan.tranche"), bytes).expect("write plan");
    tranche_in(dir.path(), &["check", "plan.tranche"])
}

fn assert_no_crash(run: &Run, what: &str) {
    assert!(
        matches!(run.code, 0..=2),
        "{what}: exit code {} means a crash\n{}",
        run.code,
        run.transcript()
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
}

const SMALL: &str = "portfolio \"P\" {\n  start 2020-04-01\n  end 2021-03-31\n}\n\nproject a \"A\" {\n  duration 2 weeks\n}\n";

#[test]
fn an_empty_file_says_the_portfolio_block_is_missing() {
    let run = check_bytes(b"");
    assert_no_crash(&run, "empty");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("E010"), "{}", run.stderr);
}

#[test]
fn comments_only_is_a_missing_portfolio_not_a_crash() {
    let run = check_bytes(b"# just a comment\n# and another\n");
    assert_no_crash(&run, "comments only");
    assert!(run.stderr.contains("E010"), "{}", run.stderr);
}

#[test]
fn a_byte_order_mark_crlf_and_tabs_are_accepted() {
    let mut text = String::from("\u{feff}");
    text.push_str(&SMALL.replace('\n', "\r\n").replace("  ", "\t"));
    let run = check_bytes(text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn non_ascii_in_strings_is_kept_and_columns_stay_right() {
    let text = "portfolio \"Plân £ 🚸\" {\n  start 2020-04-01\n  end 2021-03-31\n}\nproject a \"Café — ünïcode\" {\n  duration 2 weeks\n  owner \"Zoë\" after nothing-here\n}\n";
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "non-ascii");
    assert!(run.stderr.contains("plan.tranche:7:"), "{}", run.stderr);
}

#[test]
fn ten_thousand_nested_programmes_give_a_clear_error() {
    let mut text = String::from("portfolio \"P\" {\n  start 2020-04-01\n  end 2021-03-31\n}\n");
    for i in 0..10_000 {
        text.push_str(&format!("programme p{i} {{\n"));
    }
    text.push_str("project a { duration 1 day }\n");
    for _ in 0..10_000 {
        text.push_str("}\n");
    }
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "deep nesting");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("E005"), "{}", run.stderr);
}

#[test]
fn random_bytes_never_crash() {
    // A fixed linear congruential generator: the same "random" files on every run.
    let mut state: u64 = 0x5eed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u8
    };
    for round in 0..20 {
        let len = 1 + (round * 97) % 2000;
        let bytes: Vec<u8> = (0..len).map(|_| next()).collect();
        assert_no_crash(&check_bytes(&bytes), "random bytes");
        // Random printable plan-like text gets past the UTF-8 check into the parser.
        let alphabet = b"portfolio project programme milestone after start of { } \" # \n 2020-04-01 \xc2\xa3 1.5m % ,.+-";
        let text: Vec<u8> = (0..len)
            .map(|_| alphabet[next() as usize % alphabet.len()])
            .collect();
        assert_no_crash(&check_bytes(&text), "random text");
    }
}

#[test]
fn a_fifty_megabyte_plan_is_checked_without_crashing() {
    let mut text = String::with_capacity(52 << 20);
    text.push_str("portfolio \"Big\" {\n  start 2020-04-01\n  end 2030-03-31\n}\n");
    let mut i = 0usize;
    while text.len() < 50 << 20 {
        text.push_str(&format!(
            "project p{i} \"Project number {i} of a very large generated portfolio\" {{\n  duration {} days\n  owner \"Programme office\"\n  description \"generated to test that a fifty megabyte file is handled\"\n}}\n",
            1 + i % 20
        ));
        i += 1;
    }
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "50 MB");
    assert_eq!(
        run.code,
        0,
        "{}",
        &run.transcript()[..run.transcript().len().min(2000)]
    );
}
