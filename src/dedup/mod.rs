//! Deduplication by hash: normalization, exact document identity (SHA-256), paragraph keys for
//! site-template learning (xxh3), and MinHash/LSH near-duplicates.

pub mod minhash;
pub mod normalize;
pub mod template;

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::xxh3_64;

pub use normalize::normalize as normalize_for_hash;

/// SHA-256 of an already normalized text.
pub fn sha256_of_normalized(normalized: &str) -> [u8; 32] {
    Sha256::digest(normalized.as_bytes()).into()
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Lower-case hex SHA-256 of the normalized text.
pub fn document_sha256(text: &str) -> String {
    hex(&sha256_of_normalized(&normalize_for_hash(text)))
}

/// Normalizes a document paragraph by paragraph: the normalized text (as [`normalize_for_hash`]
/// of the whole would give) and each paragraph's key, in one pass over the text.
pub fn normalized_with_keys<'a>(paragraphs: impl Iterator<Item = &'a str>) -> (String, Vec<Option<u64>>) {
    normalized_with_keys_sized(paragraphs, 0)
}

/// [`normalized_with_keys`] of a written text (paragraphs one per line, blank lines between),
/// with the output allocated once.
pub fn normalized_text_with_keys(text: &str) -> (String, Vec<Option<u64>>) {
    // memchr finds the line ends far faster than a char search.
    let mut start = 0;
    let lines = memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .map(move |end| {
            let line = &text[start..end];
            start = end + 1;
            line
        });
    normalized_with_keys_sized(lines.filter(|p| !p.is_empty()), text.len())
}

fn normalized_with_keys_sized<'a>(
    paragraphs: impl Iterator<Item = &'a str>,
    capacity: usize,
) -> (String, Vec<Option<u64>>) {
    let mut text = String::with_capacity(capacity);
    let mut keys = Vec::new();
    for p in paragraphs {
        let start = text.len();
        if start > 0 {
            text.push(' ');
        }
        let body = text.len();
        normalize::normalize_into(p, &mut text);
        if text.len() == body {
            text.truncate(start);
            keys.push(None);
        } else {
            keys.push(Some(xxh3_64(&text.as_bytes()[body..])));
        }
    }
    (text, keys)
}

/// The 64-bit key of a paragraph: xxh3 of its normalized form. Empty after normalization
/// (punctuation only) gives None: such a line has no identity worth learning.
pub fn paragraph_key(paragraph: &str) -> Option<u64> {
    let n = normalize_for_hash(paragraph);
    (!n.is_empty()).then(|| xxh3_64(n.as_bytes()))
}

/// Near-duplicate options.
#[derive(Debug, Clone, Copy)]
pub struct NearOptions {
    /// Estimated Jaccard similarity at or above which a later document is a near-duplicate.
    pub threshold: f64,
}

/// Finds, in path order, the earlier kept document a new one nearly duplicates.
#[derive(Default)]
pub struct NearIndex {
    buckets: HashMap<u64, Vec<usize>>,
    signatures: Vec<minhash::Signature>,
}

impl NearIndex {
    /// The best earlier match (highest similarity, then earliest) at or above the threshold.
    pub fn find(&self, sig: &minhash::Signature, threshold: f64) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        let mut seen: Vec<usize> = Vec::new();
        for key in minhash::band_keys(sig) {
            for &doc in self.buckets.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                if seen.contains(&doc) {
                    continue;
                }
                seen.push(doc);
                let s = minhash::similarity(sig, &self.signatures[doc]);
                if s >= threshold && best.is_none_or(|(b, bs)| s > bs || (s == bs && doc < b)) {
                    best = Some((doc, s));
                }
            }
        }
        best
    }

    /// Adds a kept document; returns its index in this index.
    pub fn insert(&mut self, sig: minhash::Signature) -> usize {
        let id = self.signatures.len();
        for key in minhash::band_keys(&sig) {
            self.buckets.entry(key).or_default().push(id);
        }
        self.signatures.push(sig);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_and_spacing_variants_share_a_hash() {
        let a = "وصول بوتين إلى كوريا الشمالية.\n\nفقرة ثانية، هنا!";
        let b = "وصـول بوتينَ الى كوريا الشمالية \r\n\r\n فقرة ثانية ، هنا";
        assert_eq!(document_sha256(a), document_sha256(b));
        assert_ne!(document_sha256(a), document_sha256("وصول بوتين إلى فيتنام."));
        assert_eq!(
            document_sha256(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "SHA-256 of nothing"
        );
        assert_eq!(paragraph_key("« — »"), None);
        let paragraphs = ["أخبار ذات صلة:", "« — »", "Café, ١٢٣ — “quoted”", "وصـول بوتين"];
        let (joined, keys) = normalized_with_keys(paragraphs.iter().copied());
        assert_eq!(joined, normalize_for_hash(&paragraphs.join("\n\n")));
        assert_eq!(keys, paragraphs.iter().map(|p| paragraph_key(p)).collect::<Vec<_>>());
        assert_eq!(
            normalized_text_with_keys(&(paragraphs.join("\n\n") + "\n")),
            (joined, keys)
        );
        assert_eq!(paragraph_key("أخبار ذات صلة"), paragraph_key("اخبار ذات صله:"));
    }

    #[test]
    fn the_near_index_returns_the_best_earlier_match() {
        let text = |salt: &str| (0..120).map(|i| format!("w{i}{salt}")).collect::<Vec<_>>().join(" ");
        let mut index = NearIndex::default();
        let a = minhash::signature(&text(""));
        index.insert(a);
        index.insert(minhash::signature(&text("other")));
        let near = minhash::signature(&text("").replacen("w5 ", "changed ", 1));
        let (doc, sim) = index.find(&near, 0.8).expect("a match");
        assert_eq!(doc, 0);
        assert!(sim > 0.8 && sim < 1.0, "{sim}");
        assert!(index.find(&minhash::signature(&text("new")), 0.8).is_none());
    }
}
