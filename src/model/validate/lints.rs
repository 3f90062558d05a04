//! `lint NAME THRESHOLD` in the portfolio block and `allow CODE` in the portfolio block or a
//! project: the settings of the schedule-quality lints (`crate::lint`). Unknown names and
//! codes are E051, so a typo never silently leaves a lint on.

use super::Validator;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Allow, LintProfile, LintSettings, ProjectId, names, values};
use crate::syntax::ast;

/// The lints that take a threshold, with the kind of value each takes.
const THRESHOLDS: [(&str, &str); 4] = [
    ("high-float", "lint high-float 44 days"),
    ("long-lag", "lint long-lag 1 month"),
    ("long-duration", "lint long-duration 2 years"),
    ("non-fs-share", "lint non-fs-share 10%"),
];

impl Validator {
    /// `lint profile portfolio|dcma`; read before the thresholds (`portfolio_settings`).
    pub(super) fn lint_profile(&mut self, value: &ast::LintValue) -> Option<LintProfile> {
        let names = || LintProfile::ALL.iter().map(|p| p.name());
        let hint = "write `lint profile portfolio` (the default) or `lint profile dcma`";
        let (span, found) = match value {
            ast::LintValue::Name(name) => {
                if let Some(profile) = LintProfile::ALL.iter().find(|p| p.name() == name.name) {
                    return Some(*profile);
                }
                let hint = match names::suggest(&name.name, names()) {
                    Some(close) => format!("change it to `{close}`"),
                    None => hint.to_string(),
                };
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        name.span,
                        format!("unknown lint profile `{}`", name.name),
                    )
                    .with_hint(hint),
                );
                return None;
            }
            ast::LintValue::Duration(d) => (d.span, "a duration"),
            ast::LintValue::Percent(p) => (p.span, "a percentage"),
        };
        self.error(
            Diagnostic::new(
                Code::E051BadValue,
                span,
                format!("a lint profile is a name, not {found}"),
            )
            .with_hint(hint),
        );
        None
    }

    pub(super) fn lint_setting(
        &mut self,
        name: &ast::Ident,
        value: &ast::LintValue,
        lint: &mut LintSettings,
    ) {
        if name.name == "profile" {
            // Read first, by `lint_profile`.
            return;
        }
        let Some((_, example)) = THRESHOLDS.iter().find(|(n, _)| *n == name.name) else {
            let known = THRESHOLDS.iter().map(|(n, _)| *n).chain(["profile"]);
            let hint = match names::suggest(&name.name, known) {
                Some(close) => format!("change it to `{close}`"),
                None => "the lints with a threshold are `high-float`, `long-lag`, `long-duration` and `non-fs-share`; `lint profile` chooses their defaults".to_string(),
            };
            self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    name.span,
                    format!("unknown lint `{}`", name.name),
                )
                .with_hint(hint),
            );
            return;
        };
        match (name.name.as_str(), value) {
            ("non-fs-share", ast::LintValue::Percent(literal)) => match values::percent(literal) {
                Ok(p) if (0..=10_000).contains(&p.0) => lint.non_fs_share = p,
                Ok(_) => self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        literal.span,
                        format!("a share of `{}%` is not between 0% and 100%", literal.text),
                    )
                    .with_hint("write a percentage such as `lint non-fs-share 10%`"),
                ),
                Err(d) => self.error(d),
            },
            (_, ast::LintValue::Name(value)) => self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    value.span,
                    format!("`{}` takes a threshold, not a name", name.name),
                )
                .with_hint(format!("write `{example}`")),
            ),
            ("non-fs-share", ast::LintValue::Duration(d)) => self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    d.span,
                    "`non-fs-share` is a share of the dependencies, not a duration",
                )
                .with_hint(format!("write `{example}`")),
            ),
            (_, ast::LintValue::Duration(duration)) => {
                let Some(days) = self.days(duration) else {
                    return;
                };
                let days = u32::try_from(days.max(0)).unwrap_or(u32::MAX);
                match name.name.as_str() {
                    "high-float" => lint.high_float_days = days,
                    "long-lag" => lint.long_lag_days = days,
                    _ => lint.long_duration_days = days,
                }
            }
            (_, ast::LintValue::Percent(literal)) => self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    literal.span,
                    format!(
                        "`{}` is a length of working time, not a percentage",
                        name.name
                    ),
                )
                .with_hint(format!("write `{example}`")),
            ),
        }
    }

    /// The codes of one `allow` line; codes that are not lints are E051.
    pub(super) fn allows(
        &mut self,
        codes: &[ast::Ident],
        project: Option<ProjectId>,
    ) -> Vec<Allow> {
        let mut allows = Vec::new();
        for code in codes {
            let name = code.name.to_ascii_uppercase();
            if project.is_some() && name == "W105" {
                // W105 judges the whole plan's links, not a project's: allowed in a project it
                // would never apply, and the plan's author would think it did.
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        code.span,
                        "`W105` is about the whole plan (the share of its links that are not \
                         finish-to-start), so a project cannot allow it",
                    )
                    .with_hint("allow it in the `portfolio` block, or raise the threshold there with `lint non-fs-share PCT`"),
                );
            } else if crate::lint::lint_code(&name).is_some() {
                allows.push(Allow {
                    code: name.to_string(),
                    project,
                    span: code.span,
                });
            } else {
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        code.span,
                        format!("`{}` is not a lint code", code.name),
                    )
                    .with_hint("`allow` takes the codes of schedule-quality lints, `W101` to `W114` (docs/diagnostics.md)"),
                );
            }
        }
        allows
    }
}
