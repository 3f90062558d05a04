//! `tranche fmt [--check] FILE...`: rewrite files in the canonical layout (`crate::fmt`).
//! Only the files named are formatted, not the files they include.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome};
use crate::diagnostic::{Code, Diagnostic, SourceMap};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to format in place.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Change nothing; exit 1 and name the files that would change.
    #[arg(long)]
    pub check: bool,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let mut sources = SourceMap::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut would_change = Vec::new();
    let mut trouble = false;
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                diagnostics.push(Diagnostic::unlocated(
                    Code::E003FileNotFound,
                    format!("cannot read `{name}`: {error}"),
                ));
                trouble = true;
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            diagnostics.push(
                Diagnostic::unlocated(Code::E002NotText, format!("`{name}` is not UTF-8 text"))
                    .with_hint("save the file as UTF-8 text"),
            );
            trouble = true;
            continue;
        };
        let file = sources.add(name.clone(), text.clone());
        match crate::fmt::format_source(file, &text) {
            Err(errors) => diagnostics.extend(errors),
            Ok(formatted) if formatted == text => {}
            Ok(formatted) => {
                if args.check {
                    would_change.push(name);
                } else if let Err(error) = super::output::write_file(path, formatted.as_bytes()) {
                    writeln!(std::io::stderr(), "error: cannot write `{name}`: {error}")?;
                    trouble = true;
                }
            }
        }
    }
    let has_errors = !diagnostics.is_empty();
    ctx.print_diagnostics(&mut diagnostics, &sources)?;
    for name in &would_change {
        writeln!(std::io::stdout(), "would reformat {name}")?;
    }
    Ok(if trouble {
        Exit::Trouble
    } else if has_errors || !would_change.is_empty() {
        Exit::Failure
    } else {
        Exit::Success
    })
}
