//! `tranche report --watch` (issue 21): the page is written again within a second of a save of
//! the plan or a file it includes, and SIGTERM ends the watch cleanly (exit 0, no temporary
//! file left beside the page).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PLAN: &str = "portfolio \"Watched plan\" {\n  start 2021-03-01\n  end 2022-03-31\n}\ninclude \"work.tranche\"\n";
const WORK: &str = "project a \"First title\" {\n  duration 5 days\n}\n";

/// Waits up to `limit` for `page` to exist and contain `text`.
fn appears(page: &Path, text: &str, limit: Duration) -> bool {
    let since = Instant::now();
    while since.elapsed() < limit {
        if std::fs::read_to_string(page).is_ok_and(|html| html.contains(text)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn watch_rewrites_the_report_within_a_second_of_a_save_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("plan.tranche"), PLAN).expect("writable");
    std::fs::write(dir.path().join("work.tranche"), WORK).expect("writable");
    let page = dir.path().join("out.html");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args([
            "report",
            "plan.tranche",
            "--format",
            "html",
            "--watch",
            "-o",
            "out.html",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    // The first report (a debug build on a busy machine may take a while to start).
    assert!(
        appears(&page, "First title", Duration::from_secs(30)),
        "no first report"
    );

    // A save of the included file: the page follows within a second.
    std::fs::write(
        dir.path().join("work.tranche"),
        WORK.replace("First", "Second"),
    )
    .expect("writable");
    assert!(
        appears(&page, "Second title", Duration::from_secs(1)),
        "the page was not rewritten within a second of the save"
    );
    // And of the root file.
    std::fs::write(
        dir.path().join("plan.tranche"),
        PLAN.replace("Watched", "Renamed"),
    )
    .expect("writable");
    assert!(appears(&page, "Renamed plan", Duration::from_secs(1)));

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(terminated.success());
    let status = child.wait().expect("the watch ends");
    assert!(status.success(), "{status}");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tranche-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// One GET to the watch's server: the body, or `None` while it is not answering yet.
fn get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    reply
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
}

#[test]
fn serve_shows_the_report_on_loopback_and_says_when_it_changes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("plan.tranche"), PLAN).expect("writable");
    std::fs::write(dir.path().join("work.tranche"), WORK).expect("writable");
    // A port the system says is free now.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args([
            "report",
            "plan.tranche",
            "--format",
            "html",
            "--watch",
            "-o",
            "out.html",
        ])
        .args(["--serve", &port.to_string()])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let since = Instant::now();
    let mut report = None;
    while since.elapsed() < Duration::from_secs(30) && report.is_none() {
        report = get(port, "/report.html").filter(|page| page.contains("First title"));
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(report.is_some(), "the report is not served");
    let wrapper = get(port, "/").unwrap_or_default();
    assert!(wrapper.contains("fetch('/version'"), "{wrapper}");
    let first = get(port, "/version").unwrap_or_default();

    std::fs::write(
        dir.path().join("work.tranche"),
        WORK.replace("First", "Second"),
    )
    .expect("writable");
    let since = Instant::now();
    let mut changed = false;
    while since.elapsed() < Duration::from_secs(1) && !changed {
        changed = get(port, "/version").is_some_and(|v| v != first)
            && get(port, "/report.html").is_some_and(|page| page.contains("Second title"));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(changed, "the served report did not change within a second");
    assert!(get(port, "/../plan.tranche").is_some_and(|body| body == "not found"));

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(terminated.success());
    assert!(child.wait().expect("the watch ends").success());
}
