//! A count and its noun, agreeing in number: `1 working day`, `2 working days`, `0 errors`.
//!
//! Every message that counts goes through [`count`], so none says "1 working days".

use std::fmt::Display;

/// `n` and `singular` when `n` is 1, -1 (a lead of one day) or +1 (a change of one day), else
/// `n` and `plural`.
pub fn count(n: impl Display, singular: &str, plural: &str) -> String {
    let n = n.to_string();
    if n.trim_start_matches(['+', '-']) == "1" {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn agrees_with_one_and_many() {
        assert_eq!(count(0, "working day", "working days"), "0 working days");
        assert_eq!(count(1, "working day", "working days"), "1 working day");
        assert_eq!(count(2, "working day", "working days"), "2 working days");
        assert_eq!(
            count(-1_i64, "working day", "working days"),
            "-1 working day"
        );
        assert_eq!(count("+1", "working day", "working days"), "+1 working day");
        assert_eq!(
            count("+11", "working day", "working days"),
            "+11 working days"
        );
        assert_eq!(count(1_usize, "dependency", "dependencies"), "1 dependency");
        assert_eq!(
            count(2_usize, "dependency", "dependencies"),
            "2 dependencies"
        );
    }

    /// Issue 24: every message template that puts a number before a noun goes through
    /// [`count`], so none says "1 items wait". Read from the source itself: a format string
    /// with a placeholder directly before a plural noun (`{n} days`) is a template that can
    /// say "1 days". The few that cannot (a year's length, a range's ends) are listed with why.
    #[test]
    fn no_message_template_puts_a_bare_number_before_a_plural_noun() {
        const NOUNS: [&str; 16] = [
            "years",
            "financial years",
            "days",
            "working days",
            "weeks",
            "months",
            "items",
            "projects",
            "milestones",
            "programmes",
            "dependencies",
            "links",
            "warnings",
            "errors",
            "files",
            "plans",
        ];
        // (file, what the line contains): why a plural is right whatever the number.
        const ALWAYS_PLURAL: [(&str, &str); 5] = [
            // The arm for any number but one.
            ("report/svg.rs", "each of {n} financial years"),
            // A year has 365 or 366 days.
            ("model/values.rs", "has {length} days"),
            // The top of a range of more than one day: `8 to 12 working days`.
            ("model/validate/items.rs", "to {high} working days"),
            // More than the limit of a million items.
            ("model/validate.rs", "has {n_items} programmes"),
            // A constant, 64.
            ("source.rs", "{MAX_INCLUDE_DEPTH} files"),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root.clone()];
        let mut found = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{e}"));
                files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
                continue;
            }
            // Tests may say anything, and this file names the templates it looks for.
            let test_file = path
                .file_name()
                .is_some_and(|f| f == "tests.rs" || f == "count.rs");
            if path.extension().is_none_or(|x| x != "rs") || test_file {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                // Comments and tests may say anything.
                if line.trim_start().starts_with("//") || line.contains("assert") {
                    continue;
                }
                for (at, _) in line.match_indices("} ") {
                    let before = &line[..at];
                    let Some(open) = before.rfind('{') else {
                        continue;
                    };
                    let placeholder = &before[open + 1..];
                    if placeholder.contains([' ', '"', '(']) {
                        continue;
                    }
                    let after = &line[at + 2..];
                    let noun = NOUNS.iter().find(|n| {
                        after.starts_with(**n)
                            && !after[n.len()..].starts_with(|c: char| c.is_alphanumeric())
                    });
                    let allowed = ALWAYS_PLURAL
                        .iter()
                        .any(|(file, text)| name == *file && line.contains(text));
                    if noun.is_some() && !allowed {
                        found.push(format!("src/{name}:{}: {}", i + 1, line.trim()));
                    }
                }
            }
        }
        found.sort();
        assert!(
            found.is_empty(),
            "these templates can say `1 days`; count with `count(n, singular, plural)`:\n{}",
            found.join("\n")
        );
    }
}
