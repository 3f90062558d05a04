//! `tranche fmt`: the canonical layout of a portfolio file, comments kept.
//!
//! Being written for issue 2.
