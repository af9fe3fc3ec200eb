//! Normalization for hashing and exact document identity.

use sha2::{Digest, Sha256};

use crate::text::fold::fold;

/// The text as compared for identity: folded (letters, marks, digits, case, spaces) and with
/// punctuation treated as space, so that two copies differing only in spelling habits collide.
pub fn normalize_for_hash(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Lower-case hex SHA-256 of the normalized text.
pub fn document_sha256(text: &str) -> String {
    let digest = Sha256::digest(normalize_for_hash(text).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
        assert_eq!(document_sha256("").len(), 64);
    }
}
