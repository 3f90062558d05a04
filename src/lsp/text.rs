//! Positions as the Language Server Protocol counts them, and file URIs.
//!
//! The pipeline speaks byte offsets ([`Span`]); LSP speaks zero-based lines and columns counted
//! in UTF-16 code units (its default encoding, which every client supports). A `£` is two
//! bytes, one UTF-16 unit and one character: the three counts differ on any line with non-ASCII
//! text, so every conversion goes through [`LineIndex`].

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::diagnostic::Span;

/// The byte offset of every line start of one text.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { starts }
    }

    /// The LSP position of byte `offset` (clamped into the text, and back to a character start).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char(text, offset);
        let line = match self
            .starts
            .binary_search(&u32::try_from(offset).unwrap_or(u32::MAX))
        {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).map_or(0, |&s| s as usize);
        let units: usize = text
            .get(start..offset)
            .unwrap_or_default()
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(units).unwrap_or(u32::MAX),
        )
    }

    pub(crate) fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start as usize),
            self.position(text, span.end as usize),
        )
    }

    /// The byte offset of an LSP position: a column past the line's end is its end, a line
    /// past the text's end the text's end (clients may send either after an edit).
    pub(crate) fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let start = start as usize;
        let line_end = text
            .get(start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| start + i);
        let mut units = 0usize;
        for (i, c) in text.get(start..line_end).unwrap_or_default().char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        line_end
    }
}

/// The nearest character boundary at or before `index`.
pub(crate) fn floor_char(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The path of a `file:` URI (percent escapes decoded); `None` for any other scheme.
pub(crate) fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file://host/path` names another machine; only the local form is a path here.
    let path = rest.get(rest.find('/')?..)?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (byte, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(value)) => {
                decoded.push(value);
                i += 3;
            }
            _ => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok().map(PathBuf::from)
}

/// The `file:` URI of an absolute path, escaping what a URI may not hold as it is.
pub(crate) fn path_to_uri(path: &Path) -> Option<Uri> {
    let mut text = String::from("file://");
    let shown = path.to_str()?;
    if !shown.starts_with('/') {
        text.push('/');
    }
    for byte in shown.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `£` is two bytes and one UTF-16 unit: the column after it counts one, not two.
    #[test]
    fn columns_count_utf16_units_after_a_pound_sign() {
        let text = "a\n  cost capital £1.8m\n𝄞x";
        let index = LineIndex::new(text);
        let m = text.find("1.8m").expect("in the text");
        assert_eq!(index.position(text, m), Position::new(1, 16));
        assert_eq!(index.offset(text, Position::new(1, 16)), m);
        let x = text.find('x').expect("in the text");
        // The clef is outside the BMP: two UTF-16 units.
        assert_eq!(index.position(text, x), Position::new(2, 2));
        assert_eq!(index.offset(text, Position::new(2, 2)), x);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(index.offset(text, Position::new(0, 99)), 1);
    }

    #[test]
    fn file_uris_round_trip_with_escapes() {
        let path = Path::new("/tmp/a plan/£.tranche");
        let uri = path_to_uri(path).expect("a URI");
        assert_eq!(uri.as_str(), "file:///tmp/a%20plan/%C2%A3.tranche");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }
}
