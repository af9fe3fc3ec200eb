//! Cleaning any decoded capture, as text and as HTML, with the built-in rules; then hashing it
//! for dedup. Nothing may panic, and the output keeps its promises: paragraphs separated by one
//! blank line, no trailing spaces, NFC.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn book() -> &'static ghirbal::rules::RuleBook {
    static BOOK: OnceLock<ghirbal::rules::RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| ghirbal::rules::RuleBook::builtin().unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["page.txt", "page.html"] {
        let Ok(capture) = ghirbal::capture::decode_capture(
            text.as_bytes(),
            name,
            Some("utf-8"),
            Some("https://www.example.com/news/1".into()),
            text.len() as u64,
        ) else {
            continue;
        };
        let Ok(cleaned) = ghirbal::pipeline::clean_capture(&capture, book()) else {
            continue;
        };
        let out = cleaned.cleaned.text();
        assert!(!out.contains("\n\n\n"), "{out:?}");
        assert!(unicode_normalization::is_nfc(&out), "not NFC: {out:?}");
        for line in out.lines() {
            assert_eq!(line, line.trim_end(), "trailing space in {out:?}");
        }
        let (normalized, _) = ghirbal::dedup::normalized_text_with_keys(&out);
        let _ = ghirbal::dedup::sha256_of_normalized(&normalized);
        let _ = ghirbal::dedup::minhash::signature(&normalized);
    }
});
