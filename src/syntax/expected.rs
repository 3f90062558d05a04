//! Turning pest's "expected one of these rules" into words users know.
//!
//! Input: the byte offset where a parse gave up and the rules pest tried there. Output: an E001
//! [`Diagnostic`] pointing at the offending token, with a message like
//! ``expected a date like `2021-04-01`, found `1/4/21` `` and a hint. Invariant: no pest rule
//! name ever reaches a message; a rule without words here is described generically.

use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::syntax::grammar::Rule;

/// Where the bad line was: it changes what "an item or attribute" is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The top level of a file, where items (`project`, `programme`, …) are expected.
    Top,
    /// Inside a `{ … }` block, where attributes are expected.
    Block,
}

/// Builds the diagnostic for a parse that gave up at `pos` expecting `positives`.
pub(crate) fn diagnose(
    file: FileId,
    text: &str,
    pos: usize,
    positives: &[Rule],
    scope: Scope,
) -> Diagnostic {
    // A probe rule failing where it began stands for its alternatives: a new attribute (or the
    // end of the block or file).
    let positives: Vec<Rule> = positives
        .iter()
        .map(|r| match r {
            Rule::probe_block
            | Rule::probe_block_after
            | Rule::probe_top
            | Rule::probe_top_after
            | Rule::recover
            | Rule::top_recover => Rule::attr,
            other => *other,
        })
        .collect();

    // Structural alternatives (a new attribute, the end of the block or file) are noise when
    // something more specific was expected at the same place: after `duration 4 months`,
    // "expected `range`" says more than "expected an attribute".
    let specific: Vec<Rule> = positives
        .iter()
        .copied()
        .filter(|r| !matches!(r, Rule::attr | Rule::rbrace | Rule::EOI))
        .collect();
    let chosen: Vec<Rule> = if specific.is_empty() {
        positives
            .iter()
            .copied()
            .filter(|r| *r == Rule::attr || positives.len() == 1)
            .collect()
    } else {
        specific
    };

    let mut words: Vec<String> = Vec::new();
    for rule in &chosen {
        let word = describe(*rule, scope);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if words.is_empty() {
        words.push(describe(Rule::attr, scope));
    }
    let (span, found) = token_at(text, pos);
    let message = format!("expected {}, found {found}", join_or(&words));
    let next_char = text.get(pos..).and_then(|rest| rest.chars().next());
    let hint = match next_char {
        // Word processors turn quotes curly and spaces non-breaking; the text then looks right
        // but is not, so say so rather than repeat what was expected.
        Some('“' | '”' | '‘' | '’') => {
            "use straight double quotes `\"`: word processors replace them with curly ones"
                .to_string()
        }
        Some(c) if !c.is_ascii() && c.is_whitespace() => format!(
            "replace the unusual space (U+{:04X}) with an ordinary one; it often comes from \
             copying text out of a word processor",
            c as u32
        ),
        // `3.5 %`: a percentage is one token, so the space ends the number; "write a
        // percentage with `%`" would read as if the `%` were missing.
        Some(' ' | '\t')
            if chosen.contains(&Rule::percent_sign)
                && text
                    .get(pos..)
                    .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with('%')) =>
        {
            "write the `%` straight after the number, with no space: `3.5%`".to_string()
        }
        _ => context_hint(text, pos, scope, &chosen)
            .or_else(|| chosen.iter().find_map(|r| hint(*r, scope)))
            .unwrap_or_else(|| {
                format!(
                    "check the spelling; {} would be valid here",
                    join_or(&words)
                )
            }),
    };
    Diagnostic::new(
        Code::E001SyntaxError,
        Span::new(file, span.0, span.1),
        message,
    )
    .with_hint(hint)
}

/// "expected `}` to close the project `case-system` opened on line 4", at the end of the file,
/// with a note at the declaration.
pub(crate) fn unclosed(
    file: FileId,
    text: &str,
    keyword: &str,
    id: Option<&str>,
    keyword_span: Span,
) -> Diagnostic {
    let line = 1 + text
        .get(..keyword_span.start as usize)
        .unwrap_or_default()
        .matches('\n')
        .count();
    let what = match id {
        Some(id) => format!("the {keyword} `{id}`"),
        None => format!("the {keyword}"),
    };
    let end = Span::new(file, text.len(), text.len());
    Diagnostic::new(
        Code::E001SyntaxError,
        end,
        format!("expected `}}` to close {what} opened on line {line}, found end of file"),
    )
    .with_note(Some(keyword_span), format!("{what} opens here"))
    .with_hint(format!("add `}}` after the last line of {what}"))
}

