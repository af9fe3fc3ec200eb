//! Text captures and the paragraph-level rules and heuristics shared with HTML.

pub mod engine;
pub mod fold;
pub mod heuristics;

use unicode_normalization::UnicodeNormalization;

/// Invisible marks dropped from written text: they carry no letters, and stray bidi controls and
/// zero-width spaces break search and hashing downstream. ZWNJ and ZWJ are kept: Persian and
/// Urdu spelling needs them.
fn is_invisible_noise(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// One line of written text: NFC, invisible marks removed, inner white space collapsed, trimmed.
pub fn tidy_line(line: &str) -> String {
    if line.is_ascii() {
        collapse_ascii(line, |b| b)
    } else if line.chars().all(plainly_nfc)
        || unicode_normalization::is_nfc_quick(line.chars()) == unicode_normalization::IsNormalized::Yes
    {
        tidy_chars(line.chars(), line.len())
    } else {
        tidy_chars(line.nfc(), line.len())
    }
}

fn tidy_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    collapse_whitespace(chars, len, is_invisible_noise, String::push)
}

/// Characters that are NFC whatever surrounds them (quick-check Yes, combining class 0): Latin-1
/// and the Latin Extended blocks, and General Punctuation but for the two quads that decompose.
/// English text with curly quotes and dashes then skips the normalizer's table lookups.
pub(crate) fn plainly_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{02FF}' | '\u{2002}'..='\u{206F}')
}

/// [`collapse_whitespace`] for ASCII text, which is already normalized and holds no invisible
/// marks: most English paragraphs, where this loop is several times faster.
pub(crate) fn collapse_ascii(text: &str, map: impl Fn(u8) -> u8) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for &b in text.as_bytes() {
        // The ASCII members of Unicode White_Space, as `char::is_whitespace` has them.
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(char::from(map(b)));
    }
    out
}

/// The one loop behind both tidying and folding: characters `skip` names are dropped, runs of
/// white space become one space, nothing leads or trails, and every other character goes through
/// `push`.
pub(crate) fn collapse_whitespace(
    chars: impl Iterator<Item = char>,
    capacity: usize,
    skip: impl Fn(char) -> bool,
    mut push: impl FnMut(&mut String, char),
) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if skip(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push(&mut out, c);
    }
    out
}

/// A text capture's paragraphs: each non-blank line is one (browser copies do not hard-wrap).
pub fn text_paragraphs(text: &str) -> Vec<String> {
    text.split(['\n', '\r'])
        .map(tidy_line)
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_tidy_paragraphs() {
        let text = "\u{FEFF}عنوان  الخبر \r\n\r\n\u{200F}فقرة\tأولى\u{200E}\n   \nلا\u{200C}ی\n";
        assert_eq!(text_paragraphs(text), vec!["عنوان الخبر", "فقرة أولى", "لا\u{200C}ی"]);
    }

    #[test]
    fn plainly_nfc_characters_are_nfc_anywhere() {
        use unicode_normalization::char::canonical_combining_class;
        for c in ('\0'..='\u{02FF}').chain('\u{2002}'..='\u{206F}') {
            assert!(plainly_nfc(c));
            let alone = c.to_string();
            assert_eq!(alone.nfc().collect::<String>(), alone, "{c:?} changes under NFC");
            assert_eq!(canonical_combining_class(c), 0, "{c:?} combines");
        }
        // The two quads decompose to spaces of other code points.
        assert!(!plainly_nfc('\u{2000}') && !plainly_nfc('\u{2001}'));
    }
}
