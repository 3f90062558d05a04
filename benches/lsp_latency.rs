//! Latency of `tranche lsp` on a plan of 10,000 projects (issue 21): the real binary driven over
//! stdio as an editor drives it. After an edit (a one-character change to a duration, as a
//! keystroke makes), how long until the server publishes the file's diagnostics; and how long a
//! hover on a project's id takes to answer. Targets: 100 ms and 20 ms.
//!
//! Run with `cargo bench --bench lsp_latency` (`-- N` for another number of projects); it
//! prints the median, 95th percentile and worst of each. Not a timed test: the figures, and
//! the machine they were taken on, are in docs/benchmarks.md.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/plangen.rs"]
#[allow(dead_code)]
mod plangen;

const EDITS: usize = 30;
const HOVERS: usize = 200;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = plangen::generate(n, 9, plangen::Shape::Portfolio).0;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir
        .path()
        .canonicalize()
        .expect("canonical")
        .join("plan.tranche");
    std::fs::write(&path, &text).expect("writable");
    let uri = format!("file://{}", path.display());

    let mut child = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().expect("piped");
    let messages = reader(child.stdout.take().expect("piped"));
    let mut next_id = 0i64;
    request(
        &mut stdin,
        &messages,
        &mut next_id,
        "initialize",
        json!({ "capabilities": {} }),
    );
    notify(&mut stdin, "initialized", json!({}));

    let opened = Instant::now();
    notify(
        &mut stdin,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "tranche", "version": 1, "text": text } }),
    );
    wait_for_diagnostics(&messages, &uri);
    let open_time = opened.elapsed();

    // Each edit turns one digit of a `duration N days` line into another, and back.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("duration "))
        .collect();
    let mut edit_times = Vec::new();
    for k in 0..EDITS {
        let (line, content) = lines[(k * 7919) % lines.len()];
        let column = content
            .find(|c: char| c.is_ascii_digit())
            .expect("a number");
        let digit = if k % 2 == 0 { "9" } else { "1" };
        let range = json!({
            "start": { "line": line, "character": column },
            "end": { "line": line, "character": column + 1 }
        });
        let sent = Instant::now();
        notify(
            &mut stdin,
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": 2 + k },
                "contentChanges": [{ "range": range, "text": digit }]
            }),
        );
        wait_for_diagnostics(&messages, &uri);
        edit_times.push(sent.elapsed());
    }

    // Hovers on project ids across the file, the first after the last edit included.
    let declarations: Vec<(usize, usize)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| l.find("project ").map(|c| (i, c + 9)))
        .collect();
    let mut hover_times = Vec::new();
    for k in 0..HOVERS {
        let (line, character) = declarations[(k * 104_729) % declarations.len()];
        let sent = Instant::now();
        let reply = request(
            &mut stdin,
            &messages,
            &mut next_id,
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        hover_times.push(sent.elapsed());
        assert!(
            reply["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("total float")),
            "{reply}"
        );
    }
    request(&mut stdin, &messages, &mut next_id, "shutdown", Value::Null);
    notify(&mut stdin, "exit", Value::Null);
    drop(stdin);
    let _ = child.wait();

    println!("tranche lsp, {n} projects ({} KiB)", text.len() / 1024);
    println!("  open to first diagnostics: {:.1} ms", ms(open_time));
    summary("edit to diagnostics", &mut edit_times);
    summary("hover", &mut hover_times);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(what: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {what}: median {:.1} ms, p95 {:.1} ms, worst {:.1} ms ({} runs)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        times.len()
    );
}

fn reader(stdout: impl Read + Send + 'static) -> Receiver<Value> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0usize;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some(n) = header.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(value) = serde_json::from_slice(&body) else {
                return;
            };
            if sender.send(value).is_err() {
                return;
            }
        }
    });
    receiver
}

fn send(stdin: &mut ChildStdin, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("the server reads");
    stdin.flush().expect("the server reads");
}

fn notify(stdin: &mut ChildStdin, method: &str, params: Value) {
    send(
        stdin,
        &json!({ "jsonrpc": "2.0", "method": method, "params": params }),
    );
}

fn request(
    stdin: &mut ChildStdin,
    messages: &Receiver<Value>,
    next_id: &mut i64,
    method: &str,
    params: Value,
) -> Value {
    *next_id += 1;
    let id = *next_id;
    send(
        stdin,
        &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
    );
    loop {
        let message = next(messages);
        if message["id"] == json!(id) {
            return message;
        }
    }
}

fn next(messages: &Receiver<Value>) -> Value {
    messages
        .recv_timeout(Duration::from_secs(60))
        .expect("the server answers within a minute")
}

fn wait_for_diagnostics(messages: &Receiver<Value>, uri: &str) {
    loop {
        let message = next(messages);
        if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
        {
            return;
        }
    }
}
