//! `tranche lsp` driven as an editor drives it: the real binary over stdio, scripted JSON-RPC
//! sessions on the example portfolio (which includes a file), and the diagnostics of every
//! fixture compared with `check --format json`'s (issue 21).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// A running server and what it has said.
struct Session {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for a response.
    notifications: Vec<Value>,
}

/// How long any one reply may take before the test fails (the debug build, on a busy CI).
const PATIENCE: Duration = Duration::from_secs(60);

impl Session {
    fn start(options: Value) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tranche"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take().expect("stdin piped");
        let stdout = child.stdout.take().expect("stdout piped");
        let (sender, messages) = channel();
        // Frames are read on a thread of their own, so a server that goes quiet fails the test
        // after `PATIENCE` rather than hanging it.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0u8; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        let mut session = Session {
            child,
            stdin,
            messages,
            next_id: 1,
            notifications: Vec::new(),
        };
        let reply = session.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options }),
        );
        assert!(
            reply["result"]["capabilities"]["hoverProvider"].as_bool() == Some(true),
            "{reply}"
        );
        session.notify("initialized", json!({}));
        session
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("server reads");
        self.stdin.flush().expect("server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The last diagnostics published for `uri` so far (a request first, so that everything
    /// published before its reply has been read).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        self.notifications
            .iter()
            .rev()
            .find(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            .and_then(|n| n["params"]["diagnostics"].as_array().cloned())
            .unwrap_or_default()
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "tranche", "version": 1, "text": text } }),
        );
        uri
    }

    /// Closes a document, and waits for the server to drop its plan (a request is answered
    /// after the changes before it are analysed).
    fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
        self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    fn finish(mut self) {
        let reply = self.request("shutdown", Value::Null);
        assert!(reply.get("error").is_none(), "{reply}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "{status}");
    }
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_str().expect("UTF-8 path").bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn example() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("portfolios");
    let main = root
        .join("children-and-families.tranche")
        .canonicalize()
        .expect("the example exists");
    let included = root
        .join("workstreams/collaborative-commissioning.tranche")
        .canonicalize()
        .expect("the included file exists");
    (main, included)
}

/// The LSP position (line, UTF-16 column) of the `nth` occurrence of `needle` in `text`, plus
/// `within` characters.
fn position_of(text: &str, needle: &str, nth: usize, within: usize) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("the needle is in the text");
    let offset = offset
        + needle
            .chars()
            .take(within)
            .map(char::len_utf8)
            .sum::<usize>();
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

fn at(uri: &str, position: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position })
}

