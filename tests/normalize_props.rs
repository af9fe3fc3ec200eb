//! Properties of the normalization for hashing: idempotent; every spelling variant of one
//! sentence collides; different sentences do not.

use ghirbal::dedup::normalize_for_hash as normalize;
use proptest::prelude::*;

/// Base words, distinct after normalization, with hamza/alef, final yaa and taa marbuta in them.
const WORDS: &[&str] = &[
    "أعلن",
    "إبراهيم",
    "آخر",
    "الرئيس",
    "على",
    "مدرسة",
    "في",
    "القاهرة",
    "وزارة",
    "اقتصاد",
    "مستشفى",
    "أسعار",
    "النفط",
    "قال",
    "إن",
    "الحكومة",
    "سوف",
    "تبني",
    "جسرا",
    "جديدا",
    "فوق",
    "النهر",
    "ضربة",
    "الكبرى",
];

const HARAKAT: &[char] = &[
    '\u{064B}', '\u{064C}', '\u{064D}', '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}', '\u{0652}',
];
const INVISIBLE: &[char] = &[
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{2066}', '\u{2069}', '\u{202B}',
];
const SEPARATORS: &[&str] = &[
    " ", "  ", "\t", " \r\n", "، ", " ؛ ", "؟ ", ", ", ". ", " - ", " « ", "» ", "\u{00A0}",
];

/// One word respelled: alef forms swapped, final yaa/alef maqsura and taa marbuta/haa swapped,
/// tatweel, harakat and invisible marks sprinkled in.
fn respell(word: &str, choices: &[u8]) -> String {
    let mut out = String::new();
    let chars: Vec<char> = word.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let pick = choices[i % choices.len()];
        let last = i + 1 == chars.len();
        let c = match c {
            'ا' | 'أ' | 'إ' | 'آ' => ['ا', 'أ', 'إ', 'آ', 'ٱ'][usize::from(pick) % 5],
            'ى' | 'ي' if last => ['ى', 'ي'][usize::from(pick) % 2],
            'ة' | 'ه' if last => ['ة', 'ه'][usize::from(pick) % 2],
            other => other,
        };
        out.push(c);
        match pick % 7 {
            1 => out.push(HARAKAT[usize::from(pick) % HARAKAT.len()]),
            2 if !last => out.push('\u{0640}'),
            3 => out.push(INVISIBLE[usize::from(pick) % INVISIBLE.len()]),
            _ => {}
        }
    }
    out
}

fn sentence(words: &[usize]) -> String {
    words.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ")
}

proptest! {
    #[test]
    fn normalization_is_idempotent(text in "\\PC{0,80}") {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn every_variant_of_a_sentence_collides(
        words in prop::collection::vec(0..WORDS.len(), 1..12),
        choices in prop::collection::vec(any::<u8>(), 1..16),
        seps in prop::collection::vec(0..SEPARATORS.len(), 12),
        number in 0u32..100_000,
        digit_style in 0..3usize,
    ) {
        let plain = format!("{} {number}", sentence(&words));
        let digits: String = number.to_string().chars().map(|d| {
            let v = d.to_digit(10).unwrap_or(0);
            match digit_style {
                0 => d,
                1 => char::from_u32(0x0660 + v).unwrap_or(d),
                _ => char::from_u32(0x06F0 + v).unwrap_or(d),
            }
        }).collect();
        let mut variant = String::from(SEPARATORS[seps[0]]);
        for (i, &w) in words.iter().enumerate() {
            variant.push_str(&respell(WORDS[w], &choices[i % choices.len()..]));
            variant.push_str(SEPARATORS[seps[i % seps.len()]]);
        }
        variant.push_str(&digits);
        prop_assert_eq!(normalize(&variant), normalize(&plain), "variant {:?}", variant);
    }

    #[test]
    fn different_sentences_do_not_collide(
        a in prop::collection::vec(0..WORDS.len(), 1..10),
        b in prop::collection::vec(0..WORDS.len(), 1..10),
    ) {
        prop_assume!(a != b);
        prop_assert_ne!(normalize(&sentence(&a)), normalize(&sentence(&b)));
    }
}

#[test]
fn the_word_list_is_distinct_after_normalization() {
    let mut seen: Vec<String> = WORDS.iter().map(|w| normalize(w)).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), WORDS.len());
}
