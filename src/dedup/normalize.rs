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

/// Letters of the basic Arabic block (after folding); the rest of it is marks, digits or punctuation.
fn is_arabic_block_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}' | '\u{066F}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}' | '\u{06EF}' | '\u{06FA}'..='\u{06FC}' | '\u{06FF}')
}

/// Appends the normalized form of `text` to `out` (which may already hold text).
pub fn normalize_into(text: &str, out: &mut String) {
    let start = out.len();
    if !push_fast(text, out) {
        out.truncate(start);
        push_mapped(text.nfkc(), out);
    }
}

/// What a character of the fast ranges becomes: dropped, a separator, or a character.
#[derive(Clone, Copy)]
enum Fast {
    Drop,
    Sep,
    Char(char),
}

/// The basic Arabic block, U+0600..=U+06FF, mapped once.
const ARABIC: [Fast; 256] = {
    let mut t = [Fast::Sep; 256];
    let mut i = 0;
    while i < 256 {
        let cp = 0x0600 + i as u32;
        t[i] = match cp {
            0x0610..=0x061A | 0x061C | 0x0640 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED => Fast::Drop,
            0x0660..=0x0669 => Fast::Char((b'0' + (cp - 0x0660) as u8) as char),
            0x06F0..=0x06F9 => Fast::Char((b'0' + (cp - 0x06F0) as u8) as char),
            0x0622 | 0x0623 | 0x0625 | 0x0671 => Fast::Char('ا'),
            0x0649 | 0x06CC | 0x06D0 => Fast::Char('ي'),
            0x0629 => Fast::Char('ه'),
            0x06A9 => Fast::Char('ك'),
            0x0620..=0x064A
            | 0x066E
            | 0x066F
            | 0x0671..=0x06D3
            | 0x06D5
            | 0x06EE
            | 0x06EF
            | 0x06FA..=0x06FC
            | 0x06FF => match char::from_u32(cp) {
                Some(c) => Fast::Char(c),
                None => Fast::Sep,
            },
            _ => Fast::Sep,
        };
        i += 1;
    }
    t
};

/// U+0080..=U+00FF: NBSP and plain Latin-1 punctuation separate, letters lower-case; the few
/// with compatibility forms (ª ² ³ ´ µ ¸ ¹ º ¼ ½ ¾ ¨ ¯) take the general path.
fn latin1(cp: u32) -> Option<Fast> {
    match cp {
        0x00AA | 0x00B2..=0x00B5 | 0x00B8..=0x00BA | 0x00BC..=0x00BE | 0x00A8 | 0x00AF | 0x0080..=0x009F => None,
        0x00AD => Some(Fast::Drop),
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 => Some(Fast::Sep),
        0x00C0..=0x00DE => char::from_u32(cp + 0x20).map(Fast::Char),
        _ => char::from_u32(cp).map(Fast::Char),
    }
}

/// The normalization of text made only of ASCII, Latin-1, the Arabic block and General
/// Punctuation, byte by byte; false (with `out` partly written) at the first other character.
fn push_fast(text: &str, out: &mut String) -> bool {
    let b = text.as_bytes();
    let start = out.len();
    let mut pending = false;
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        // The two hot cases first: ASCII, and an Arabic letter that maps to itself (copied as
        // its two bytes, no decoding or encoding).
        if lead < 0x80 {
            i += 1;
            if lead.is_ascii_alphanumeric() {
                if pending && out.len() > start {
                    out.push(' ');
                }
                pending = false;
                out.push(char::from(lead.to_ascii_lowercase()));
            } else {
                pending = true;
            }
            continue;
        }
        let fast = if (0xD8..=0xDB).contains(&lead) && i + 1 < b.len() {
            let cp = (u32::from(lead & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F);
            let mapped = ARABIC[(cp - 0x0600) as usize];
            if let Fast::Char(c) = mapped
                && c as u32 == cp
            {
                if pending && out.len() > start {
                    out.push(' ');
                }
                pending = false;
                out.push_str(&text[i..i + 2]);
                i += 2;
                continue;
            }
            i += 2;
            mapped
        } else if lead & 0xE0 == 0xC0 && i + 1 < b.len() {
            let cp = (u32::from(lead & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F);
            i += 2;
            if cp > 0xFF {
                return false;
            }
            match latin1(cp) {
                Some(f) => f,
                None => return false,
            }
        } else if lead == 0xE2 && i + 2 < b.len() && (0x80..=0x82).contains(&b[i + 1]) {
            // U+2000..=U+20BF: General Punctuation, then super/subscripts, then currency signs.
            let cp = 0x2000 | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
            i += 3;
            match cp {
                0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F => Fast::Drop,
                0x2000..=0x205F => Fast::Sep,
                // Currency signs separate; ₨ is "Rs" under NFKC and takes the general path.
                0x20A0..=0x20BF if cp != 0x20A8 => Fast::Sep,
                _ => return false,
            }
        } else if lead == 0xEF && b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) {
            i += 3; // U+FEFF
            Fast::Drop
        } else {
            return false;
        };
        match fast {
            Fast::Drop => {}
            Fast::Sep => pending = true,
            Fast::Char(c) => {
                if pending && out.len() > start {
                    out.push(' ');
                }
                pending = false;
                out.push(c);
            }
        }
    }
    true
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
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{2000}'..='\u{206F}').contains(&c) {
            // The common case for Arabic text, without the general Unicode property lookups.
            if is_arabic_block_letter(c) {
                if pending && out.len() > start {
                    out.push(' ');
                }
                pending = false;
                out.push(c);
            } else {
                pending = true;
            }
            continue;
        }
        if c.is_ascii_digit() {
            if pending && out.len() > start {
                out.push(' ');
            }
            pending = false;
            out.push(c);
            continue;
        }
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
        assert_eq!(
            base,
            "اعلن الرييس 50 قتيلا في مدرسه علي الحدود".replace("الرييس", "الرئيس")
        );
        assert_eq!(
            normalize("Hello, WORLD!  It's ＡＢＣ ２０２４."),
            "hello world it s abc 2024"
        );
        assert_eq!(normalize("cafe\u{301}"), normalize("café"));
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_one() {
        for text in [
            "Ça coûte 12,50 € — “très” cher… À BIENTÔT",
            "قال: «هدفنا هو التوازن» – ٢٠٢٤؛ أليس كذلك؟",
            "\u{FEFF}نص\u{00A0}مع\u{200F}علامات\u{00AD}خفية",
            "ÆØÅ æøå ÐÞ ß ÿ × ÷ ¡¿ §©®°±",
        ] {
            let mut fast = String::new();
            assert!(push_fast(text, &mut fast), "{text}");
            let mut general = String::new();
            push_mapped(text.nfkc(), &mut general);
            assert_eq!(fast, general, "{text}");
        }
        let mut out = String::new();
        assert!(!push_fast("x²", &mut out), "superscripts take the general path");
        assert_eq!(normalize("x²"), "x2");
    }
}
