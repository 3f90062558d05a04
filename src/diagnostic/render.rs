//! The one renderer of diagnostics. Three forms of the same values:
//! - human: rustc-style text with file:line:column, the source lines and an underline
//!   (annotate-snippets), then a one-line summary written by `cli`;
//! - JSON: an array of objects whose schema is ours (docs/diagnostics.md), for tools;
//! - GitHub: workflow commands (`::error file=…,line=…::message`) that GitHub Actions turns
//!   into annotations on the pull request.
//!
//! Diagnostics are rendered in the order given; callers sort them (`diagnostic::sort`) first.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet, renderer::DecorStyle};
use serde::Serialize;

use super::{Diagnostic, FileId, Severity, SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people. `color` adds ANSI styles (the caller decides from the terminal and NO_COLOR).
    Human {
        color: bool,
    },
    Json,
    Github,
}

/// Renders every diagnostic in `format`. Human output ends each diagnostic with a blank line;
/// JSON is one array (an empty array when there is nothing to say).
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, format: Format) -> String {
    match format {
        Format::Human { color } => render_human(diagnostics, sources, color),
        Format::Json => render_json(diagnostics, sources),
        Format::Github => render_github(diagnostics, sources),
    }
}

fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for diagnostic in diagnostics.iter().take(MAX_SHOWN) {
        let mut headers = Vec::new();
        let text = renderer.render(&[report_group(diagnostic, sources, &mut headers)]);
        // A cut line's snippet counts columns from the cut: put the real ones in its header.
        let text = headers
            .iter()
            .fold(text, |text, (from, to)| text.replacen(from, to, 1));
        out.push_str(&text);
        out.push_str("\n\n");
    }
    if let Some(rest) = diagnostics.len().checked_sub(MAX_SHOWN).filter(|&n| n > 0) {
        out.push_str(&format!(
            "note: {} not shown; `--format json` lists every one\n\n",
            super::count::count(rest, "more diagnostic is", "more diagnostics are")
        ));
    }
    out
}

/// The most diagnostics shown to a person: past this many the first ones are what to fix, and
/// a plan with a hundred thousand errors would print hundreds of megabytes.
const MAX_SHOWN: usize = 500;

/// Source text cut to the lines a set of spans touch, so a diagnostic in a 50 MB file costs
/// only its own lines; and a line longer than [`LONG_LINE`] cut to the part around the spans,
/// marked with `...`, so a diagnostic on a line of a million characters costs what one on a
/// short line does (issue 25: a thousand errors on one long line took 19 s).
struct Excerpt<'a> {
    text: std::borrow::Cow<'a, str>,
    first_line: usize,
    /// Where `text` starts in the file (before the `...` of a cut line, if any).
    offset: usize,
    /// Whether `text` is a cut of a long line: the snippet's own column would then count from
    /// the cut, so the header states the real one.
    cut: bool,
}

/// A line longer than this (bytes) is shown cut to the spans and [`CONTEXT`] either side.
const LONG_LINE: usize = 512;
/// Bytes of a long line kept either side of the spans, and the most of a long span kept.
const CONTEXT: usize = 80;

fn excerpt<'a>(sources: &'a SourceMap, file: FileId, spans: &[Span]) -> Excerpt<'a> {
    let text = &sources.get(file).text;
    // The one span covering them all (every span here is in `file`).
    let covered = spans
        .iter()
        .copied()
        .reduce(Span::to)
        .map_or(0..0, Span::range);
    let start = covered.start.min(text.len());
    let end = covered.end.min(text.len());
    let line_begin = text[..floor_char(text, start)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = floor_char(text, end.max(start));
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let (first_line, _) = sources.line_col(file, line_begin as u32);
    let whole = &text[line_begin..line_end];
    if whole.len() <= LONG_LINE || whole.contains('\n') {
        return Excerpt {
            text: without_carriage_returns(whole),
            first_line,
            offset: line_begin,
            cut: false,
        };
    }
    // One long line: the spans with some context either side, a long span's start only.
    let from = floor_char(text, start.saturating_sub(CONTEXT).max(line_begin));
    let to = floor_char(text, (end.min(start + CONTEXT) + CONTEXT).min(line_end));
    let mut cut = String::with_capacity(to - from + 6);
    if from > line_begin {
        cut.push_str("...");
    }
    cut.push_str(&text[from..to]);
    if to < line_end {
        cut.push_str("...");
    }
    Excerpt {
        text: without_carriage_returns(&cut).into_owned().into(),
        first_line,
        // The `...` stands before `from`.
        offset: if from > line_begin { from - 3 } else { from },
        cut: true,
    }
}

