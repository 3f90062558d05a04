//! `tranche report FILE --watch -o OUT`: the report written again each time the plan or a file
//! it includes is saved, so a browser with the page open shows the plan as it now stands.
//!
//! The files are polled (their modification times, every [`POLL`]): no platform's notification
//! API is needed, and a plan is a handful of files. A change is acted on once the files have
//! stopped changing for [`SETTLE`], so an editor's save in several writes gives one report.
//! Each report goes through `output::write_file`, so the page is replaced whole or not at all.
//! Ctrl-C or SIGTERM ends the loop between reports (never during a write), with exit 0.
//!
//! With `--serve PORT` a small HTTP server on 127.0.0.1 (never another interface) serves a page
//! that shows the report in a frame and reloads the frame when the report is written again: it
//! asks `/version` twice a second. The report itself is served as written (`/report.html`),
//! with its own content security policy; the script is in the wrapper page only.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use super::{Context, Exit, Outcome, Stop};
use crate::diagnostic::SourceMap;

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(100);
/// How long the files must stay unchanged before the report is written again.
const SETTLE: Duration = Duration::from_millis(100);

/// Runs `write` (one report) now and after each change to the plan's files, until Ctrl-C or
/// SIGTERM. A plan with errors is reported (by `write`, on stderr) and watched until fixed.
/// With `serve`, the page at `output` is served on that port of 127.0.0.1 as it is rewritten.
pub(crate) fn watch(
    root: &Path,
    ctx: &Context,
    output: &Path,
    serve: Option<u16>,
    write: impl Fn() -> Outcome,
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    if let Err(error) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        return Err(Stop::Trouble(format!("cannot watch for Ctrl-C: {error}")));
    }
    let version = Arc::new(AtomicU64::new(0));
    if let Some(port) = serve {
        let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            Ok(listener) => listener,
            Err(error) => {
                return Err(Stop::Trouble(format!(
                    "cannot serve on 127.0.0.1:{port}: {error}"
                )));
            }
        };
        writeln!(std::io::stderr(), "serving http://127.0.0.1:{port}/")?;
        let (output, version) = (output.to_path_buf(), Arc::clone(&version));
        // The server lives as long as the watch: the process ends with the loop below.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // One request per connection; a client that misbehaves costs only its own.
                let _ = answer(stream, &output, &version);
            }
        });
    }
    loop {
        let files = files_of(root, ctx);
        let before = stamps(&files);
        let written = write();
        version.fetch_add(1, Ordering::SeqCst);
        match written {
            Ok(_) | Err(Stop::Exit(_)) => {}
            // Said, and the watch goes on: the next save may mend it.
            Err(Stop::Trouble(message)) => writeln!(std::io::stderr(), "error: {message}")?,
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

/// The page that shows the report and reloads it when `/version` changes.
const WRAPPER: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tranche report (watching)</title>
<style>html, body, iframe { margin: 0; border: 0; width: 100%; height: 100%; display: block; }</style>
</head><body><iframe id="report" src="/report.html" title="report"></iframe>
<script>
let seen = null;
async function check() {
  try {
    const version = await (await fetch('/version', { cache: 'no-store' })).text();
    if (seen !== null && version !== seen) {
      document.getElementById('report').contentWindow.location.reload();
    }
    seen = version;
  } catch (e) { /* the watch has stopped: keep the page as it is */ }
}
check();
setInterval(check, 500);
</script></body></html>
"#;

/// Reads one request and answers it: `/` the wrapper page, `/report.html` the report as now
/// written, `/version` how many times it has been written; anything else 404.
fn answer(mut stream: TcpStream, output: &Path, version: &AtomicU64) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    // The request line is all that is read; a head longer than 8 KiB is not a browser's.
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8192 {
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(buffer.get(..n).unwrap_or_default());
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, target) = (
        words.next().unwrap_or_default(),
        words.next().unwrap_or_default(),
    );
    let path = target.split('?').next().unwrap_or_default();
    let (status, kind, body): (&str, &str, Vec<u8>) = match (method, path) {
        ("GET", "/") => (
            "200 OK",
            "text/html; charset=utf-8",
            WRAPPER.as_bytes().to_vec(),
        ),
        ("GET", "/report.html") => match std::fs::read(output) {
            Ok(bytes) => ("200 OK", "text/html; charset=utf-8", bytes),
            Err(_) => ("404 Not Found", "text/plain", b"no report yet".to_vec()),
        },
        ("GET", "/version") => (
            "200 OK",
            "text/plain",
            version.load(Ordering::SeqCst).to_string().into_bytes(),
        ),
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}