#[test]
fn an_editing_session_on_the_example_portfolio() {
    let (main, included) = example();
    let text = std::fs::read_to_string(&main).expect("readable");
    let included_text = std::fs::read_to_string(&included).expect("readable");
    let mut session = Session::start(json!({}));
    let main_uri = session.open(&main, &text);

    // The plan checks clean (warnings aside), and the included file is analysed with it.
    let found = session.diagnostics(&main_uri);
    assert!(
        found.iter().all(|d| d["severity"] != 1),
        "errors in the example: {found:#?}"
    );
    assert!(
        session
            .notifications
            .iter()
            .any(|n| n["params"]["uri"] == uri(&included)),
        "the included file's diagnostics are published too"
    );

    // A typo: the diagnostic is check's E020, with its did-you-mean, at the name.
    let typo_at = position_of(&text, "after practice-hub\n", 0, 6);
    let typo_end = json!({ "line": typo_at["line"], "character": typo_at["character"].as_u64().unwrap_or(0) + 12 });
    session.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main_uri, "version": 2 },
            "contentChanges": [{ "range": { "start": typo_at, "end": typo_end }, "text": "practice-hbu" }]
        }),
    );
    let found = session.diagnostics(&main_uri);
    let typo = found
        .iter()
        .find(|d| d["code"] == "E020")
        .unwrap_or_else(|| panic!("no E020 in {found:#?}"))
        .clone();
    assert_eq!(typo["range"]["start"], typo_at);
    assert_eq!(typo["range"]["end"], typo_end);
    assert!(
        typo["message"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `practice-hub`?"),
        "{typo}"
    );
    assert!(typo["data"]["hint"].is_string(), "{typo}");

    // Its quick fix puts the name right.
    let actions = session.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": main_uri },
            "range": typo["range"],
            "context": { "diagnostics": [typo] }
        }),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["title"], "replace with `practice-hub`", "{actions}");
    assert_eq!(
        fix["edit"]["changes"][&main_uri][0]["newText"],
        "practice-hub"
    );

    // Undo the typo: the error goes.
    session.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main_uri, "version": 3 },
            "contentChanges": [{ "text": text }]
        }),
    );
    let found = session.diagnostics(&main_uri);
    assert!(!found.iter().any(|d| d["code"] == "E020"), "{found:#?}");

    // Hover on a project's declaration: its schedule and its money.
    let hover = session.request(
        "textDocument/hover",
        at(&main_uri, position_of(&text, "project practice-hub", 0, 9)),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    for part in [
        "**project** `practice-hub`",
        "| early |",
        "| late |",
        "total float",
        "free float",
        "| year |",
    ] {
        assert!(shown.contains(part), "{part} not in {shown}");
    }
    // On a duration: its working days.
    let hover = session.request(
        "textDocument/hover",
        at(
            &uri(&included),
            position_of(&included_text, "duration 6 months", 0, 10),
        ),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("**120 working days**"), "{hover}");
    // On a money line: what it puts in which year.
    let hover = session.request(
        "textDocument/hover",
        at(
            &uri(&included),
            position_of(&included_text, "cost capital £120k", 0, 2),
        ),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("| 2020/21 | £120,000.00 |"), "{hover}");

    // Definition across the include: from the included file to the main one.
    let included_uri = session.open(&included, &included_text);
    let definition = session.request(
        "textDocument/definition",
        at(
            &included_uri,
            position_of(&included_text, "after data-warehouse", 0, 8),
        ),
    );
    assert_eq!(definition["result"]["uri"], main_uri, "{definition}");
    assert_eq!(
        definition["result"]["range"]["start"],
        position_of(&text, "project data-warehouse", 0, 8)
    );

    // References and rename across both files.
    let references = session.request(
        "textDocument/references",
        json!({
            "textDocument": { "uri": main_uri },
            "position": position_of(&text, "joint-framework-portal", 0, 1),
            "context": { "includeDeclaration": true }
        }),
    );
    let files: std::collections::BTreeSet<&str> = references["result"]
        .as_array()
        .map(|all| all.iter().filter_map(|l| l["uri"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(files.len(), 2, "{references}");
    let rename = session.request(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": included_uri },
            "position": position_of(&included_text, "project joint-framework-portal", 0, 8),
            "newName": "placement-portal"
        }),
    );
    let changes = &rename["result"]["changes"];
    assert!(
        changes[&main_uri].as_array().is_some_and(|e| !e.is_empty()),
        "{rename}"
    );
    assert!(
        changes[&included_uri]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{rename}"
    );
    assert!(
        changes[&included_uri]
            .as_array()
            .is_some_and(|e| e.iter().all(|edit| edit["newText"] == "placement-portal"))
    );
    // A rename onto an id already taken is refused.
    let clash = session.request(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": included_uri },
            "position": position_of(&included_text, "project joint-framework-portal", 0, 8),
            "newName": "data-warehouse"
        }),
    );
    assert!(
        clash["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("collide"),
        "{clash}"
    );

    // Completion after `after `: the plan's ids.
    let completion = session.request(
        "textDocument/completion",
        at(&main_uri, position_of(&text, "after practice-hub\n", 0, 6)),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .map(|all| all.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    for id in [
        "practice-hub",
        "data-warehouse",
        "joint-framework-portal",
        "start",
    ] {
        assert!(labels.contains(&id), "{id} not in {labels:?}");
    }

    // The example is in `fmt`'s layout already: formatting it changes nothing.
    let formatted = session.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": main_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(formatted["result"], json!([]), "{formatted}");

    // The outline, folding and inlay hints.
    let symbols = session.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": main_uri } }),
    );
    assert!(
        symbols["result"].to_string().contains("\"practice-hub\""),
        "{symbols}"
    );
    let folds = session.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": main_uri } }),
    );
    assert!(
        folds["result"].as_array().is_some_and(|f| f.len() > 10),
        "{folds}"
    );
    let hints = session.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": main_uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 10000, "character": 0 } } }),
    );
    assert!(hints["result"].to_string().contains(" → "), "{hints}");

    // A request the server cannot read is an error reply, not a crash.
    let bad = session.request("textDocument/hover", json!({ "nonsense": true }));
    assert!(bad["error"]["code"] == -32602, "{bad}");
    session.finish();
}

