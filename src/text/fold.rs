//! Folding for matching: two spellings a reader takes for the same words fold to the same string.
//!
//! Used to match phrases, markers, fingerprints and repeated lines. It is never applied to the
//! text ghirbal writes.

use unicode_normalization::UnicodeNormalization;

/// Characters that carry no letters: tatweel, harakat and Quranic marks, invisible format marks.
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{0640}'                      // tatweel
        | '\u{0610}'..='\u{061A}'       // Arabic honorific and Quranic signs
        | '\u{064B}'..='\u{065F}'       // harakat, tanween, shadda, sukun
        | '\u{0670}'                    // superscript alef
        | '\u{06D6}'..='\u{06ED}'       // Quranic annotation marks
        | '\u{200B}'..='\u{200F}'       // zero-width space/joiners, LRM, RLM
        | '\u{061C}'                    // Arabic letter mark
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}'       // bidi isolates
        | '\u{FEFF}'                    // BOM / zero-width no-break space
        | '\u{00AD}' // soft hyphen
    )
}

/// Maps letters that Arabic writers use interchangeably onto one form.
pub fn fold_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        'ی' | 'ې' => 'ي',
        // Arabic-Indic and Persian digits fold to ASCII so "٥٠" matches "50".
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// Folds `text` for matching: NFKC, ignorable marks removed, letter variants unified, lower
/// case, runs of white space collapsed to one space, trimmed.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return super::collapse_ascii(text, |b| b.to_ascii_lowercase());
    }
    // Most text is already NFKC; the quick checks spare the normalizer's per-character work.
    if text.chars().all(plainly_nfkc)
        || unicode_normalization::is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        fold_chars(text.chars())
    } else {
        fold_chars(text.nfkc())
    }
}

/// Characters that are NFKC whatever surrounds them: ASCII, the Latin-1 letters, and the quotes
/// and dashes of English text.
fn plainly_nfkc(c: char) -> bool {
    matches!(c, '\0'..='\u{009F}' | '\u{00C0}'..='\u{00FF}' | '\u{2010}' | '\u{2013}' | '\u{2014}' | '\u{2018}'..='\u{201A}' | '\u{201C}'..='\u{201E}' | '\u{2020}'..='\u{2022}')
}

fn fold_chars(chars: impl Iterator<Item = char>) -> String {
    super::collapse_whitespace(chars, 0, is_ignorable, |out, c| {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            return;
        }
        let c = fold_letter(c);
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    })
}

/// True when `c` can be part of a word (so a phrase ending next to it is not a whole-word match).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Strips punctuation and spaces around a folded line, for comparing whole-line markers:
/// "أخبار ذات صلة:" and "« أخبار ذات صلة »" both become "اخبار ذات صله".
pub fn trim_punctuation(folded: &str) -> &str {
    folded.trim_matches(|c: char| !is_word_char(c))
}

/// Whether `phrase` (folded) occurs in `line` (folded) as whole words.
pub fn contains_words(line: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(pos) = line[from..].find(phrase) {
        let start = from + pos;
        let end = start + phrase.len();
        let before_ok = line[..start].chars().next_back().is_none_or(|c| !is_word_char(c));
        let after_ok = line[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if before_ok && after_ok {
            return true;
        }
        from = start + line[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Whether `line` (folded) starts with `phrase` (folded) as whole words, ignoring leading punctuation.
pub fn starts_with_words(line: &str, phrase: &str) -> bool {
    let line = line.trim_start_matches(|c: char| !is_word_char(c));
    !phrase.is_empty()
        && line.starts_with(phrase)
        && line[phrase.len()..].chars().next().is_none_or(|c| !is_word_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_fold_together() {
        let variants = [
            "شاهد أيضاً",
            "شاهد ايضا",
            "شاهد إيضاً",
            "شـاهـد  أيـضـاً",
            "شَاهِدْ أَيْضًا",
            "\u{200F}شاهد آيضا\u{200E}",
        ];
        for v in variants {
            assert_eq!(fold(v), "شاهد ايضا", "variant {v:?}");
        }
        assert_eq!(fold("مدرسة"), fold("مدرسه"));
        assert_eq!(fold("على"), fold("علي"));
        assert_eq!(fold("٥٠ قتيلًا"), "50 قتيلا");
        assert_eq!(fold("Loading…"), "loading...");
    }

    proptest::proptest! {
        /// The ASCII shortcut folds and tidies exactly as the general loop does.
        #[test]
        fn ascii_shortcut_matches_the_general_loop(text in "[\\t\\n\\x0b\\x0c\\r -~\\x1c-\\x1f]{0,40}") {
            proptest::prop_assert_eq!(fold(&text), fold_chars(text.chars()));
            proptest::prop_assert_eq!(
                crate::text::tidy_line(&text),
                crate::text::collapse_whitespace(text.chars(), 0, |_| false, String::push)
            );
        }
    }

    #[test]
    fn plainly_nfkc_characters_are_nfkc_anywhere() {
        use unicode_normalization::char::canonical_combining_class;
        for c in ('\0'..='\u{2100}').filter(|&c| plainly_nfkc(c)) {
            let alone = c.to_string();
            assert_eq!(alone.nfkc().collect::<String>(), alone, "{c:?} changes under NFKC");
            assert_eq!(canonical_combining_class(c), 0, "{c:?} combines");
        }
    }

    #[test]
    fn fold_is_idempotent() {
        for s in ["أخبار ذات صلة", "FacebookTwitter", "  a\tb  ", "ﻻ ﷲ"] {
            let once = fold(s);
            assert_eq!(fold(&once), once);
        }
    }

    #[test]
    fn whole_word_matching() {
        assert!(starts_with_words("شاهد ايضا: بوتين", "شاهد ايضا"));
        assert!(starts_with_words("« شاهد ايضا", "شاهد ايضا"));
        assert!(!starts_with_words("شاهدة ايضا", "شاهد"));
        assert!(contains_words("اضغط هنا اقرا ايضا الخبر", "اقرا ايضا"));
        assert!(!contains_words("فاقرا ايضا", "اقرا ايضا"));
        assert_eq!(trim_punctuation("« اخبار ذات صله »:"), "اخبار ذات صله");
    }
}
