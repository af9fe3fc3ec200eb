//! Scale-out. `clean --shard K/N` runs pass 1 over its share of the inputs (chosen by a stable
//! hash of each file's path) and writes one shard file; `merge` reads the N shard files and runs
//! passes 2 and 3 over the whole batch, so that its output is the same bytes as one machine's run.
//!
//! A shard file, `shard-K-of-N.jsonl`, is JSON lines: a header, then one line per document with
//! its pass-1 manifest entry, paragraph keys, template group, metadata and cleaned text. It is
//! the "mergeable dedup index": every corpus-wide decision (templates, duplicates,
//! near-duplicates) is taken at merge time from what it holds.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::{BatchReport, CleanOptions, FatalError, Pass1, check_out_dir, decide, pass_one, remove_stale_temps};
use crate::output;
use crate::rules::RuleBook;

/// Shard `index` of `count` (0-based, as Kubernetes' `JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not K/N (for example 0/4: the first of four shards)"))?;
        let index: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("`{k}` in `{s}` is not a shard number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` in `{s}` is not a shard count"))?;
        if count == 0 {
            return Err(format!("`{s}`: the shard count must be at least 1"));
        }
        if index >= count {
            return Err(format!(
                "`{s}`: shards are numbered from 0 to {} (K is 0-based)",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the input file at `rel` (relative to its INPUT) is this shard's. The hash is of
    /// the path only, so every shard, on any machine, splits the same inputs the same way.
    pub fn owns(&self, rel: &str) -> bool {
        xxh3_64(rel.as_bytes()) % self.count as u64 == self.index as u64
    }

    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.jsonl", self.index, self.count)
    }
}

const SHARD_FORMAT: &str = "ghirbal-shard";
const SHARD_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    format_version: u32,
    ghirbal: String,
    shard: usize,
    shards: usize,
    /// [`RuleBook::digest`] of the rules pass 1 ran with.
    rules: String,
    max_bytes: u64,
    documents: usize,
    warc_records_skipped: usize,
}

#[derive(Serialize)]
struct LineOut<'a> {
    doc: &'a Pass1,
    text: Option<&'a str>,
}

#[derive(Deserialize)]
struct LineIn {
    doc: Pass1,
    text: Option<String>,
}