#[test]
fn formatting_and_an_allow_for_a_lint() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir
        .path()
        .canonicalize()
        .expect("canonical")
        .join("plan.tranche");
    let text = "portfolio \"X\" {\n  start 2021-03-01\n  end 2022-03-31\n}\nproject a \"A\" {\n    duration   5 days\n}\nproject b \"B\" {\n  duration 5 days\n  after a - 2 days\n}\n";
    std::fs::write(&path, text).expect("writable");
    let mut session = Session::start(json!({ "inlayHints": false }));
    let uri = session.open(&path, text);
    let formatted = session.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let new_text = formatted["result"][0]["newText"]
        .as_str()
        .unwrap_or_default();
    assert!(new_text.contains("\n  duration 5 days\n"), "{formatted}");
    let expected = tranche_fmt(text);
    assert_eq!(new_text, expected);

    // Inlay hints are off when the client says so.
    let hints = session.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } } }),
    );
    assert_eq!(hints["result"], json!([]));

    // A lint (W103, a lead, in `b`) offers `allow` in its project.
    let found = session.diagnostics(&uri);
    let lint = found
        .iter()
        .find(|d| d["code"].as_str().is_some_and(|c| c.starts_with("W1")))
        .unwrap_or_else(|| panic!("a lint in {found:#?}"))
        .clone();
    let code = lint["code"].as_str().unwrap_or_default().to_string();
    let actions = session.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": lint["range"], "context": { "diagnostics": [lint] } }),
    );
    let allow = actions["result"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("allow")))
        })
        .unwrap_or_else(|| panic!("no allow in {actions}"));
    let edit = &allow["edit"]["changes"][&uri][0];
    assert!(
        edit["newText"]
            .as_str()
            .is_some_and(|t| t.contains(&format!("allow {code} #"))),
        "{allow}"
    );

    // Completion while typing (the text does not parse yet): a project's milestones after
    // `a.`, and after `cost ` the keywords the grammar takes there.
    let typing = text.replace(
        "    duration   5 days\n}",
        "    duration   5 days\n    milestone done \"Done\" at finish\n}",
    ) + "project c {\n  after a.\n  cost \n}\n";
    session.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": typing }] }),
    );
    let labels = |reply: &Value| -> Vec<String> {
        reply["result"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|i| i["label"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let milestones = session.request(
        "textDocument/completion",
        at(&uri, position_of(&typing, "after a.", 0, 8)),
    );
    assert_eq!(labels(&milestones), ["done"], "{milestones}");
    let keywords = session.request(
        "textDocument/completion",
        at(&uri, position_of(&typing, "cost \n", 0, 5)),
    );
    assert_eq!(
        labels(&keywords),
        ["capital", "one-off", "revenue"],
        "{keywords}"
    );
    session.finish();
}

fn tranche_fmt(text: &str) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("plan.tranche");
    std::fs::write(&path, text).expect("writable");
    let status = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(["fmt"])
        .arg(&path)
        .status()
        .expect("fmt runs");
    assert!(status.success());
    std::fs::read_to_string(&path).expect("readable")
}

/// Every fixture: the server's diagnostics (per file, the file and the files it includes) are
/// `check --format json`'s, with lines and character columns turned into LSP's UTF-16 ones.
#[test]
fn lsp_and_check_agree_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    walk(&fixtures, &mut files);
    files.sort();
    let mut session = Session::start(json!({}));
    let (mut compared, mut after_non_ascii) = (0usize, 0usize);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // not text: no editor opens it
        };
        let output = Command::new(env!("CARGO_BIN_EXE_tranche"))
            .args(["check", "--format", "json"])
            .arg(path)
            .output()
            .expect("check runs");
        let from_check: Vec<Value> =
            serde_json::from_slice(&output.stdout).expect("check prints JSON");
        session.notifications.clear();
        let uri_of_root = session.open(path, &text);
        session.diagnostics(&uri_of_root);
        let mut from_lsp: Vec<(String, Value)> = Vec::new();
        for n in &session.notifications {
            if n["method"] == "textDocument/publishDiagnostics" {
                let uri = n["params"]["uri"].as_str().unwrap_or_default().to_string();
                from_lsp.retain(|(u, _)| *u != uri);
                for d in n["params"]["diagnostics"].as_array().into_iter().flatten() {
                    from_lsp.push((uri.clone(), d.clone()));
                }
            }
        }
        assert_eq!(
            from_lsp.len(),
            from_check.len(),
            "{}: {from_lsp:#?}\n{from_check:#?}",
            path.display()
        );
        for (expected, (lsp_uri, got)) in from_check.iter().zip(&from_lsp) {
            let file = expected["file"]
                .as_str()
                .map(PathBuf::from)
                .unwrap_or_else(|| path.clone());
            assert_eq!(*lsp_uri, uri(&file), "{}", path.display());
            assert_eq!(got["code"], expected["code"], "{}", path.display());
            assert_eq!(
                got["data"]["message"],
                expected["message"],
                "{}",
                path.display()
            );
            assert_eq!(got["data"]["hint"], expected["hint"], "{}", path.display());
            assert_eq!(
                got["severity"],
                if expected["severity"] == "error" {
                    1
                } else {
                    2
                }
            );
            if expected["line"].is_null() {
                continue;
            }
            let source = std::fs::read_to_string(&file).expect("readable");
            let start = utf16(&source, &expected["line"], &expected["column"]);
            let end = utf16(&source, &expected["end_line"], &expected["end_column"]);
            assert_eq!(
                got["range"]["start"],
                start,
                "{}: {expected}",
                path.display()
            );
            assert_eq!(got["range"]["end"], end, "{}: {expected}", path.display());
            let line = source
                .lines()
                .nth(start["line"].as_u64().unwrap_or(0) as usize)
                .unwrap_or_default();
            if !line.is_ascii() {
                after_non_ascii += 1;
            }
            compared += 1;
        }
        session.close(&uri_of_root);
    }
    assert!(compared > 100, "only {compared} diagnostics compared");
    // Lines with `£` (and other non-ASCII text) are where byte, character and UTF-16 columns
    // differ: some of the diagnostics compared must be on such lines.
    assert!(after_non_ascii > 0, "no diagnostic on a non-ASCII line");
    session.finish();
}

