//! Snapshots of every export of the sample plan (tests/export_support), reviewed by hand, and
//! the checks that need no external program.

mod export_support;

use export_support::*;
use tranche::export::Format;

#[test]
fn mspdi_snapshot() {
    insta::assert_snapshot!(exported(&sample(), Format::Mspdi));
}

#[test]
fn mermaid_snapshot() {
    insta::assert_snapshot!(exported(&sample(), Format::Mermaid));
}

#[test]
fn dot_snapshot() {
    insta::assert_snapshot!(exported(&sample(), Format::Dot));
}

#[test]
fn csv_snapshot() {
    insta::assert_snapshot!(exported(&sample(), Format::Csv));
}

#[test]
fn ical_snapshot() {
    insta::assert_snapshot!(exported(&sample(), Format::Ical));
}