/// Pass 1 over this shard's inputs, written to `opts.out/shard-K-of-N.jsonl`. Several shards
/// may share one `--out` folder: each works in a hidden folder of its own.
pub fn run_shard(
    inputs: &[PathBuf],
    book: &RuleBook,
    opts: &CleanOptions,
    shard: Shard,
) -> Result<BatchReport, FatalError> {
    check_out_dir(inputs, &opts.out)?;
    let path = opts.out.join(shard.file_name());
    let work = opts.out.join(format!(".shard-{}-of-{}.work", shard.index, shard.count));
    let work_opts = CleanOptions {
        out: work.clone(),
        ..opts.clone()
    };
    let pool = super::worker_pool(opts.jobs)?;
    let (first, warc_records_skipped) = pass_one(inputs, book, &work_opts, Some(shard), &pool)?;
    let header = Header {
        format: SHARD_FORMAT.into(),
        format_version: SHARD_FORMAT_VERSION,
        ghirbal: env!("CARGO_PKG_VERSION").into(),
        shard: shard.index,
        shards: shard.count,
        rules: book.digest(),
        max_bytes: opts.max_bytes,
        documents: first.len(),
        warc_records_skipped,
    };
    let written = write_shard_file(&path, &header, &first);
    let _ = std::fs::remove_dir_all(&work);
    written.map_err(|source| FatalError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(BatchReport {
        entries: first.into_iter().map(|d| d.entry).collect(),
        warc_records_skipped,
    })
}

fn write_shard_file(path: &Path, header: &Header, docs: &[Pass1]) -> std::io::Result<()> {
    output::write_atomic_with(path, |w| {
        serde_json::to_writer(&mut *w, header)?;
        w.write_all(b"\n")?;
        for d in docs {
            let text = d.temp.as_ref().map(std::fs::read_to_string).transpose()?;
            serde_json::to_writer(
                &mut *w,
                &LineOut {
                    doc: d,
                    text: text.as_deref(),
                },
            )?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

/// The shard files named by `sources`: files as given, folders for their `shard-*-of-*.jsonl`.
fn shard_files(sources: &[PathBuf]) -> Result<Vec<PathBuf>, FatalError> {
    let mut files = Vec::new();
    for source in sources {
        if source.is_dir() {
            let entries = std::fs::read_dir(source).map_err(|e| merge_error(source, e.to_string()))?;
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".jsonl") && n.contains("-of-"))
                })
                .collect();
            if found.is_empty() {
                return Err(merge_error(source, "no shard-K-of-N.jsonl file in this folder".into()));
            }
            found.sort();
            files.extend(found);
        } else if source.is_file() {
            files.push(source.clone());
        } else {
            return Err(merge_error(source, "no such file or folder".into()));
        }
    }
    Ok(files)
}

fn merge_error(path: &Path, message: String) -> FatalError {
    FatalError::Merge(format!("{}: {message}", path.display()))
}

fn read_header(path: &Path) -> Result<Header, FatalError> {
    let file = std::fs::File::open(path).map_err(|e| merge_error(path, format!("cannot read: {e}")))?;
    let mut first = String::new();
    BufReader::new(file)
        .read_line(&mut first)
        .map_err(|e| merge_error(path, format!("cannot read: {e}")))?;
    let header: Header = serde_json::from_str(&first)
        .map_err(|e| merge_error(path, format!("line 1 is not a ghirbal shard header ({e})")))?;
    if header.format != SHARD_FORMAT || header.format_version != SHARD_FORMAT_VERSION {
        return Err(merge_error(
            path,
            format!(
                "shard format {} version {} is not {SHARD_FORMAT} version {SHARD_FORMAT_VERSION}",
                header.format, header.format_version
            ),
        ));
    }
    Ok(header)
}

/// Every shard of one run, once: the same count, rules, limits and ghirbal version.
fn check_complete(files: &[PathBuf], headers: &[Header]) -> Result<(), FatalError> {
    let (Some(first), Some(first_path)) = (headers.first(), files.first()) else {
        return Err(FatalError::Merge("no shard files given".into()));
    };
    let mut seen: Vec<Option<&Path>> = vec![None; first.shards];
    for (h, path) in headers.iter().zip(files) {
        let differs = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            merge_error(
                path,
                format!(
                    "its {what} ({a}) differs from {} ({b}); shards of one run must all be made the same way",
                    first_path.display()
                ),
            )
        };
        if h.shards != first.shards {
            return Err(differs("shard count", &h.shards, &first.shards));
        }
        if h.rules != first.rules {
            return Err(differs("rules digest", &h.rules, &first.rules));
        }
        if h.max_bytes != first.max_bytes {
            return Err(differs("--max-bytes", &h.max_bytes, &first.max_bytes));
        }
        if h.ghirbal != first.ghirbal {
            return Err(differs("ghirbal version", &h.ghirbal, &first.ghirbal));
        }
        match seen.get_mut(h.shard) {
            Some(Some(other)) => {
                return Err(merge_error(
                    path,
                    format!("shard {} of {} is also in {}", h.shard, h.shards, other.display()),
                ));
            }
            Some(slot) => *slot = Some(path),
            None => {
                return Err(merge_error(
                    path,
                    format!("its shard number {} is out of range for {} shards", h.shard, h.shards),
                ));
            }
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(k, _)| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(FatalError::Merge(format!(
            "shard(s) {} of {} missing (expected shard-K-of-{}.jsonl for K = 0..{})",
            missing.join(", "),
            first.shards,
            first.shards,
            first.shards - 1
        )));
    }
    Ok(())
}

/// Reads one shard file back into pass-1 documents, their texts in temporary files under `out`.
fn load_shard(path: &Path, header: &Header, out: &Path) -> Result<Vec<Pass1>, FatalError> {
    let file = std::fs::File::open(path).map_err(|e| merge_error(path, format!("cannot read: {e}")))?;
    let mut docs = Vec::with_capacity(header.documents);
    for (n, line) in BufReader::new(file).lines().enumerate().skip(1) {
        let line = line.map_err(|e| merge_error(path, format!("line {}: cannot read: {e}", n + 1)))?;
        let LineIn { mut doc, text } = serde_json::from_str(&line)
            .map_err(|e| merge_error(path, format!("line {}: not a shard document ({e})", n + 1)))?;
        if let Some(text) = text {
            let temp = output::temp_path(
                &out.join(output::output_rel(&doc.entry.path)),
                &format!("m{}-{n}", header.shard),
            );
            output::write_temp(&temp, text.as_bytes()).map_err(|source| FatalError::Write {
                path: temp.display().to_string(),
                source,
            })?;
            doc.temp = Some(temp);
        }
        docs.push(doc);
    }
    if docs.len() != header.documents {
        return Err(merge_error(
            path,
            format!(
                "holds {} document(s), its header says {}: the file is cut short",
                docs.len(),
                header.documents
            ),
        ));
    }
    Ok(docs)
}

/// Merges the shard files named by `sources` (files, or folders holding them) into `opts.out`:
/// passes 2 and 3 over all their documents, as one machine's run would.
pub fn run_merge(sources: &[PathBuf], opts: &CleanOptions) -> Result<BatchReport, FatalError> {
    let files = shard_files(sources)?;
    let headers = files.iter().map(|f| read_header(f)).collect::<Result<Vec<_>, _>>()?;
    check_complete(&files, &headers)?;
    check_out_dir(&[], &opts.out)?;
    remove_stale_temps(&opts.out);
    let pool = super::worker_pool(opts.jobs)?;
    let loaded: Result<Vec<Vec<Pass1>>, FatalError> = pool.install(|| {
        files
            .par_iter()
            .zip(headers.par_iter())
            .map(|(f, h)| load_shard(f, h, &opts.out))
            .collect()
    });
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            remove_stale_temps(&opts.out);
            return Err(e);
        }
    };
    let mut first: Vec<Pass1> = loaded.into_iter().flatten().collect();
    first.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
    let mut report = decide(first, opts, &pool)?;
    report.warc_records_skipped = headers.iter().map(|h| h.warc_records_skipped).sum();
    Ok(report)
}