/// check's 1-based line and character column as LSP's 0-based line and UTF-16 column.
fn utf16(source: &str, line: &Value, column: &Value) -> Value {
    let line = line.as_u64().unwrap_or(1) as usize - 1;
    let column = column.as_u64().unwrap_or(1) as usize - 1;
    let text = source.split('\n').nth(line).unwrap_or_default();
    let units: usize = text.chars().take(column).map(char::len_utf16).sum();
    json!({ "line": line, "character": units })
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "tranche") {
            found.push(path.canonicalize().expect("canonical"));
        }
    }
}

/// Nothing a client sends stops the server but `shutdown` and `exit` (house rule: a malformed
/// request is an error reply, never a crash): positions past the end or inside a character,
/// documents it does not know, edits past the end, unknown methods, and text that is not a plan.
#[test]
fn the_server_survives_what_a_client_can_send() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir
        .path()
        .canonicalize()
        .expect("canonical")
        .join("odd.tranche");
    let text = "project 𝄞 \"£\" {\n  cost capital £\u{0}\n  after \n}\n{{{{ \"\n";
    let mut session = Session::start(json!({ "inlayHints": "not a boolean", "debounceMs": -3 }));
    let uri = session.open(&path, text);
    let unknown = "file:///nowhere/else.tranche";
    let far = json!({ "line": 9999, "character": 9999 });
    // Inside the clef, which is two UTF-16 units.
    let split = json!({ "line": 0, "character": 9 });
    for document in [uri.as_str(), unknown, "untitled:Untitled-1"] {
        for position in [
            far.clone(),
            split.clone(),
            json!({ "line": 2, "character": 8 }),
        ] {
            for method in [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/references",
                "textDocument/completion",
                "textDocument/prepareRename",
            ] {
                let reply = session.request(
                    method,
                    json!({
                        "textDocument": { "uri": document },
                        "position": position,
                        "context": { "includeDeclaration": true }
                    }),
                );
                assert!(
                    reply.get("result").is_some() || reply.get("error").is_some(),
                    "{reply}"
                );
            }
            let rename = session.request(
                "textDocument/rename",
                json!({ "textDocument": { "uri": document }, "position": position, "newName": "Not An Id" }),
            );
            assert!(rename.get("result").is_some() || rename.get("error").is_some());
        }
        for method in [
            "textDocument/documentSymbol",
            "textDocument/formatting",
            "textDocument/foldingRange",
        ] {
            let reply = session.request(
                method,
                json!({ "textDocument": { "uri": document }, "options": { "tabSize": 2, "insertSpaces": true } }),
            );
            assert!(reply.get("result").is_some(), "{reply}");
        }
    }
    // Edits past the end and backwards ranges, then a whole new text.
    session.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [
                { "range": { "start": far, "end": far }, "text": "x" },
                { "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "y" },
                { "range": { "start": split, "end": split }, "text": "z" }
            ]
        }),
    );
    session.notify("textDocument/didChange", json!({ "nonsense": [] }));
    session.notify("no/such/notification", json!(null));
    let unknown_method = session.request("no/such/method", json!({}));
    assert_eq!(unknown_method["error"]["code"], -32601, "{unknown_method}");
    let actions = session.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": far, "end": far },
            "context": { "diagnostics": [{ "range": { "start": far, "end": far }, "message": "did you mean `x`?", "code": "W107" }] }
        }),
    );
    assert!(actions.get("result").is_some(), "{actions}");
    let hints = session.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": { "start": far, "end": { "line": 0, "character": 0 } } }),
    );
    assert!(hints.get("result").is_some(), "{hints}");
    // Still answering, and saying what check says of a plan with a NUL in it.
    let found = session.diagnostics(&uri);
    assert!(found.iter().any(|d| d["code"] == "E002"), "{found:#?}");
    session.finish();
}

