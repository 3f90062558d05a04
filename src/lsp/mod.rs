//! `tranche lsp`: a Language Server Protocol server, on the pipeline every command uses.
//!
//! Input: a [`Connection`] (the protocol's messages, as channels) and a [`FileSystem`] for the
//! files no editor holds open, both handed in by `cli`, which owns the process's stdio: this
//! module reads and writes nothing itself (docs/ARCHITECTURE.md). Output: replies and
//! notifications on the connection.
//!
//! Documents the editor has open are held in memory and laid over the file system
//! ([`Overlay`]), so a plan and the files it includes are analysed as typed, through
//! `source::analyse_files` with the lints on, as `tranche check` runs them: the diagnostics are
//! the same values, with the same codes, spans, messages and hints.
//!
//! A plan is analysed from its root: an open file that an analysed plan includes is analysed as
//! part of that plan (so its diagnostics come with their context), any other open file as a
//! root of its own. Edits are coalesced: after a change the server waits [`Settings::debounce`]
//! for more, applies every change that has arrived, and analyses once, so work for a text
//! already replaced is never started; and an analysis overtaken by an edit that arrived while
//! it ran is dropped unpublished (the messages read to see so are handled next, in order), so
//! an editor never shows diagnostics of a text already replaced. Requests are answered in order, after the analysis of
//! the changes before them, so positions in a request always refer to the text analysed.
//!
//! Invariant: nothing a client sends can stop the server but `shutdown` and `exit`: a request
//! it cannot read, or about a file it does not know, gets an error reply or an empty answer.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{self as lsp, Uri};
use serde_json::Value;

use crate::analysis::Analysis;
use crate::diagnostic::{self, Diagnostic, FileId, SourceMap};
use crate::finance::Detail;
use crate::model::Portfolio;
use crate::source::{self, FileSystem, Includes};

mod convert;
mod features;
mod index;
mod text;

use index::FileIndex;
use text::LineIndex;

/// What the client may configure (`initializationOptions`, or `workspace/didChangeConfiguration`
/// with a `tranche` section).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Show each project's computed start and finish after its declaration.
    pub inlay_hints: bool,
    /// How long to wait after a change for more before analysing.
    pub debounce: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            inlay_hints: true,
            debounce: Duration::from_millis(10),
        }
    }
}

/// Runs the server on `connection` until the client says `exit` (or goes away). `fs` reads the
/// files not open in the editor; `includes` says where `include` may read, as on the command
/// line. `Err` only for a broken connection.
pub fn serve(
    connection: &Connection,
    fs: &dyn FileSystem,
    includes: Includes,
) -> Result<(), lsp_server::ProtocolError> {
    let (id, params) = connection.initialize_start()?;
    let mut settings = Settings::default();
    if let Some(options) = params.get("initializationOptions") {
        settings.apply(options);
    }
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "tranche", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        connection,
        fs,
        includes,
        settings,
        open: BTreeMap::new(),
        plans: BTreeMap::new(),
        dirty: false,
        held: VecDeque::new(),
    };
    server.run()
}

impl Settings {
    /// Reads `{ "inlayHints": bool, "debounceMs": n }`, ignoring what it does not know.
    fn apply(&mut self, options: &Value) {
        let options = options.get("tranche").unwrap_or(options);
        if let Some(on) = options.get("inlayHints").and_then(Value::as_bool) {
            self.inlay_hints = on;
        }
        if let Some(ms) = options.get("debounceMs").and_then(Value::as_u64) {
            self.debounce = Duration::from_millis(ms.min(2_000));
        }
    }
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![" ".to_string(), ".".to_string()]),
            ..Default::default()
        }),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    }
}

/// A document the editor holds open.
#[derive(Debug)]
struct Document {
    text: String,
}

/// One plan analysed from its root file, with what the editor asks about it.
#[derive(Debug)]
pub(crate) struct Plan {
    pub root: PathBuf,
    pub sources: SourceMap,
    /// The path of each file of the plan, by `FileId`.
    pub paths: Vec<PathBuf>,
    pub portfolio: Option<Portfolio>,
    pub analysis: Option<Analysis>,
    pub diagnostics: Vec<Diagnostic>,
    /// Line starts of each file, by `FileId`.
    pub lines: Vec<LineIndex>,
    /// Names of each file, built when first asked for.
    indexes: Vec<std::cell::OnceCell<FileIndex>>,
}

