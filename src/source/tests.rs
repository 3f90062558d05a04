//! Loader tests over an in-memory file system and a stub parser that understands only
//! `include "path"` lines, so they do not depend on the grammar.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;

/// The files given, in the library's in-memory file system (which folds `.` and `..` and
/// fails for missing files, as `std::fs::canonicalize` does).
fn memory(files: &[(&str, &[u8])]) -> MemoryFs {
    files
        .iter()
        .fold(MemoryFs::new(), |fs, (path, bytes)| fs.with(path, bytes))
}

/// Each line `include "x"` becomes an include; a line `programme {` opens a programme block
/// holding the includes up to the line `}`.
fn stub_parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let mut top = Vec::new();
    let mut block: Option<Vec<ast::Attr>> = None;
    let mut errors = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let span = Span::new(file, offset, offset + trimmed.len());
        if let Some(path) = trimmed
            .strip_prefix("include \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            let attr = ast::Attr::Include {
                path: ast::Str {
                    value: compact_str::CompactString::from(path),
                    span,
                },
                span,
            };
            match block.as_mut() {
                Some(body) => body.push(attr),
                None => top.push(attr),
            }
        } else if trimmed == "oops" {
            errors.push(Diagnostic::new(
                Code::E001SyntaxError,
                span,
                "expected an item",
            ));
        } else if trimmed == "programme {" {
            block = Some(Vec::new());
        } else if trimmed == "}" {
            let body = block.take().unwrap_or_default();
            top.push(ast::Attr::Programme(Box::new(ast::Block {
                id: Some(ast::Ident {
                    name: "p".into(),
                    span,
                }),
                title: None,
                body,
                keyword_span: span,
                span,
            })));
        }
        offset += line.len();
    }
    let span = Span::new(file, 0, text.len());
    let parsed = ast::File {
        items: top,
        comments: Vec::new(),
        span,
    };
    (parsed, errors)
}

fn run(
    files: &[(&str, &[u8])],
    root: &str,
) -> (SourceMap, Result<(Plan, Vec<Diagnostic>), Diagnostic>) {
    let fs = memory(files);
    let mut sources = SourceMap::new();
    let result = load_with(Path::new(root), &fs, &mut sources, &stub_parse);
    (sources, result)
}

/// [`run`] from `/p/main.tranche`, which must be readable: the sources, the plan and what was
/// said about it.
fn load_main(files: &[(&str, &[u8])]) -> (SourceMap, Plan, Vec<Diagnostic>) {
    let (sources, result) = run(files, "/p/main.tranche");
    let (plan, diagnostics) = result.expect("root is readable");
    (sources, plan, diagnostics)
}

fn names(sources: &SourceMap) -> Vec<String> {
    sources.files().map(|(_, f)| f.name.clone()).collect()
}

#[test]
fn follows_includes_relative_to_the_including_file_and_names_them_from_the_root() {
    let (sources, result) = run(
        &[
            ("plan/main.tranche", b"include \"work/a.tranche\"\n"),
            ("plan/work/a.tranche", b"include \"../work/./b.tranche\"\n"),
            ("plan/work/b.tranche", b"# nothing\n"),
        ],
        "plan/main.tranche",
    );
    let (plan, diagnostics) = result.expect("root is readable");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(plan.files.len(), 3);
    assert_eq!(plan.includes.len(), 2);
    assert_eq!(
        names(&sources),
        [
            "plan/main.tranche",
            "plan/work/a.tranche",
            "plan/work/b.tranche"
        ]
    );
}

#[test]
fn includes_inside_a_programme_are_followed() {
    let (_, plan, diagnostics) = load_main(&[
        (
            "/p/main.tranche",
            b"programme {\ninclude \"a.tranche\"\n}\n",
        ),
        ("/p/a.tranche", b""),
    ]);
    assert!(diagnostics.is_empty());
    assert_eq!(plan.includes.len(), 1);
}

#[test]
fn a_file_included_twice_is_read_once() {
    let (sources, plan, diagnostics) = load_main(&[
        (
            "/p/main.tranche",
            b"include \"a.tranche\"\ninclude \"./sub/../a.tranche\"\n",
        ),
        ("/p/a.tranche", b""),
    ]);
    assert!(diagnostics.is_empty());
    assert_eq!(plan.files.len(), 2);
    assert_eq!(plan.includes.len(), 1);
    assert_eq!(sources.files().count(), 2);
}

#[test]
fn a_cycle_names_every_file_on_it_in_order() {
    let (_, _, diagnostics) = load_main(&[
        ("/p/main.tranche", b"include \"a.tranche\"\n"),
        ("/p/a.tranche", b"include \"b.tranche\"\n"),
        ("/p/b.tranche", b"include \"a.tranche\"\n"),
    ]);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::E004IncludeCycle);
    assert_eq!(
        diagnostics[0].message,
        "files include each other in a cycle: `/p/a.tranche` -> `/p/b.tranche` -> `/p/a.tranche`"
    );
}

#[test]
fn a_file_including_itself_is_a_cycle() {
    let (_, _, diagnostics) = load_main(&[("/p/main.tranche", b"include \"main.tranche\"\n")]);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::E004IncludeCycle);
    assert!(
        diagnostics[0]
            .message
            .contains("`/p/main.tranche` -> `/p/main.tranche`")
    );
}