/// "expected `}` to close the project `a` opened on line 6 before the project `b` on line 8":
/// a block left open whose `}` probably belonged before a later item written at the block's
/// own indentation (see `Lower::unclosed_split`). The error points at the end of the block's
/// last line, where the `}` goes; `end` is that offset.
pub(crate) fn unclosed_before(
    file: FileId,
    text: &str,
    (keyword, id, keyword_span): (&str, Option<&str>, Span),
    end: usize,
    (next, next_span): (String, Span),
) -> Diagnostic {
    let line_of = |pos: usize| 1 + text.get(..pos).unwrap_or_default().matches('\n').count();
    let what = match id {
        Some(id) => format!("the {keyword} `{id}`"),
        None => format!("the {keyword}"),
    };
    let line = line_of(keyword_span.start as usize);
    let next_line = line_of(next_span.start as usize);
    let last_line = line_of(end);
    // A `}` written in a comment (`duration 1 month # TODO }`) is not read: the comment runs
    // to the end of its line. Said, since adding a second `}` would look like a wrong fix.
    let between = text.get(end..next_span.start as usize).unwrap_or_default();
    let in_comment = between.lines().enumerate().find_map(|(i, line)| {
        let comment = line.find('#')?;
        line.get(comment..)?.contains('}').then_some(i)
    });
    let hint = match in_comment {
        Some(i) => format!(
            "the `}}` on line {} is inside a comment, which runs to the end of the line, so it \
             is not read: put the `}}` before the `#`",
            last_line + i
        ),
        None => format!("add `}}` after line {last_line}, to close {what} before {next}"),
    };
    Diagnostic::new(
        Code::E001SyntaxError,
        Span::new(file, end, end),
        format!(
            "expected `}}` to close {what} opened on line {line} before {next} on line {next_line}"
        ),
    )
    .with_note(Some(keyword_span), format!("{what} opens here"))
    .with_note(
        Some(next_span),
        format!("{next} is at the indentation of {what}, so it is read as inside it"),
    )
    .with_hint(hint)
}

/// A hint from what stands around `pos` on its line, for mistakes whose usual hint (from the
/// rule expected) would point the wrong way: `£1.2 million` (expected an attribute),
/// `after a + 2 weeks lag` (expected `,`), a number where the attribute's keyword says which
/// kind (`priority high`, `complete half`, `lint long-lag 4`) and a misplaced `range`.
fn context_hint(text: &str, pos: usize, scope: Scope, chosen: &[Rule]) -> Option<String> {
    if scope != Scope::Block {
        return None;
    }
    let before = text.get(..pos)?;
    let line = before.rsplit(['\n', '\r']).next().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let after_line = text.get(pos..)?;
    let found: String = after_line
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();

    // `£1.2 million`: the multiplier is a suffix of the amount.
    let multiplier = match found.to_ascii_lowercase().as_str() {
        "k" | "thousand" | "thousands" => Some("k"),
        "m" | "mn" | "million" | "millions" => Some("m"),
        "bn" | "billion" | "billions" => Some("bn"),
        _ => None,
    };
    if let (Some(suffix), Some(amount)) = (multiplier, words.last()) {
        let figure = amount.trim_start_matches(['£', '$', '€']);
        if figure.len() < amount.len()
            && figure.starts_with(|c: char| c.is_ascii_digit())
            && figure
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Some(format!(
                "write the multiplier straight after the figure: `{amount}{suffix}` (`k` for \
                 thousands, `m` for millions, `bn` for billions)"
            ));
        }
    }

    // `after a + 2 weeks lag`: a lag ends its target.
    let is_dependency = matches!(words.first(), Some(&"after"))
        || matches!(words.get(..2), Some(["finishes", "after"]));
    let sign = words.iter().rposition(|w| *w == "+" || *w == "-");
    if let (true, Some(sign)) = (is_dependency, sign) {
        let duration = words.get(sign + 1..).unwrap_or_default();
        let is_duration = matches!(duration.len(), 1 | 2)
            && duration
                .first()
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
        if is_duration && !found.is_empty() {
            let lag = words.get(sign..).unwrap_or_default().join(" ");
            return Some(format!(
                "a lag is written `{lag}` with nothing after it: end the line there, \
                 `{}`",
                words.join(" ")
            ));
        }
    }

    if let Some(hint) = wrapped_line_hint(text, pos, &words, &found) {
        return Some(hint);
    }
    if found == "range" {
        return range_hint(&words, after_line);
    }
    // `remove a b`: only `tags` has brackets, so the usual "write a list as `[a, b, c]`" would
    // not fix it.
    if let (Some(&keyword @ ("remove" | "keep")), true, Some(found)) = (
        words.first(),
        chosen.contains(&Rule::comma),
        after_line.split_whitespace().next(),
    ) {
        let mut names: Vec<&str> = words.get(1..).unwrap_or_default().to_vec();
        names.push(found);
        return Some(format!(
            "separate the names with `,`: `{keyword} {}`",
            names.join(", ")
        ));
    }
    // `cost capital £5k range £4k to £9k at start`: the timing after the range.
    if matches!(found.as_str(), "at" | "from")
        && matches!(words.as_slice(), ["cost", "capital", _, "range", ..])
    {
        return Some(
            "capital with a `range` is spread over the whole project; capital paid `at` a time \
             or spread `from … to` has no range: keep one or the other"
                .to_string(),
        );
    }
    number_hint(&words, chosen)
}

