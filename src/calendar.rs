//! Working-day calendars: weekends, England and Wales bank holidays, user closures, and fast
//! conversion between dates and working-day indices.
//!
//! Being written for issue 3; see the brief in docs/ARCHITECTURE.md.
