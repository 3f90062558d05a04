//! `tranche report FILE --watch -o OUT`: the report written again each time the plan or a file
//! it includes is saved, so a browser with the page open shows the plan as it now stands.
//!
//! The files are polled (their modification times, every [`POLL`]): no platform's notification
//! API is needed, and a plan is a handful of files. A change is acted on once the files have
//! stopped changing for [`SETTLE`], so an editor's save in several writes gives one report.
//! Each report goes through `output::write_file`, so the page is replaced whole or not at all.
//! Ctrl-C or SIGTERM ends the loop between reports (never during a write), with exit 0.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::{Context, Exit, Outcome, Stop};
use crate::diagnostic::SourceMap;

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(100);
/// How long the files must stay unchanged before the report is written again.
const SETTLE: Duration = Duration::from_millis(100);

/// Runs `write` (one report) now and after each change to the plan's files, until Ctrl-C or
/// SIGTERM. A plan with errors is reported (by `write`, on stderr) and watched until fixed.
pub(crate) fn watch(root: &Path, ctx: &Context, write: impl Fn() -> Outcome) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    if let Err(error) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        writeln!(std::io::stderr(), "error: cannot watch for Ctrl-C: {error}")?;
        return Ok(Exit::Trouble);
    }
    loop {
        let files = files_of(root, ctx);
        let before = stamps(&files);
        match write() {
            Ok(_) | Err(Stop::Exit(_)) => {}
            Err(Stop::Io(error)) => return Err(Stop::Io(error)),
        }
        writeln!(
            std::io::stderr(),
            "watching {} for changes (Ctrl-C to stop)",
            super::plural(files.len(), "file")
        )?;
        // Wait for a change, then for the files to settle.
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(Exit::Success);
            }
            std::thread::sleep(POLL);
            if stamps(&files) != before {
                break;
            }
        }
        let mut last = stamps(&files);
        loop {
            std::thread::sleep(SETTLE);
            let now = stamps(&files);
            if now == last {
                break;
            }
            last = now;
        }
    }
}

/// The plan's files as it now includes them (the root alone when it cannot be read).
fn files_of(root: &Path, ctx: &Context) -> Vec<PathBuf> {
    let mut sources = SourceMap::new();
    let _ = crate::source::load_with_includes(root, &super::StdFs, &mut sources, ctx.includes);
    let mut files: Vec<PathBuf> = sources
        .files()
        .map(|(_, file)| PathBuf::from(&file.name))
        .collect();
    if files.is_empty() {
        files.push(root.to_path_buf());
    }
    files
}

/// Each file's modification time and length (`None` for one that cannot be read now).
fn stamps(files: &[PathBuf]) -> Vec<Option<(SystemTime, u64)>> {
    files
        .iter()
        .map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            Some((meta.modified().ok()?, meta.len()))
        })
        .collect()
}