/// The line before the one `pos` is on, skipping blank and comment-only lines, trimmed.
fn previous_line(text: &str, pos: usize) -> Option<&str> {
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    text.get(..line_start)?
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Whether the line `pos` is on comes right after a `saving` or `benefit` line (blank and
/// comment lines aside): a line there starting `owner "…" measure` or `measure` is that
/// saving's clauses wrapped onto the next line.
pub(crate) fn after_saving_line(text: &str, pos: usize) -> bool {
    previous_line(text, pos)
        .is_some_and(|line| matches!(line.split_whitespace().next(), Some("saving" | "benefit")))
}

/// A line wrapped where the line end ends the attribute: the pairs of a `score` continued on
/// the next line (`deliverability 3` under `score strategic 5`), or a saving's `owner` and
/// `measure` (docs/language.md sections 13 and 16d). Said with the joined line, which is the
/// fix, rather than "check the spelling".
fn wrapped_line_hint(text: &str, pos: usize, words: &[&str], found: &str) -> Option<String> {
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next().unwrap_or_default();
    let line = line.split(" #").next().unwrap_or(line).trim();
    let previous = previous_line(text, pos)?;
    // `measure` at the start of the line, or after `owner "…"` that starts it.
    let measure_wrapped = found == "measure"
        && (words.is_empty() || words.first() == Some(&"owner"))
        && matches!(
            previous.split_whitespace().next(),
            Some("saving" | "benefit")
        );
    if measure_wrapped {
        let what = previous.split_whitespace().next().unwrap_or("saving");
        let previous = previous.split(" #").next().unwrap_or(previous).trim_end();
        return Some(format!(
            "the `owner` and `measure` of a {what} go on the {what}'s line: join the lines, \
             `{previous} {line}`"
        ));
    }
    // `NAME NUMBER ...` pairs at the start of a line under a `score` line.
    let pairs: Vec<&str> = line.split_whitespace().collect();
    let is_pairs = words.is_empty()
        && !pairs.is_empty()
        && pairs.len() % 2 == 0
        && pairs.chunks(2).all(|pair| {
            matches!(pair, [name, score]
                if name.starts_with(|c: char| c.is_ascii_lowercase())
                    && score.starts_with(|c: char| c.is_ascii_digit()))
        });
    if is_pairs && previous.split_whitespace().next() == Some("score") {
        let previous = previous.split(" #").next().unwrap_or(previous).trim_end();
        return Some(format!(
            "a score's pairs go on the line of `score`, which ends at the line end: join the \
             lines, `{previous} {line}`"
        ));
    }
    None
}

/// `cost capital £5k at start range …`, `cost one-off £5k at go-live range …`: where a
/// `range` may go. The grammar has it straight after the amount of capital spread over the
/// project (`cost capital AMOUNT range LOW to HIGH`), or among a saving's clauses; capital
/// with a timing, and one-off costs, have none. (A `range` on `cost revenue` or a `benefit`
/// parses, and lowering says so.)
fn range_hint(words: &[&str], rest: &str) -> Option<String> {
    match words {
        ["cost", "capital", amount, _, ..] => {
            let range = rest.lines().next().unwrap_or_default().trim_end();
            let range = range.split(" #").next().unwrap_or(range).trim_end();
            Some(format!(
                "a `range` on capital goes straight after the amount, and only on capital spread \
                 over the whole project: `cost capital {amount} {range}`; capital paid `at` a \
                 time or spread `from … to` has no range"
            ))
        }
        ["cost", "one-off", ..] => Some(
            "a `range` of amounts is allowed on a `saving` and on `cost capital`, not on a \
             `cost one-off`: remove it"
                .to_string(),
        ),
        _ => None,
    }
}

/// A number (or a percentage, or a duration) was expected: the hint for the attribute the
/// line begins with, since "write a number and a unit" only fits durations.
fn number_hint(words: &[&str], chosen: &[Rule]) -> Option<String> {
    let wants_number = chosen.iter().any(|r| {
        matches!(
            r,
            Rule::number
                | Rule::percent
                | Rule::percent_sign
                | Rule::duration_lit
                | Rule::duration_unit
        )
    });
    if !wants_number {
        return None;
    }
    let hint = match words {
        ["priority", ..] => "write a whole number: `priority 1` is placed first when levelling",
        ["complete", ..] => {
            "write how much of the work is done as a percentage, e.g. `complete 50%`"
        }
        ["size", ..] => {
            "write the team's size in people (full-time equivalents), e.g. `size 4` or `size 2.5`"
        }
        ["needs", ..] => {
            "write the team and how many of its people the project needs, e.g. `needs ict 2` or \
             `needs analysts 0.5`"
        }
        ["score", ..] => {
            "write a whole-number score after each criterion, e.g. `score strategic 4 \
             deliverability 3`"
        }
        // The examples are the ones `lint` gives for a value of the wrong kind
        // (src/model/validate/lints.rs).
        ["lint", "long-lag", ..] => {
            "`long-lag` is a length of working time: write a number and a unit, e.g. \
             `lint long-lag 1 month`"
        }
        ["lint", "high-float", ..] => {
            "`high-float` is a length of working time: write a number and a unit, e.g. \
             `lint high-float 44 days`"
        }
        ["lint", "long-duration", ..] => {
            "`long-duration` is a length of working time: write a number and a unit, e.g. \
             `lint long-duration 2 years`"
        }
        ["lint", "non-fs-share", ..] => {
            "`non-fs-share` is a share of the dependencies: write a percentage, e.g. \
             `lint non-fs-share 10%`"
        }
        _ => return None,
    };
    Some(hint.to_string())
}

/// "A, B or C".
fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The span and description of the token at `pos`: "`durtion`", "end of line", "end of file".
pub(crate) fn token_at(text: &str, pos: usize) -> ((usize, usize), String) {
    let Some(rest) = text.get(pos..) else {
        return ((text.len(), text.len()), "end of file".to_string());
    };
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return ((pos, pos), "end of file".to_string());
    };
    if first == '\n' || first == '\r' {
        return ((pos, pos), "end of line".to_string());
    }
    if first.is_control() || (!first.is_ascii() && first.is_whitespace()) || first == '\u{FEFF}' {
        let end = pos + first.len_utf8();
        return ((pos, end), format!("the character U+{:04X}", first as u32));
    }
    if first == '"' {
        // A string, up to its closing quote or the line end.
        let close = rest
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c == '"' || c == '\n' || c == '\r')
            .map(|(i, c)| if c == '"' { i + 1 } else { i })
            .unwrap_or(rest.len());
        let end = pos + close;
        let token = text.get(pos..end).unwrap_or_default();
        return ((pos, end), format!("the text `{token}`"));
    }
    let in_token = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '%' | ':');
    let mut end = pos + first.len_utf8();
    if in_token(first) || matches!(first, '£' | '$' | '€') {
        let mut prev = first;
        for (i, c) in rest.char_indices().skip(1) {
            // A comma belongs to a figure (`12,500`) but not to a list (`a, b`).
            let comma_in_number = c == ',' && prev.is_ascii_digit();
            if !(in_token(c) || comma_in_number) || i >= 40 {
                break;
            }
            end = pos + i + c.len_utf8();
            prev = c;
        }
        // A trailing comma is punctuation, not part of the figure.
        if text.get(..end).is_some_and(|t| t.ends_with(',')) {
            end -= 1;
        }
    }
    let token = text.get(pos..end).unwrap_or_default();
    ((pos, end), format!("`{token}`"))
}

