//! The dependency graph of a portfolio. The only module that names petgraph.
//!
//! Being written for issue 3.