/// A session on `text` alone, saved as `plan.tranche` in a folder of its own (kept while the
/// folder handle lives), opened in the editor: the folder, the session and the document's URI.
fn open_alone(text: &str) -> (tempfile::TempDir, Session, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir
        .path()
        .canonicalize()
        .expect("canonical")
        .join("plan.tranche");
    std::fs::write(&path, text).expect("writable");
    let mut session = Session::start(json!({}));
    let uri = session.open(&path, text);
    (dir, session, uri)
}

/// Teams (issue 20) in the editor: completion after `needs `, hover on a team with its sizes and
/// how far it is over-allocated, and a rename of the team everywhere it is named, refused onto
/// another team's id.
#[test]
fn teams_complete_hover_and_rename() {
    let text = "portfolio \"T\" {\n  start 2024-04-01\n  end 2026-03-31\n}\nteam ict \"ICT\" {\n  size 4\n  size 6 from 2025-04-01\n}\nteam analysts \"Analysts\" {\n  size 2\n}\nproject a \"A\" {\n  duration 20 days\n  needs ict 3\n}\nproject b \"B\" {\n  duration 20 days\n  needs ict 2\n  needs \n}\n";
    let (_dir, mut session, uri) = open_alone(text);
    let completion = session.request(
        "textDocument/completion",
        at(&uri, position_of(text, "  needs \n", 0, 8)),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .map(|all| all.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(labels, ["ict", "analysts"], "{completion}");
    // The unfinished `needs` line is a syntax error: finish it, then ask about the team.
    let fixed = text.replace("  needs \n", "");
    session.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let hover = session.request(
        "textDocument/hover",
        at(&uri, position_of(&fixed, "needs ict 3", 0, 7)),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("**team** `ict`: ICT"), "{hover}");
    assert!(shown.contains("4 people from the plan's start"), "{shown}");
    assert!(shown.contains("6 people from 2025-04-01"), "{shown}");
    // `a` (3) and `b` (2) run together on 20 working days: 5 needed of 4.
    assert!(
        shown.contains("most needed on one day: 5 people; working days over: 20"),
        "{shown}"
    );
    let rename = session.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position_of(&fixed, "team ict", 0, 6), "newName": "apps" }),
    );
    let edits = rename["result"]["changes"][&uri]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(edits, 3, "the declaration and two `needs`: {rename}");
    let clash = session.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position_of(&fixed, "team ict", 0, 6), "newName": "analysts" }),
    );
    assert!(
        clash["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("collide"),
        "{clash}"
    );
    session.finish();
}