/// Words for what a rule stands for, as a user would say it.
fn describe(rule: Rule, scope: Scope) -> String {
    let words = match rule {
        Rule::attr => {
            return match scope {
                Scope::Top => "an item such as `project`, `programme` or `milestone`".into(),
                Scope::Block => "an attribute such as `duration`, `after` or `cost`".into(),
            };
        }
        Rule::body | Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::comma => "`,`",
        Rule::dot => "`.`",
        Rule::plus => "`+`",
        Rule::minus => "`-`",
        Rule::EOI => "the end of the file",
        Rule::ident => "a name like `case-system`",
        Rule::reference | Rule::dependency_target => {
            "a name like `case-system` or `case-system.go-live`"
        }
        Rule::currency_code => "a currency code like `GBP`",
        Rule::string | Rule::quote => "text in double quotes like `\"Case system\"`",
        Rule::string_text | Rule::close_quote => "`\"` to end the text",
        Rule::date => "a date like `2021-04-01`",
        Rule::financial_year => "a financial year like `2022/23`",
        Rule::number => "a number",
        Rule::percent => "a percentage like `35%`",
        Rule::percent_sign => "`%`",
        Rule::money | Rule::currency_symbol => "an amount of money like `£120k`",
        Rule::amount => "an amount like `120k`, `1.8m` or `12,500`",
        Rule::duration_lit => "a duration like `3 months`",
        Rule::duration_unit => "a unit of time (`days`, `weeks`, `months` or `years`)",
        Rule::month_name => "a month like `april`",
        Rule::weekday => "a day like `sat`",
        Rule::milestone_timing => "`at start`, `at finish` or `on` and a date",
        Rule::lag => "a lag like `+ 2 weeks`",
        Rule::when => "`start`, `finish`, a date or a milestone",
        Rule::recurrence => "`per year from`",
        Rule::capital_timing => "`at` or `from`",
        Rule::ramp_clause => "`ramp`",
        Rule::for_clause => "`for`",
        Rule::money_range | Rule::duration_range => "`range`",
        Rule::lint_code => "a lint code like `W107`",
        Rule::star => "`*`",
        Rule::criterion => "a criterion and its weight like `strategic 40%`",
        Rule::score_entry => "a criterion and a score like `strategic 4`",
        Rule::score_gap => "a criterion and its score on the line of `score`",
        other => return keyword_words(other).unwrap_or_else(|| "something else".to_string()),
    };
    words.to_string()
}

