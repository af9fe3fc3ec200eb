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
///
/// Each 64-bit constant is kept as its two 32-bit halves: the top half of `a * x + b` then needs
/// only 32x32-bit products, which the compiler turns into vector instructions (x86 has no vector
/// 64-bit multiply before AVX-512). The result is the same, bit for bit.
struct Family {
    a_lo: [u32; HASHES],
    a_hi: [u32; HASHES],
    b_lo: [u32; HASHES],
    b_hi: [u32; HASHES],
}

const fn splitmix64(state: u64) -> (u64, u64) {
    let state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (state, z ^ (z >> 31))
}

const fn family() -> Family {
    let mut a_lo = [0u32; HASHES];
    let mut a_hi = [0u32; HASHES];
    let mut b_lo = [0u32; HASHES];
    let mut b_hi = [0u32; HASHES];
    // The seed is part of the format: changing it changes every signature.
    let mut state = 0x6768_6972_6261_6C00; // "ghirbal\0"
    let mut i = 0;
    while i < HASHES {
        let (s, x) = splitmix64(state);
        let (s, y) = splitmix64(s);
        state = s;
        // 64-bit odd multiplier and 64-bit addend: the top 32 bits of (a*x + b) mod 2^64 are a
        // strongly universal hash of a 32-bit x (Dietzfelbinger's multiply-add-shift).
        let a = x | 1;
        a_lo[i] = a as u32;
        a_hi[i] = (a >> 32) as u32;
        b_lo[i] = y as u32;
        b_hi[i] = (y >> 32) as u32;
        i += 1;
    }
    Family { a_lo, a_hi, b_lo, b_hi }
}

static FAMILY: Family = family();

impl Family {
    /// h_i(x) = (a_i * x + b_i) mod 2^64 >> 32, from the halves (a_lo * x + b_lo cannot
    /// overflow 64 bits).
    #[inline(always)]
    fn hash(&self, i: usize, x: u32) -> u32 {
        let low = u64::from(self.a_lo[i]) * u64::from(x) + u64::from(self.b_lo[i]);
        ((low >> 32) as u32)
            .wrapping_add(self.a_hi[i].wrapping_mul(x))
            .wrapping_add(self.b_hi[i])
    }
}

/// The signature of a normalized text (words separated by single spaces). A text shorter than
/// one shingle is one shingle; an empty text has the all-max signature.
pub fn signature(normalized: &str) -> Signature {
    let mut sig = [u32::MAX; HASHES];
    let mut add = |shingle: &str| {
        let h = xxh3_64(shingle.as_bytes());
        let x = (h ^ (h >> 32)) as u32;
        let f = &FAMILY;
        for (i, s) in sig.iter_mut().enumerate() {
            *s = (*s).min(f.hash(i, x));
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
    fn split_halves_give_the_64_bit_hash() {
        let f = &FAMILY;
        let mut x = 0x9E37_79B9u32;
        for _ in 0..10_000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            for i in 0..HASHES {
                let a = (u64::from(f.a_hi[i]) << 32) | u64::from(f.a_lo[i]);
                let b = (u64::from(f.b_hi[i]) << 32) | u64::from(f.b_lo[i]);
                let want = (a.wrapping_mul(u64::from(x)).wrapping_add(b) >> 32) as u32;
                assert_eq!(f.hash(i, x), want);
            }
        }
    }

    #[test]
    fn signatures_are_fixed() {
        // Pinned: a change here changes every signature ever written.
        let sig = signature("one two three four five six");
        assert_eq!(&sig[..4], &[691384007, 1725838172, 1307390462, 352541666]);
        assert_eq!(band_keys(&sig)[0], 0x11d79ad98c1905e1);
    }
}