/// The RAID log in the editor: `affects` completes and renames project ids, a risk's id hovers
/// with its kind and title, goes to its definition and renames.
#[test]
fn raid_entries_complete_hover_and_rename() {
    let text = "portfolio \"R\" {\n  start 2024-04-01\n  end 2026-03-31\n}\nproject case-system \"Case\" {\n  duration 20 days\n}\nproject portal \"Portal\" {\n  duration 20 days\n  after case-system\n}\nrisk supplier-exit \"Supplier leaves\" {\n  owner \"Head of ICT\"\n  probability 20%\n  affects case-system delay 10 days\n}\n";
    let (_dir, mut session, uri) = open_alone(text);
    let hover = session.request(
        "textDocument/hover",
        at(&uri, position_of(text, "risk supplier-exit", 0, 7)),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown.contains("**risk** `supplier-exit`: Supplier leaves"),
        "{hover}"
    );
    // Renaming a project renames it in `affects` too.
    let rename = session.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position_of(text, "project case-system", 0, 10), "newName": "case-management" }),
    );
    let edits = rename["result"]["changes"][&uri]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(edits, 3, "the declaration, `after` and `affects`: {rename}");
    let rename = session.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position_of(text, "risk supplier-exit", 0, 7), "newName": "supplier-gone" }),
    );
    assert!(
        rename["result"]["changes"][&uri]
            .as_array()
            .is_some_and(|e| e.len() == 1),
        "{rename}"
    );
    // While typing a new impact: the projects after `affects `.
    let typing = text.replace(
        "  affects case-system delay 10 days\n",
        "  affects case-system delay 10 days\n  affects \n",
    );
    session.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": typing }] }),
    );
    let completion = session.request(
        "textDocument/completion",
        at(&uri, position_of(&typing, "  affects \n", 0, 10)),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .map(|all| all.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(labels, ["case-system", "portal"], "{completion}");
    session.finish();
}

/// A scenario's `remove`, `keep` and `change` name work: renaming the work renames them, so a
/// rename in the editor never leaves a scenario naming nothing (E082; issue 23).
#[test]
fn renaming_work_renames_it_in_scenarios() {
    let text = "portfolio \"P\" {\n  start 2021-04-01\n  end 2022-03-31\n}\n\
                project portal {\n  duration 1 month\n}\n\
                scenario lean {\n  remove portal\n  change portal {\n    duration 2 months\n  }\n}\n";
    let (_dir, mut session, uri) = open_alone(text);
    let rename = session.request(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": uri },
            "position": position_of(text, "project portal", 0, 8),
            "newName": "family-portal"
        }),
    );
    let edits = rename["result"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let lines: Vec<u64> = edits
        .iter()
        .filter_map(|e| e["range"]["start"]["line"].as_u64())
        .collect();
    // The declaration, `remove portal` and `change portal` (lines counted from 0).
    assert_eq!(lines, [4, 8, 9], "{rename}");
}