/// The lines of a file with CRLF (or lone CR) line ends without their CRs: the snippet would
/// show each as `␍` at the end of the quoted line. The last line's is cut off (a span on it is
/// clamped to the line's end); one inside a quote of several lines becomes a space, which keeps
/// every byte offset after it, so the spans still point where they did.
fn without_carriage_returns(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.contains('\r') {
        text.replace('\r', " ").into()
    } else {
        text.into()
    }
}

fn floor_char(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn local_range(excerpt: &Excerpt<'_>, span: Span) -> std::ops::Range<usize> {
    let start = (span.start as usize)
        .saturating_sub(excerpt.offset)
        .min(excerpt.text.len());
    let end = (span.end as usize)
        .saturating_sub(excerpt.offset)
        .min(excerpt.text.len());
    start..end.max(start)
}

/// How far apart (in bytes) a note and the primary span may be on one line and still be drawn
/// on one snippet. Further apart, the snippet would print the whole line between them, and a
/// long generated line with thousands of diagnostics would print gigabytes.
const NEAR_ON_A_LINE: usize = 120;

/// Whether the note at `note` is drawn on the primary span's snippet: in the same file, and on
/// another line or near on the same one.
fn drawn_beside(sources: &SourceMap, primary: Span, note: Span) -> bool {
    if note.file != primary.file {
        return false;
    }
    let text = &sources.get(primary.file).text;
    let (first, last) = if note.start < primary.start {
        (note, primary)
    } else {
        (primary, note)
    };
    let from = floor_char(text, first.end as usize);
    let to = floor_char(text, (last.start as usize).max(from));
    let between = &text[from..to];
    between.contains('\n') || between.len() <= NEAR_ON_A_LINE
}

/// The header (`file:line:column`) a snippet of a cut line shows, and the one it should: its
/// column counts from the cut.
fn header_fix(sources: &SourceMap, part: &Excerpt<'_>, span: Span) -> (String, String) {
    let file = sources.get(span.file).name.as_str();
    let (line, column) = sources.line_col(span.file, span.start);
    let local = local_range(part, span).start;
    let shown = part
        .text
        .get(..local)
        .map_or(local, |before| before.chars().count());
    (
        format!("{file}:{line}:{}", shown + 1),
        format!("{file}:{line}:{column}"),
    )
}

fn report_group<'a>(
    diagnostic: &'a Diagnostic,
    sources: &'a SourceMap,
    headers: &mut Vec<(String, String)>,
) -> Group<'a> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(
        level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code.as_str()),
    );
    if let Some(span) = diagnostic.span {
        // Notes in the same file are drawn on the same snippet; others get their own.
        let beside = |s: &Span| drawn_beside(sources, span, *s);
        let same_file: Vec<Span> = std::iter::once(span)
            .chain(
                diagnostic
                    .notes
                    .iter()
                    .filter_map(|n| n.span)
                    .filter(|s| beside(s)),
            )
            .collect();
        let part = excerpt(sources, span.file, &same_file);
        if part.cut {
            headers.push(header_fix(sources, &part, span));
        }
        let mut snippet = Snippet::source(part.text.clone())
            .line_start(part.first_line)
            .path(sources.get(span.file).name.as_str())
            .annotation(AnnotationKind::Primary.span(local_range(&part, span)));
        for note in &diagnostic.notes {
            if let Some(s) = note.span.filter(|s| beside(s)) {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(local_range(&part, s))
                        .label(note.message.as_str()),
                );
            }
        }
        group = group.element(snippet);
        for note in &diagnostic.notes {
            if let Some(s) = note.span.filter(|s| !beside(s)) {
                let part = excerpt(sources, s.file, &[s]);
                if part.cut {
                    headers.push(header_fix(sources, &part, s));
                }
                let range = local_range(&part, s);
                group = group.element(
                    Snippet::source(part.text.clone())
                        .line_start(part.first_line)
                        .path(sources.get(s.file).name.as_str())
                        .annotation(
                            AnnotationKind::Context
                                .span(range)
                                .label(note.message.as_str()),
                        ),
                );
            }
        }
    }
    for note in &diagnostic.notes {
        // Located notes are labels on the snippet; when the diagnostic itself has no place,
        // they are still shown as text.
        if note.span.is_none() || diagnostic.span.is_none() {
            group = group.element(Level::NOTE.message(note.message.as_str()));
        }
    }
    if let Some(hint) = &diagnostic.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    group
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    hint: Option<&'a str>,
    notes: Vec<JsonNote<'a>>,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
}

