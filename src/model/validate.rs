//! `validate`: a loaded [`Plan`] to a [`Portfolio`], with every problem as a diagnostic.

use super::Portfolio;
use crate::diagnostic::Diagnostic;
use crate::source::Plan;

/// Resolves and checks a plan. The portfolio is `Some` exactly when no diagnostic is an error;
/// warnings come back either way.
pub fn validate(plan: &Plan) -> (Option<Portfolio>, Vec<Diagnostic>) {
    let _ = plan;
    unimplemented!("model::validate is being written")
}
