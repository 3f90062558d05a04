//! The one renderer of diagnostics: human text, JSON and GitHub annotations.