struct Located<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn locate<'a>(sources: &'a SourceMap, span: Span) -> Located<'a> {
    let (line, column) = sources.line_col(span.file, span.start);
    let (end_line, end_column) = sources.line_col(span.file, span.end);
    Located {
        file: sources.get(span.file).name.as_str(),
        line,
        column,
        end_line,
        end_column,
    }
}

fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let values: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| {
            let at = d.span.map(|s| locate(sources, s));
            JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity,
                message: &d.message,
                file: at.as_ref().map(|a| a.file),
                line: at.as_ref().map(|a| a.line),
                column: at.as_ref().map(|a| a.column),
                end_line: at.as_ref().map(|a| a.end_line),
                end_column: at.as_ref().map(|a| a.end_column),
                hint: d.hint.as_deref(),
                notes: d
                    .notes
                    .iter()
                    .map(|n| {
                        let at = n.span.map(|s| locate(sources, s));
                        JsonNote {
                            message: &n.message,
                            file: at.as_ref().map(|a| a.file),
                            line: at.as_ref().map(|a| a.line),
                            column: at.as_ref().map(|a| a.column),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    // Serialising plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&values).expect("diagnostics serialise to JSON");
    out.push('\n');
    out
}

/// Escapes data for a GitHub workflow command (the message part).
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a GitHub workflow command (`file=`, `title=`).
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn render_github(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = d.severity.as_str();
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        let mut properties = Vec::new();
        if let Some(span) = d.span {
            let at = locate(sources, span);
            properties.push(format!("file={}", github_property(at.file)));
            properties.push(format!("line={}", at.line));
            properties.push(format!("col={}", at.column));
            properties.push(format!("endLine={}", at.end_line));
            properties.push(format!("endColumn={}", at.end_column));
        }
        properties.push(format!("title={}", github_property(d.code.as_str())));
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            github_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    /// Issue 25: a thousand errors on one line of a million characters. Each is shown with the
    /// part of the line around it (so the output, and the time, are proportional to the number
    /// of errors, not to errors x line length), under its real column, and past `MAX_SHOWN`
    /// the rest are counted, not shown.
    #[test]
    fn errors_on_a_very_long_line_show_only_their_part_of_it() {
        let mut sources = SourceMap::new();
        let text = format!("{}{}", " ".repeat(1_000_000), "}".repeat(1_000));
        let file = sources.add("long.tranche", text);
        let diagnostics: Vec<Diagnostic> = (0..1_000)
            .map(|i| {
                let at = 1_000_000 + i;
                Diagnostic::new(Code::E001SyntaxError, Span::new(file, at, at + 1), "stray")
            })
            .collect();
        let out = render(&diagnostics, &sources, Format::Human { color: false });
        assert!(out.len() < 500 * 1_000, "{} bytes", out.len());
        assert!(
            out.contains("--> long.tranche:1:1000001\n"),
            "{}",
            &out[..600]
        );
        assert!(out.contains("--> long.tranche:1:1000500\n"));
        assert!(!out.contains("long.tranche:1:1000501\n"));
        assert!(
            out.contains("| ...    "),
            "the cut is marked: {}",
            &out[..600]
        );
        assert!(out.ends_with(
            "note: 500 more diagnostics are not shown; `--format json` lists every one\n\n"
        ));
        // JSON lists every one, at its real column.
        let json = render(&diagnostics, &sources, Format::Json);
        assert_eq!(json.matches("\"code\": \"E001\"").count(), 1_000);
        assert!(json.contains("\"column\": 1001000"));
    }

    /// A plan saved with Windows line ends: the quoted lines read as in any other file, with
    /// no `␍` at their ends, and the carets stay under what they point at.
    #[test]
    fn crlf_line_ends_are_not_shown() {
        let mut sources = SourceMap::new();
        let text = "project a {\r\n  duration 3 parsecs\r\n  after b,\r\n    c\r\n}\r\n";
        let file = sources.add("crlf.tranche", text.to_string());
        let at = |word: &str| {
            text.find(word)
                .unwrap_or_else(|| panic!("{word} in the text"))
        };
        let parsecs = at("parsecs");
        let line_end = at(",\r\n") + 1;
        let diagnostics = [
            Diagnostic::new(
                Code::E001SyntaxError,
                Span::new(file, parsecs, parsecs + 7),
                "unit",
            ),
            Diagnostic::new(
                Code::E001SyntaxError,
                Span::new(file, line_end, line_end),
                "end",
            ),
        ];
        let out = render(&diagnostics, &sources, Format::Human { color: false });
        assert!(!out.contains('\u{240D}') && !out.contains('\r'), "{out}");
        assert!(
            out.contains("2 |   duration 3 parsecs\n  |              ^^^^^^^\n"),
            "{out}"
        );
        assert!(out.contains("3 |   after b,\n  |           ^\n"), "{out}");
    }

    pub(super) fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let text = "project a \"A £1\" {\n  after case-sytem\n}\n";
        let file = sources.add("plan.tranche", text);
        let start = text.find("case-sytem").expect("fixture text");
        let d = Diagnostic::new(
            Code::E020UnknownReference,
            Span::new(file, start, start + "case-sytem".len()),
            "unknown item `case-sytem`; did you mean `case-system`?",
        )
        .with_hint("check the spelling, or declare `case-sytem`");
        (sources, vec![d])
    }

    #[test]
    fn human_output_points_at_the_line_and_column() {
        let (sources, diagnostics) = sample();
        let out = render(&diagnostics, &sources, Format::Human { color: false });
        assert!(
            out.contains("error[E020]: unknown item `case-sytem`"),
            "{out}"
        );
        assert!(out.contains("plan.tranche:2:9"), "{out}");
        assert!(out.contains("after case-sytem"), "{out}");
        assert!(out.contains("^^^^^^^^^^"), "{out}");
        assert!(out.contains("help: check the spelling"), "{out}");
    }

    /// Found by issue 10's hostile inputs: 8,000 repeated dependencies on one generated line
    /// printed 190 MB, each diagnostic drawing the whole line between its note and its place.
    #[test]
    fn a_note_far_along_the_same_line_gets_its_own_snippet() {
        let mut sources = SourceMap::new();
        let line = format!("after b{}", ", b".repeat(2_000));
        let file = sources.add("plan.tranche", line.as_str());
        let last = line.len() - 1;
        let d = Diagnostic::new(
            Code::E032DuplicateDependency,
            Span::new(file, last, last + 1),
            "this repeats a dependency on `b` of the same kind",
        )
        .with_note(Some(Span::new(file, 6, 7)), "first given here");
        let out = render(&[d], &sources, Format::Human { color: false });
        assert!(out.contains("first given here"), "{out}");
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        // Near each other, both are drawn on one snippet as before.
        let near = Diagnostic::new(
            Code::E032DuplicateDependency,
            Span::new(file, 9, 10),
            "this repeats a dependency on `b` of the same kind",
        )
        .with_note(Some(Span::new(file, 6, 7)), "first given here");
        let out = render(&[near], &sources, Format::Human { color: false });
        assert_eq!(out.matches("plan.tranche:1:").count(), 1, "{out}");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let (sources, diagnostics) = sample();
        let out = render(&diagnostics, &sources, Format::Json);
        let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        let d = &value[0];
        assert_eq!(d["code"], "E020");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["file"], "plan.tranche");
        assert_eq!(d["line"], 2);
        assert_eq!(d["column"], 9);
        assert_eq!(d["end_line"], 2);
        assert_eq!(d["end_column"], 19);
        assert!(d["notes"].as_array().expect("notes array").is_empty());
    }

    #[test]
    fn github_commands_escape_their_data() {
        let (sources, diagnostics) = sample();
        let out = render(&diagnostics, &sources, Format::Github);
        assert_eq!(
            out,
            "::error file=plan.tranche,line=2,col=9,endLine=2,endColumn=19,title=E020::unknown item `case-sytem`; did you mean `case-system`?%0Ahelp: check the spelling, or declare `case-sytem`\n"
        );
        assert_eq!(github_property("a,b:c%"), "a%2Cb%3Ac%25");
    }

    #[test]
    fn columns_count_characters_after_a_pound_sign() {
        let mut sources = SourceMap::new();
        let text = "cost capital £12x\n";
        let file = sources.add("f", text);
        let x = text.find('x').expect("fixture");
        assert_eq!(sources.line_col(file, x as u32), (1, 17));
    }
}
