//! Dedup throughput: normalization + hashing, MinHash signatures, and memory for 100,000 documents.
//!
//! `cargo bench --bench dedup` — one thread; documents are built from the paragraphs of the seed
//! captures in `samples/`, shuffled and numbered so that every document is distinct.

use std::time::{Duration, Instant};

use ghirbal::dedup::{NearIndex, minhash, normalized_text_with_keys, sha256_of_normalized};

const DOCUMENTS: usize = 100_000;

fn seed_paragraphs() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut paragraphs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        if f.to_string_lossy().ends_with(".expected.txt") {
            let text = std::fs::read_to_string(&f).expect("readable sample");
            paragraphs.extend(
                text.split("\n\n")
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty()),
            );
        }
    }
    paragraphs
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn document(pool: &[String], rng: &mut Rng, n: usize) -> String {
    let count = 8 + (rng.next() % 12) as usize;
    let mut doc = format!("الخبر رقم {n}\n\n");
    for _ in 0..count {
        doc.push_str(&pool[(rng.next() % pool.len() as u64) as usize]);
        doc.push_str("\n\n");
    }
    doc
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() {
    let pool = seed_paragraphs();
    assert!(!pool.is_empty(), "samples/*.expected.txt give the paragraphs");
    let mut rng = Rng(42);
    let mut bytes = 0usize;
    let mut t_hash = Duration::ZERO;
    let mut t_minhash = Duration::ZERO;
    let mut index = NearIndex::default();
    let mut shas = std::collections::HashSet::new();
    let mut near = 0usize;
    let rss_before = peak_rss_mib();
    for n in 0..DOCUMENTS {
        let doc = document(&pool, &mut rng, n);
        bytes += doc.len();

        let start = Instant::now();
        let (normalized, keys) = normalized_text_with_keys(&doc);
        let sha = sha256_of_normalized(&normalized);
        t_hash += start.elapsed();
        std::hint::black_box(&keys);

        let start = Instant::now();
        let sig = minhash::signature(&normalized);
        t_minhash += start.elapsed();

        shas.insert(sha);
        if index.find(&sig, 0.8).is_some() {
            near += 1;
        } else {
            index.insert(sig);
        }
    }
    let mb = bytes as f64 / 1e6;
    println!("documents: {DOCUMENTS}, text: {mb:.1} MB (from the paragraphs of samples/)");
    println!(
        "normalization + hashing (normalized paragraphs, their xxh3 keys, the document's SHA-256): {:.1} MB/s per core",
        mb / t_hash.as_secs_f64()
    );
    println!(
        "MinHash signatures (112 hashes, 5-word shingles): {:.1} MB/s per core",
        mb / t_minhash.as_secs_f64()
    );
    println!(
        "index of {} signatures ({} near-duplicates found among the random mixes); peak memory {:.1} MiB (before: {:.1} MiB)",
        DOCUMENTS - near,
        near,
        peak_rss_mib(),
        rss_before
    );
}