impl Plan {
    pub(crate) fn file_of(&self, path: &Path) -> Option<FileId> {
        self.paths
            .iter()
            .position(|p| p == path)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }

    pub(crate) fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }

    pub(crate) fn index(&self, file: FileId) -> &FileIndex {
        let cell = &self.indexes[file.0 as usize];
        cell.get_or_init(|| FileIndex::build(file, self.text(file)))
    }

    pub(crate) fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.paths.len()).filter_map(|i| u32::try_from(i).ok().map(FileId))
    }

    pub(crate) fn uri(&self, file: FileId) -> Option<Uri> {
        text::path_to_uri(self.paths.get(file.0 as usize)?)
    }

    pub(crate) fn range(&self, span: diagnostic::Span) -> lsp::Range {
        self.lines[span.file.0 as usize].range(self.text(span.file), span)
    }

    pub(crate) fn location(&self, span: diagnostic::Span) -> Option<lsp::Location> {
        Some(lsp::Location::new(self.uri(span.file)?, self.range(span)))
    }
}

/// The open documents laid over the file system: an open document is read from the editor,
/// every other file from `base`.
struct Overlay<'a> {
    base: &'a dyn FileSystem,
    open: &'a BTreeMap<PathBuf, Document>,
}

impl FileSystem for Overlay<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.open.get(path) {
            Some(document) => Ok(document.text.as_bytes().to_vec()),
            None => self.base.read(path),
        }
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        // A document not yet saved has no file to canonicalise: it is its own canonical path.
        match self.base.canonicalize(path) {
            Ok(canonical) => Ok(canonical),
            Err(_) if self.open.contains_key(path) => Ok(path.to_path_buf()),
            Err(error) => Err(error),
        }
    }

    fn read_regular(&self, path: &Path, inside: Option<&Path>) -> std::io::Result<Vec<u8>> {
        match self.open.get(path) {
            Some(document) => Ok(document.text.as_bytes().to_vec()),
            None => self.base.read_regular(path, inside),
        }
    }
}

struct Server<'c> {
    connection: &'c Connection,
    fs: &'c dyn FileSystem,
    includes: Includes,
    settings: Settings,
    /// Open documents, by canonical path.
    open: BTreeMap<PathBuf, Document>,
    /// Analysed plans, by root path.
    plans: BTreeMap<PathBuf, Plan>,
    /// Documents changed since the last analysis.
    dirty: bool,
    /// Messages read (to see whether an edit overtook an analysis) and not yet handled.
    held: VecDeque<Message>,
}