#[test]
fn a_missing_include_points_at_the_include() {
    let (_, plan, diagnostics) =
        load_main(&[("/p/main.tranche", b"# top\ninclude \"gone.tranche\"\n")]);
    assert!(plan.includes.is_empty());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::E003FileNotFound);
    assert_eq!(diagnostics[0].span.map(|s| s.start), Some(6));
    assert!(diagnostics[0].message.contains("`/p/gone.tranche`"));
}

#[test]
fn binary_or_non_utf8_includes_say_where() {
    let (_, _, diagnostics) = load_main(&[
        (
            "/p/main.tranche",
            b"include \"bin.tranche\"\ninclude \"latin1.tranche\"\n",
        ),
        ("/p/bin.tranche", b"abc\0def"),
        ("/p/latin1.tranche", b"caf\xe9"),
    ]);
    let messages: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                Code::E002NotText,
                "included file `/p/bin.tranche` is not a text file: it contains a NUL byte at byte offset 3"
            ),
            (
                Code::E002NotText,
                "included file `/p/latin1.tranche` is not a text file: it is not valid UTF-8 at byte offset 3"
            ),
        ]
    );
}

#[test]
fn an_unreadable_or_binary_root_is_an_error_result() {
    let (_, missing) = run(&[], "/p/none.tranche");
    let missing = missing.map(|_| ()).unwrap_err();
    assert_eq!(missing.code, Code::E003FileNotFound);
    assert_eq!(
        missing.message,
        "cannot read `/p/none.tranche`: no such file"
    );
    let (_, binary) = run(&[("/p/main.tranche", b"\xff\xfe")], "/p/main.tranche");
    assert_eq!(binary.map(|_| ()).unwrap_err().code, Code::E002NotText);
}

#[test]
fn include_chains_deeper_than_the_limit_stop_with_e005() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..100 {
        files.push((
            format!("/p/f{i}.tranche"),
            format!("include \"f{}.tranche\"\n", i + 1).into_bytes(),
        ));
    }
    files.push(("/p/f100.tranche".into(), Vec::new()));
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let (_, result) = run(&borrowed, "/p/f0.tranche");
    let (plan, diagnostics) = result.expect("root is readable");
    assert_eq!(plan.files.len(), MAX_INCLUDE_DEPTH);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::E005TooDeep);
}

#[test]
fn display_names_fold_dot_dot() {
    assert_eq!(
        normalise(Path::new("a/../b/./c.tranche")),
        PathBuf::from("b/c.tranche")
    );
    assert_eq!(
        normalise(Path::new("../x.tranche")),
        PathBuf::from("../x.tranche")
    );
}

#[test]
fn an_include_over_the_size_limit_is_e006() {
    let big = vec![b'#'; MAX_FILE_BYTES + 1];
    let (_, plan, diagnostics) = load_main(&[
        ("/p/main.tranche", b"include \"big.tranche\"\n"),
        ("/p/big.tranche", &big),
    ]);
    assert_eq!(plan.files.len(), 1);
    assert_eq!(codes_of(&diagnostics), ["E006"]);
    assert_eq!(
        diagnostics[0].message,
        "`/p/big.tranche` is 257 MiB, more than the 256 MiB tranche reads"
    );
}

fn codes_of(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn files_with_syntax_errors_are_marked_unparsed() {
    let (_, plan, diagnostics) = load_main(&[
        (
            "/p/main.tranche",
            b"include \"a.tranche\"\ninclude \"b.tranche\"\n",
        ),
        ("/p/a.tranche", b"oops\n"),
        ("/p/b.tranche", b""),
    ]);
    assert_eq!(codes_of(&diagnostics), ["E001"]);
    assert_eq!(plan.unparsed, BTreeSet::from([FileId(1)]));
}

/// Issue 10 (hostile inputs): an include may not leave the portfolio folder.
#[test]
fn an_include_outside_the_portfolio_folder_is_refused() {
    let files: &[(&str, &[u8])] = &[
        ("/p/main.tranche", b"include \"../secret/x.tranche\"\n"),
        ("/secret/x.tranche", b""),
    ];
    let (_, result) = run(files, "/p/main.tranche");
    let (plan, diagnostics) = result.expect("root is readable");
    assert_eq!(plan.files.len(), 1, "the outside file is not read");
    assert_eq!(codes_of(&diagnostics), ["E003"]);
    assert!(
        diagnostics[0]
            .message
            .contains("is outside the portfolio folder `/p`"),
        "{}",
        diagnostics[0].message
    );
    assert!(
        diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("--allow-outside-includes"))
    );
}

#[test]
fn an_include_outside_the_folder_is_read_when_allowed() {
    let fs = memory(&[
        ("/p/main.tranche", b"include \"../shared/x.tranche\"\n"),
        ("/shared/x.tranche", b""),
    ]);
    let mut sources = SourceMap::new();
    let (plan, diagnostics) = load_inner(
        Path::new("/p/main.tranche"),
        &fs,
        &mut sources,
        &stub_parse,
        Includes::Anywhere,
    )
    .expect("root is readable");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(plan.files.len(), 2);
}

#[test]
fn an_include_into_a_subfolder_stays_allowed() {
    let (_, plan, diagnostics) = load_main(&[
        ("/p/main.tranche", b"include \"sub/../sub/a.tranche\"\n"),
        ("/p/sub/a.tranche", b""),
    ]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(plan.files.len(), 2);
}
