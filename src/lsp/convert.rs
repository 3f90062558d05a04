//! The pipeline's diagnostics as LSP diagnostics: the same code, place, message and hint as
//! `check --format json` (which `diagnostic::render` writes from the same values).
//!
//! The message is the diagnostic's own, followed by its unplaced notes (`note: ...`) and its hint
//! (`help: ...`) on lines of their own, as the human rendering shows them, since editors show
//! only the message. The hint and the bare message are also in `data`, for code actions and for
//! tools that compare with `check --format json`. Notes with a place are related information.

use lsp_types as lsp;
use serde_json::json;

use super::Plan;
use crate::diagnostic::{Diagnostic, FileId, Severity, Span};

/// The diagnostics of `file` in `plan`. A diagnostic with no place (the root cannot be read)
/// is shown at the top of the root file.
pub(crate) fn diagnostics_of(plan: &Plan, file: FileId) -> Vec<lsp::Diagnostic> {
    plan.diagnostics
        .iter()
        .filter(|d| match d.span {
            Some(span) => span.file == file,
            None => file == FileId(0),
        })
        .map(|d| diagnostic(plan, d))
        .collect()
}

fn diagnostic(plan: &Plan, d: &Diagnostic) -> lsp::Diagnostic {
    let range = d
        .span
        .map_or_else(lsp::Range::default, |span| plan.range(span));
    let mut message = d.message.clone();
    for note in d.notes.iter().filter(|n| n.span.is_none()) {
        message.push_str("\nnote: ");
        message.push_str(&note.message);
    }
    if let Some(hint) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .notes
        .iter()
        .filter_map(|note| {
            let span: Span = note.span?;
            Some(lsp::DiagnosticRelatedInformation {
                location: plan.location(span)?,
                message: note.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        code_description: None,
        source: Some("tranche".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({ "message": d.message, "hint": d.hint })),
    }
}
