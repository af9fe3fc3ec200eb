//! MinHash signatures over word shingles, and LSH banding to find candidate near-duplicates.
//!
//! The hash family is fixed (seeded constants), so signatures are the same across runs, machines
//! and versions that keep these constants.

use xxhash_rust::xxh3::xxh3_64;

/// Hash functions in a signature.
pub const HASHES: usize = 112;
/// LSH bands, each of `ROWS` hashes: 14 x 8 = 112.
pub const BANDS: usize = 14;
pub const ROWS: usize = HASHES / BANDS;
/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;

pub type Signature = [u32; HASHES];

/// The seeded (multiplier, addend) pairs of the hash family h_i(x) = ((a_i * x + b_i) mod 2^64) >> 32
/// over a 32-bit folding of each shingle's 64-bit hash.
struct Family {
    a: [u64; HASHES],
    b: [u64; HASHES],
}

const fn splitmix64(state: u64) -> (u64, u64) {
    let state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (state, z ^ (z >> 31))
}

const fn family() -> Family {
    let mut a = [0u64; HASHES];
    let mut b = [0u64; HASHES];
    // The seed is part of the format: changing it changes every signature.
    let mut state = 0x6768_6972_6261_6C00; // "ghirbal\0"
    let mut i = 0;
    while i < HASHES {
        let (s, x) = splitmix64(state);
        let (s, y) = splitmix64(s);
        state = s;
        // 64-bit odd multiplier and 64-bit addend: the top 32 bits of (a*x + b) mod 2^64 are a
        // strongly universal hash of a 32-bit x (Dietzfelbinger's multiply-add-shift).
        a[i] = x | 1;
        b[i] = y;
        i += 1;
    }
    Family { a, b }
}

static FAMILY: Family = family();

/// The signature of a normalized text (words separated by single spaces). A text shorter than
/// one shingle is one shingle; an empty text has the all-max signature.
pub fn signature(normalized: &str) -> Signature {
    let mut sig = [u32::MAX; HASHES];
    let mut add = |shingle: &str| {
        let h = xxh3_64(shingle.as_bytes());
        let x = (h ^ (h >> 32)) & 0xFFFF_FFFF;
        for ((s, a), b) in sig.iter_mut().zip(&FAMILY.a).zip(&FAMILY.b) {
            let v = (a.wrapping_mul(x).wrapping_add(*b) >> 32) as u32;
            *s = (*s).min(v);
        }
    };
    // Word starts, then each window of SHINGLE_WORDS words is a substring of the text.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(normalized.match_indices(' ').map(|(i, _)| i + 1))
        .filter(|_| !normalized.is_empty())
        .collect();
    if starts.len() <= SHINGLE_WORDS {
        if !normalized.is_empty() {
            add(normalized);
        }
        return sig;
    }
    for w in 0..=starts.len() - SHINGLE_WORDS {
        let end = starts.get(w + SHINGLE_WORDS).map_or(normalized.len(), |&s| s - 1);
        add(&normalized[starts[w]..end]);
    }
    sig
}

/// The estimated Jaccard similarity of two signatures: the share of equal minima.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

/// The key of each band: documents sharing any band key are candidates.
pub fn band_keys(sig: &Signature) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let rows = &sig[band * ROWS..(band + 1) * ROWS];
        let mut bytes = [0u8; ROWS * 4 + 1];
        bytes[0] = band as u8;
        for (i, r) in rows.iter().enumerate() {
            bytes[1 + i * 4..5 + i * 4].copy_from_slice(&r.to_le_bytes());
        }
        *key = xxh3_64(&bytes);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, salt: &str) -> String {
        (0..n).map(|i| format!("w{i}{salt}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn similar_texts_have_similar_signatures() {
        let a = words(200, "");
        let b = a.replacen("w10 ", "x10 ", 1);
        let c = words(200, "z");
        assert_eq!(similarity(&signature(&a), &signature(&a)), 1.0);
        assert!(similarity(&signature(&a), &signature(&b)) > 0.85);
        assert!(similarity(&signature(&a), &signature(&c)) < 0.1);
    }

    #[test]
    fn signatures_are_fixed() {
        // Pinned: a change here changes every signature ever written.
        let sig = signature("one two three four five six");
        assert_eq!(&sig[..4], &[691384007, 1725838172, 1307390462, 352541666]);
        assert_eq!(band_keys(&sig)[0], 0x11d79ad98c1905e1);
    }
}
