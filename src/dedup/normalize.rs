//! Normalization for hashing (never applied to the written text): two copies of a text that differ
//! only in how they were typed normalize to the same string.
//!
//! NFKC, case folding, punctuation and white space folded to single spaces, digits unified
//! (Arabic-Indic, Persian, ASCII), tatweel and harakat removed, alef/hamza forms (أ إ آ ٱ) -> ا,
//! ى -> ي, ة -> ه, zero-width and direction marks removed.
//!
//! Speed matters (the whole corpus passes through here): ASCII and the Arabic block are mapped
//! directly, character by character; only a paragraph holding other scripts goes through the
//! general NFKC normalizer first.

use unicode_normalization::UnicodeNormalization;

use crate::text::fold::{fold_letter, is_ignorable};

/// Characters whose NFKC is themselves and that need no composition with neighbours, once the
/// Arabic marks are dropped: ASCII and the basic Arabic block.
fn is_fast(c: char) -> bool {
    c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) || is_ignorable(c)
}

/// Appends the normalized form of `text` to `out` (which may already hold text).
pub fn normalize_into(text: &str, out: &mut String) {
    if text.chars().all(is_fast) {
        push_mapped(text.chars(), out);
    } else {
        push_mapped(text.nfkc(), out);
    }
}

/// The normalized form of `text`.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

fn push_mapped(chars: impl Iterator<Item = char>, out: &mut String) {
    // A separator is written lazily, so runs of punctuation and space become one space and
    // nothing leads or trails.
    let mut pending = false;
    let start = out.len();
    for c in chars {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if pending && out.len() > start {
                    out.push(' ');
                }
                pending = false;
                out.push(c.to_ascii_lowercase());
            } else {
                pending = true;
            }
            continue;
        }
        if is_ignorable(c) {
            continue;
        }
        let c = fold_letter(c);
        if c.is_alphanumeric() {
            if pending && out.len() > start {
                out.push(' ');
            }
            pending = false;
            if c.is_uppercase() {
                // Lower case can add a combining mark ("İ" -> "i̇"); marks are dropped here as
                // everywhere, so a second pass changes nothing.
                out.extend(c.to_lowercase().filter(|l| !is_mark(*l)));
            } else {
                out.push(c);
            }
        } else if !is_mark(c) {
            pending = true;
        }
    }
}

/// Combining marks left after NFKC (Latin accents stay composed; stray ones are dropped).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_variant_folds() {
        let base = normalize("أعلن الرئيس 50 قتيلا، في مدرسة على الحدود؟");
        for variant in [
            "اعلن الرئيس ٥٠ قتيلا في مدرسه علي الحدود",
            "إعلن  الرئيـــس ۵۰ قتيلاً ، في مدرسة على الحدود ?",
            "آعلن الرَّئِيسُ\u{200F} 50 قتيلا؛ في مدرسة\u{200B} على الحدود!",
            "ٱعلن الرئيس 50 قتيلا\r\nفي مدرسة على الحدود",
            "ﺃﻋﻠﻦ الرئيس 50 قتيلا في مدرسة على الحدود", // presentation forms
        ] {
            assert_eq!(normalize(variant), base, "{variant}");
        }
        assert_eq!(base, "اعلن الرييس 50 قتيلا في مدرسه علي الحدود".replace("الرييس", "الرئيس"));
        assert_eq!(normalize("Hello, WORLD!  It's ＡＢＣ ２０２４."), "hello world it s abc 2024");
        assert_eq!(normalize("cafe\u{301}"), normalize("café"));
    }
}