/// Why the loop ends.
enum Flow {
    Continue,
    Exit,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), lsp_server::ProtocolError> {
        loop {
            let message = if let Some(message) = self.held.pop_front() {
                message
            } else if self.dirty {
                // Coalesce: wait a little for more changes before analysing.
                match self
                    .connection
                    .receiver
                    .recv_timeout(self.settings.debounce)
                {
                    Ok(message) => message,
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        self.analyse_all();
                        continue;
                    }
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            } else {
                match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                }
            };
            let flow = match message {
                Message::Notification(notification) => self.notification(notification),
                Message::Request(request) => {
                    // A request sees the text it was written against: the changes before it
                    // are analysed first.
                    if self.dirty {
                        self.analyse_all();
                    }
                    self.request(request)?
                }
                Message::Response(_) => Flow::Continue,
            };
            if let Flow::Exit = flow {
                return Ok(());
            }
        }
    }

    fn send(&self, message: Message) {
        // A closed channel means the client is gone; the loop ends at its next receive.
        let _ = self.connection.sender.send(message);
    }

    fn notification(&mut self, notification: Notification) -> Flow {
        match notification.method.as_str() {
            notif::Exit::METHOD => return Flow::Exit,
            notif::DidOpenTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidOpenTextDocumentParams>(notification.params)
                {
                    let document = params.text_document;
                    if let Some(path) = self.path_of(&document.uri) {
                        self.open.insert(
                            path,
                            Document {
                                text: document.text,
                            },
                        );
                        self.dirty = true;
                    }
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidChangeTextDocumentParams>(notification.params)
                    && let Some(path) = self.path_of(&params.text_document.uri)
                    && let Some(document) = self.open.get_mut(&path)
                {
                    for change in params.content_changes {
                        apply_change(&mut document.text, change);
                    }
                    self.dirty = true;
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<lsp::DidCloseTextDocumentParams>(notification.params)
                    && let Some(path) = self.path_of(&params.text_document.uri)
                {
                    self.open.remove(&path);
                    self.dirty = true;
                }
            }
            // Saved text is the text already held; an included file saved by another program
            // is read again at the next analysis.
            notif::DidSaveTextDocument::METHOD => self.dirty = true,
            notif::DidChangeConfiguration::METHOD => {
                if let Some(settings) = notification.params.get("settings") {
                    self.settings.apply(settings);
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    /// The canonical path of a document, as the loader will name it.
    fn path_of(&self, uri: &Uri) -> Option<PathBuf> {
        let path = text::uri_to_path(uri)?;
        Some(self.fs.canonicalize(&path).unwrap_or(path))
    }

    /// Analyses every plan an open document belongs to, and publishes what changed.
    fn analyse_all(&mut self) {
        self.dirty = false;
        let old: BTreeMap<PathBuf, Plan> = std::mem::take(&mut self.plans);
        // Roots: the plans analysed before that still have an open file, then every open
        // document no plan includes, as a root of its own.
        let mut queue: Vec<PathBuf> = old
            .values()
            .filter(|plan| plan.paths.iter().any(|p| self.open.contains_key(p)))
            .map(|plan| plan.root.clone())
            .collect();
        let mut covered: BTreeSet<PathBuf> = BTreeSet::new();
        let mut plans = BTreeMap::new();
        queue.extend(self.open.keys().cloned());
        for root in queue {
            if covered.contains(&root) || plans.contains_key(&root) {
                continue;
            }
            let plan = self.analyse(&root);
            covered.extend(plan.paths.iter().skip(1).cloned());
            plans.insert(root, plan);
        }
        // A root that a later plan turned out to include is analysed within that plan.
        plans.retain(|root, _| !covered.contains(root));
        // An edit that arrived while this ran makes it stale: nothing is published, the plans
        // last published stay, and the loop applies the edit and analyses again.
        if self.overtaken() {
            self.plans = old;
            return;
        }
        // Files that had diagnostics and are in no plan now are cleared.
        let now: BTreeSet<&PathBuf> = plans.values().flat_map(|p| p.paths.iter()).collect();
        for plan in old.values() {
            for path in plan.paths.iter().filter(|p| !now.contains(p)) {
                if let Some(uri) = text::path_to_uri(path) {
                    self.publish(uri, Vec::new());
                }
            }
        }
        for plan in plans.values() {
            for file in plan.files() {
                if let Some(uri) = plan.uri(file) {
                    self.publish(uri, convert::diagnostics_of(plan, file));
                }
            }
        }
        self.plans = plans;
    }

    /// Whether an edit to an open document has arrived since the analysis began. Every
    /// message waiting is read into `held`, in order, to be handled next.
    fn overtaken(&mut self) -> bool {
        while let Ok(message) = self.connection.receiver.try_recv() {
            self.held.push_back(message);
        }
        self.held.iter().any(|message| {
            matches!(message, Message::Notification(n) if matches!(
                n.method.as_str(),
                notif::DidChangeTextDocument::METHOD
                    | notif::DidOpenTextDocument::METHOD
                    | notif::DidCloseTextDocument::METHOD
            ))
        })
    }

    fn analyse(&self, root: &Path) -> Plan {
        let overlay = Overlay {
            base: self.fs,
            open: &self.open,
        };
        let mut sources = SourceMap::new();
        let options = source::Options {
            includes: self.includes,
            // Hover shows each project's money by year: the years are kept, the months not.
            detail: Detail::ProjectYearsOnly,
            lints: true,
            level: crate::analysis::Level::Off,
        };
        let analysed = source::analyse_files(&overlay, root, &mut sources, options);
        // A root that cannot be read (or is not text) adds no file: it is shown, empty, so
        // that its one unplaced diagnostic has a document to be published on.
        if sources.files().next().is_none() {
            sources.add(root.display().to_string(), String::new());
        }
        let mut diagnostics = analysed.diagnostics;
        diagnostic::sort(&mut diagnostics);
        let paths: Vec<PathBuf> = sources
            .files()
            .map(|(_, file)| PathBuf::from(&file.name))
            .collect();
        let lines = sources
            .files()
            .map(|(_, file)| LineIndex::new(&file.text))
            .collect();
        let indexes = paths.iter().map(|_| std::cell::OnceCell::new()).collect();
        Plan {
            root: root.to_path_buf(),
            sources,
            paths,
            portfolio: analysed.portfolio,
            analysis: analysed.analysis,
            diagnostics,
            lines,
            indexes,
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp::Diagnostic>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.send(Message::Notification(Notification::new(
            notif::PublishDiagnostics::METHOD.to_string(),
            params,
        )));
    }

    /// The plan holding the document at `uri`, and the document's file in it.
    fn plan_of(&self, uri: &Uri) -> Option<(&Plan, FileId)> {
        let path = self.path_of(uri)?;
        self.plans
            .values()
            .find_map(|plan| plan.file_of(&path).map(|file| (plan, file)))
    }

    fn request(&mut self, request: Request) -> Result<Flow, lsp_server::ProtocolError> {
        if self.connection.handle_shutdown(&request)? {
            return Ok(Flow::Exit);
        }
        let id = request.id.clone();
        let response = match self.answer(request) {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
        Ok(Flow::Continue)
    }

    /// The result of a request, or the error to reply with.
    fn answer(&self, request: Request) -> Result<Value, (ErrorCode, String)> {
        let Request { method, params, .. } = request;
        let method = method.as_str();
        match method {
            req::HoverRequest::METHOD => {
                let p: lsp::HoverParams = parse(params)?;
                let at = p.text_document_position_params;
                to_value(self.at(&at, |plan, file, offset| {
                    features::hover(plan, file, offset)
                }))
            }
            req::GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = parse(params)?;
                let at = p.text_document_position_params;
                to_value(self.at(&at, features::definition))
            }
            req::References::METHOD => {
                let p: lsp::ReferenceParams = parse(params)?;
                let declaration = p.context.include_declaration;
                to_value(self.at(&p.text_document_position, |plan, file, offset| {
                    features::references(plan, file, offset, declaration)
                }))
            }
            req::PrepareRenameRequest::METHOD => {
                let p: lsp::TextDocumentPositionParams = parse(params)?;
                to_value(self.at(&p, features::prepare_rename))
            }
            req::Rename::METHOD => {
                let p: lsp::RenameParams = parse(params)?;
                let new_name = p.new_name;
                match self.at(&p.text_document_position, |plan, file, offset| {
                    Some(features::rename(plan, file, offset, &new_name))
                }) {
                    Some(Err(message)) => Err((ErrorCode::RequestFailed, message)),
                    Some(Ok(edit)) => to_value(Some(edit)),
                    None => to_value(None::<lsp::WorkspaceEdit>),
                }
            }
            req::Completion::METHOD => {
                let p: lsp::CompletionParams = parse(params)?;
                to_value(self.at(&p.text_document_position, features::completion))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = parse(params)?;
                to_value(self.in_document(&p.text_document.uri, features::symbols))
            }
            req::Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = parse(params)?;
                to_value(
                    self.in_document(&p.text_document.uri, features::format)
                        .flatten(),
                )
            }
            req::FoldingRangeRequest::METHOD => {
                let p: lsp::FoldingRangeParams = parse(params)?;
                to_value(self.in_document(&p.text_document.uri, features::folding))
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = parse(params)?;
                let uri = &p.text_document.uri;
                to_value(self.in_document(uri, |plan, file| features::code_actions(plan, file, &p)))
            }
            req::InlayHintRequest::METHOD => {
                let p: lsp::InlayHintParams = parse(params)?;
                if !self.settings.inlay_hints {
                    return to_value(Vec::<lsp::InlayHint>::new());
                }
                let uri = &p.text_document.uri;
                to_value(
                    self.in_document(uri, |plan, file| features::inlay_hints(plan, file, p.range)),
                )
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("tranche lsp does not answer `{method}`"),
            )),
        }
    }

    /// Runs `f` on the plan and file of a document; `None` for a document no plan holds.
    fn in_document<T>(&self, uri: &Uri, f: impl FnOnce(&Plan, FileId) -> T) -> Option<T> {
        self.plan_of(uri).map(|(plan, file)| f(plan, file))
    }

    /// Runs `f` on the plan, file and byte offset a position names; `None` for a document no
    /// plan holds.
    fn at<T>(
        &self,
        at: &lsp::TextDocumentPositionParams,
        f: impl FnOnce(&Plan, FileId, usize) -> Option<T>,
    ) -> Option<T> {
        let (plan, file) = self.plan_of(&at.text_document.uri)?;
        let offset = plan.lines[file.0 as usize].offset(plan.text(file), at.position);
        f(plan, file, offset)
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|error| {
        (
            ErrorCode::InvalidParams,
            format!("invalid parameters: {error}"),
        )
    })
}

fn to_value<T: serde::Serialize>(value: T) -> Result<Value, (ErrorCode, String)> {
    serde_json::to_value(value).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}

/// Applies one change: a range replaced, or (no range) the whole text.
fn apply_change(text: &mut String, change: lsp::TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = LineIndex::new(text);
            let start = lines.offset(text, range.start);
            let end = lines.offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryFs;

    fn notification(method: &str, params: Value) -> Message {
        Message::Notification(Notification::new(method.to_string(), params))
    }

    /// An analysis overtaken by an edit publishes nothing: the edit waiting in the channel is
    /// seen when the analysis ends, and the next analysis is of the new text.
    #[test]
    fn an_analysis_overtaken_by_an_edit_is_dropped() {
        let (server_side, client_side) = Connection::memory();
        let fs = MemoryFs::new();
        let mut server = Server {
            connection: &server_side,
            fs: &fs,
            includes: Includes::Anywhere,
            settings: Settings::default(),
            open: BTreeMap::new(),
            plans: BTreeMap::new(),
            dirty: false,
            held: VecDeque::new(),
        };
        let uri = "file:///plan.tranche";
        let plan = |after: &str| {
            format!(
                "portfolio \"P\" {{\n  start 2024-04-01\n  end 2025-03-31\n}}\nproject a {{\n  duration 5 days\n  after {after}\n}}\n"
            )
        };
        server.notification(Notification::new(
            notif::DidOpenTextDocument::METHOD.to_string(),
            serde_json::json!({ "textDocument": { "uri": uri, "languageId": "tranche", "version": 1, "text": plan("old-typo") } }),
        ));
        // The edit arrives while the first analysis would run.
        let edit = notification(
            notif::DidChangeTextDocument::METHOD,
            serde_json::json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": plan("new-typo") }] }),
        );
        let sent = client_side.sender.send(edit);
        assert!(sent.is_ok());
        server.analyse_all();
        assert!(
            client_side.receiver.try_recv().is_err(),
            "the stale analysis published something"
        );
        assert_eq!(server.held.len(), 1, "the edit is held, to be handled next");
        // Handled in order, the edit is applied and the next analysis publishes the new text's.
        if let Some(Message::Notification(n)) = server.held.pop_front() {
            server.notification(n);
        }
        server.analyse_all();
        let published = client_side.receiver.try_recv();
        let Ok(Message::Notification(n)) = published else {
            panic!("diagnostics of the new text: {published:?}");
        };
        let text = n.params.to_string();
        assert!(
            text.contains("new-typo") && !text.contains("old-typo"),
            "{text}"
        );
    }
}
