//! A count and its noun, agreeing in number: `1 working day`, `2 working days`, `0 errors`.
//!
//! Every message that counts goes through [`count`], so none says "1 working days".

use std::fmt::Display;

/// `n` and `singular` when `n` is 1 or -1 (a lead of one day), else `n` and `plural`.
pub fn count(n: impl Display, singular: &str, plural: &str) -> String {
    let n = n.to_string();
    if n == "1" || n == "-1" {
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
        assert_eq!(count(1_usize, "dependency", "dependencies"), "1 dependency");
        assert_eq!(
            count(2_usize, "dependency", "dependencies"),
            "2 dependencies"
        );
    }
}