/// "`status-date`" for `kw_status_date`: keywords are named after what users type.
fn keyword_words(rule: Rule) -> Option<String> {
    let name = format!("{rule:?}");
    let keyword = name.strip_prefix("kw_")?;
    Some(format!("`{}`", keyword.replace('_', "-")))
}

/// What would fix a line where `rule` was expected.
fn hint(rule: Rule, scope: Scope) -> Option<String> {
    let hint = match rule {
        Rule::attr => match scope {
            Scope::Top => {
                "check the spelling; a file holds `portfolio`, `programme`, `project`, \
                 `milestone`, `calendar`, `theme` and `include` items"
            }
            Scope::Block => {
                "check the spelling; attributes include `duration`, `after`, `cost`, `saving`, \
                 `owner` and `theme`, one per line"
            }
        },
        Rule::ident | Rule::reference | Rule::dependency_target => {
            "names use lower-case letters, digits and `-`, and start with a letter"
        }
        Rule::date => {
            "write dates as year-month-day with a two-digit month and day, e.g. `2021-04-01`"
        }
        Rule::financial_year => {
            "write a financial year as its first year and the next year's last two digits, e.g. `2022/23`"
        }
        Rule::percent | Rule::percent_sign => "write a percentage with `%`, e.g. `3.5%`",
        Rule::money | Rule::currency_symbol | Rule::amount => {
            "write a currency symbol then the amount, e.g. `£120k`, `£1.8m` or `£12,500`"
        }
        Rule::duration_lit | Rule::duration_unit | Rule::number => {
            "write a number and a unit: `3 days`, `2 weeks`, `14 months` (or `14mo`) or `1 year`"
        }
        Rule::lag => {
            "write a lag as `+ 2 weeks` or a lead as `- 1 week`; separate several targets with \
             `,`: `after a, b`"
        }
        Rule::score_gap => {
            "write a project's scores on one line, `score strategic 4 deliverability 3`: the line \
             end ends the score, so the next line is read as the next attribute"
        }
        Rule::string | Rule::quote | Rule::string_text | Rule::close_quote => {
            "put text in double quotes on one line; write `\\\"` for a quote inside it"
        }
        Rule::month_name => "write a month name such as `april` or `apr`",
        Rule::lint_code => "write the codes of the lints to switch off, e.g. `allow W102, W107`",
        Rule::weekday => "write days as `mon` to `sun` or in full, e.g. `weekend sat sun`",
        Rule::currency_code => "write a currency code such as `GBP`",
        Rule::when => "write `start`, `finish`, a date like `2021-04-01` or a milestone's name",
        Rule::milestone_timing => {
            "write `at start`, `at finish` or `on 2021-10-04` after the milestone's title"
        }
        Rule::recurrence => {
            "write `per year from` and then `start`, `finish`, a date or a milestone"
        }
        Rule::lbrace | Rule::body => "a block's attributes go between `{` and `}`",
        Rule::rbracket | Rule::comma => "write a list as `[a, b, c]`",
        _ => return None,
    };
    Some(hint.to_string())
}
