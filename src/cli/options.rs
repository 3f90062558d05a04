//! `tranche options FILE`: the plan as written and each scenario side by side, appraised
//! against the baseline option (docs/options.md).

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome, StdFs};
use crate::diagnostic::SourceMap;
use crate::options::{self, Failure};
use crate::report::options_render::{self as render, Format};
use crate::risk;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    /// The scenarios to show, by id, comma-separated (all when not given; the baseline
    /// option is always shown).
    #[arg(long, value_delimiter = ',')]
    pub scenarios: Option<Vec<String>>,
    /// Also simulate each option (`tranche risk`'s default iterations and seed) for its P80
    /// finish.
    #[arg(long)]
    pub risk: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub money: super::Money,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    // The plan as written first, through the path every command takes: its diagnostics are
    // printed and a plan that cannot be shown stops here.
    let prepared = ctx.prepare(&args.file, crate::finance::Detail::ProjectYearsOnly)?;
    let money = args.money.of(&prepared.portfolio);
    let mut sources = SourceMap::new();
    let (plan, _) =
        match crate::source::load_with_includes(&args.file, &StdFs, &mut sources, ctx.includes) {
            Ok(loaded) => loaded,
            // Read a moment ago; gone now.
            Err(diagnostic) => {
                ctx.print_diagnostics(&mut [diagnostic], &sources)?;
                return Ok(Exit::Trouble);
            }
        };
    let p80 = |portfolio: &crate::model::Portfolio, analysis: &crate::analysis::Analysis| {
        args.risk.then(|| {
            let run = super::risk::Run {
                iterations: risk::DEFAULT_ITERATIONS,
                seed: risk::DEFAULT_SEED,
                distribution: None,
                level: false,
            };
            let options = super::risk::options(portfolio, run, risk::Register::Mitigated);
            risk::simulate(
                portfolio,
                &analysis.network,
                &analysis.calendars,
                &options,
                &|_| {},
            )
            .finish
            .p80
        })
    };
    let compared = options::compare(
        &plan,
        args.scenarios.as_deref(),
        ctx.options(crate::finance::Detail::ProjectYearsOnly),
        &p80,
    );
    match compared {
        Ok(comparison) => {
            let out = render::render(&comparison, money, args.format);
            std::io::stdout().write_all(out.as_bytes())?;
            Ok(Exit::Success)
        }
        Err(Failure::Unknown { id, declared }) => {
            let mut message = format!("error: no scenario `{id}` in the plan");
            match crate::model::suggest(&id, declared.iter().map(String::as_str)) {
                Some(close) => message.push_str(&format!("; did you mean `{close}`?")),
                None if declared.is_empty() => message.push_str("; it declares none"),
                None => message.push_str(&format!("; it declares `{}`", declared.join("`, `"))),
            }
            writeln!(std::io::stderr(), "{message}")?;
            Ok(Exit::Trouble)
        }
        Err(Failure::Invalid {
            option,
            mut diagnostics,
        }) => Ok(invalid_option(ctx, &option, &mut diagnostics, &sources)?),
    }
}

/// Says that the plan scenario `option` describes does not validate, with its diagnostics;
/// shared with `report --options`.
pub(super) fn invalid_option(
    ctx: &Context,
    option: &str,
    diagnostics: &mut [crate::diagnostic::Diagnostic],
    sources: &SourceMap,
) -> std::io::Result<Exit> {
    writeln!(
        std::io::stderr(),
        "error: the plan scenario `{option}` describes cannot be appraised (`tranche check` says why)"
    )?;
    ctx.print_diagnostics(diagnostics, sources)?;
    Ok(Exit::Failure)
}
