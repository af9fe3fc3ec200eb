//! A batch, in three passes:
//! 1. (parallel) read, decode and clean every capture; write its text to a temporary file and
//!    keep only its paragraph keys;
//! 2. learn each site's template paragraphs from those keys; (parallel) remove them, hash the
//!    final text (SHA-256) and sign it (MinHash);
//! 3. (in path order) decide duplicates and near-duplicates, rename outputs into place, write
//!    the manifest.
//!
//! Memory grows with the number of documents and distinct paragraph keys, not with the text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::capture::{self, InputFile, Kind};
use crate::dedup::template::{TEMPLATE_ID, TemplateCounter, TemplateOptions, Templates};
use crate::dedup::{self, NearIndex, minhash};
use crate::extract::{self, Metadata};
use crate::output::{self, ManifestEntry, Status};
use crate::rules::{RuleBook, host_of};
use crate::text::{engine, text_paragraphs};

mod shard;
pub use shard::{Shard, run_merge, run_shard};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Txt,
    Jsonl,
}

#[derive(Debug, Clone)]
pub struct CleanOptions {
    pub out: PathBuf,
    /// Progress reports on standard error while the first pass runs.
    pub progress: bool,
    /// Seconds between progress log lines when standard error is not a terminal.
    pub progress_every: f64,
    pub format: Format,
    pub jobs: usize,
    /// Exact and near-duplicate detection.
    pub dedup: bool,
    pub max_bytes: u64,
    /// Learn and remove site-template paragraphs; None switches it off.
    pub template: Option<TemplateOptions>,
    /// Near-duplicate threshold (estimated Jaccard); None switches near-duplicates off.
    pub near_threshold: Option<f64>,
    /// Write no output for near-duplicates.
    pub drop_near_duplicates: bool,
}

impl CleanOptions {
    /// The defaults of the command line, writing to `out`.
    pub fn new(out: PathBuf) -> Self {
        CleanOptions {
            out,
            progress: false,
            progress_every: 10.0,
            format: Format::Txt,
            jobs: 1,
            dedup: true,
            max_bytes: 64 * 1024 * 1024,
            template: Some(TemplateOptions::default()),
            near_threshold: Some(DEFAULT_NEAR_THRESHOLD),
            drop_near_duplicates: false,
        }
    }
}

/// Default estimated-Jaccard threshold for near-duplicates.
pub const DEFAULT_NEAR_THRESHOLD: f64 = 0.8;

/// Why a batch could not run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum FatalError {
    #[error("input {0}: no such file or folder")]
    MissingInput(String),
    #[error("--out {out} is inside the input {input}: its outputs would be read back as captures")]
    OutInsideInput { out: String, input: String },
    #[error("cannot write to the output folder {path}: {source}")]
    OutNotWritable { path: String, source: std::io::Error },
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, String),
    #[error("cannot merge: {0}")]
    Merge(String),
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

#[derive(Debug, Default)]
pub struct BatchReport {
    pub entries: Vec<ManifestEntry>,
    /// WARC records that were not HTML responses.
    pub warc_records_skipped: usize,
}

impl BatchReport {
    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }
}

/// A document after pass 1.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pass1 {
    entry: ManifestEntry,
    /// Its cleaned text, in a temporary file beside its final place.
    #[serde(skip)]
    temp: Option<PathBuf>,
    /// Normalized keys of its paragraphs, in order (None for a punctuation-only paragraph).
    keys: Vec<Option<u64>>,
    /// The group its template paragraphs are learned in.
    site_key: String,
    doc: DocMeta,
    /// The hashes of its text as pass 1 wrote it; pass 2 keeps them unless templates change the
    /// text. Not in shard files: merge computes them from the text.
    #[serde(skip)]
    hashed: Option<Hashed>,
}

/// SHA-256 and MinHash signature (when near-duplicates are looked for) of a normalized text.
struct Hashed {
    sha: [u8; 32],
    signature: Option<Box<minhash::Signature>>,
}

impl Hashed {
    fn of(normalized: &str, opts: &CleanOptions) -> Hashed {
        Hashed {
            sha: dedup::sha256_of_normalized(normalized),
            signature: (opts.dedup && opts.near_threshold.is_some()).then(|| Box::new(minhash::signature(normalized))),
        }
    }
}

impl Pass1 {
    /// A document that failed (or was never read): no text, no keys.
    fn failed(entry: ManifestEntry) -> Self {
        Pass1 {
            entry,
            temp: None,
            keys: Vec::new(),
            site_key: String::new(),
            doc: DocMeta::default(),
            hashed: None,
        }
    }
}

/// A document after pass 2.
struct Pass2 {
    entry: ManifestEntry,
    temp: Option<PathBuf>,
    sha: Option<[u8; 32]>,
    signature: Option<Box<minhash::Signature>>,
    doc: DocMeta,
}

impl Pass2 {
    /// A document with no text to place (empty, failed, or never had any).
    fn without_text(entry: ManifestEntry, doc: DocMeta) -> Self {
        Pass2 {
            entry,
            temp: None,
            sha: None,
            signature: None,
            doc,
        }
    }
}

fn check_out_dir(inputs: &[PathBuf], out: &Path) -> Result<(), FatalError> {
    std::fs::create_dir_all(out).map_err(|source| FatalError::OutNotWritable {
        path: out.display().to_string(),
        source,
    })?;
    let probe = output::temp_path(&out.join("probe"), "probe");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|source| FatalError::OutNotWritable {
            path: out.display().to_string(),
            source,
        })?;
    let out_abs = out.canonicalize().map_err(|source| FatalError::OutNotWritable {
        path: out.display().to_string(),
        source,
    })?;
    for input in inputs {
        let input_abs = input
            .canonicalize()
            .map_err(|_| FatalError::MissingInput(input.display().to_string()))?;
        if input_abs.is_dir() && out_abs.starts_with(&input_abs) {
            return Err(FatalError::OutInsideInput {
                out: out.display().to_string(),
                input: input.display().to_string(),
            });
        }
    }
    Ok(())
}

/// Cleans every capture under `inputs` into `opts.out`.
pub fn run_clean(inputs: &[PathBuf], book: &RuleBook, opts: &CleanOptions) -> Result<BatchReport, FatalError> {
    let pool = worker_pool(opts.jobs)?;
    let (first, warc_skipped) = pass_one(inputs, book, opts, None, &pool)?;
    let mut report = decide(first, opts, &pool)?;
    report.warc_records_skipped = warc_skipped;
    Ok(report)
}

fn worker_pool(jobs: usize) -> Result<rayon::ThreadPool, FatalError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| FatalError::Threads(jobs, e.to_string()))
}

/// Pass 1 over the inputs (only the share of `shard`, if given): every document cleaned, its
/// text in a temporary file under `opts.out`, sorted by path. Also returns the number of WARC
/// records skipped.
fn pass_one(
    inputs: &[PathBuf],
    book: &RuleBook,
    opts: &CleanOptions,
    shard: Option<Shard>,
    pool: &rayon::ThreadPool,
) -> Result<(Vec<Pass1>, usize), FatalError> {
    for input in inputs {
        if std::fs::symlink_metadata(input).is_err() {
            return Err(FatalError::MissingInput(input.display().to_string()));
        }
    }
    check_out_dir(inputs, &opts.out)?;
    remove_stale_temps(&opts.out);
    let (mut files, mut problems) = capture::discover(inputs);
    if let Some(shard) = shard {
        files.retain(|f| shard.owns(&f.rel));
        problems.retain(|p| shard.owns(&p.rel));
    }

    let done = std::sync::atomic::AtomicUsize::new(0);
    let finished = std::sync::atomic::AtomicBool::new(false);
    let per_file: Vec<(Vec<Pass1>, usize)> = std::thread::scope(|scope| {
        let reporter = opts
            .progress
            .then(|| scope.spawn(|| crate::progress::report(&done, files.len(), &finished, opts.progress_every)));
        let result = pool.install(|| {
            files
                .par_iter()
                .enumerate()
                .map(|(index, file)| {
                    let r = process_file(index, file, book, opts);
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    r
                })
                .collect()
        });
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        // Wake the reporter from its wait: the batch must not end on its next tick.
        if let Some(reporter) = reporter {
            reporter.thread().unpark();
        }
        result
    });
    let warc_skipped = per_file.iter().map(|(_, s)| s).sum();
    let mut first: Vec<Pass1> = per_file.into_iter().flat_map(|(docs, _)| docs).collect();
    first.extend(
        problems
            .into_iter()
            .map(|p| Pass1::failed(ManifestEntry::error(p.rel, p.message))),
    );
    first.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
    Ok((first, warc_skipped))
}

/// Passes 2 and 3 over the documents of pass 1 (sorted by path): templates learned and removed,
/// duplicates decided, outputs and manifest written.
fn decide(first: Vec<Pass1>, opts: &CleanOptions, pool: &rayon::ThreadPool) -> Result<BatchReport, FatalError> {
    let templates = match opts.template {
        Some(t) => {
            let mut counter = TemplateCounter::default();
            for d in first.iter().filter(|d| d.temp.is_some()) {
                counter.add_page(&d.site_key, &d.keys.iter().flatten().copied().collect::<Vec<_>>());
            }
            counter.learn(t)
        }
        None => Templates::default(),
    };
    let second: Vec<Pass2> = pool.install(|| first.into_par_iter().map(|d| finish(d, &templates, opts)).collect());
    decide_and_write(second, opts)
}

/// Temporary files a killed run left in `out` (ours only: hidden, ending in `.ghirbal-tmp`), so
/// that the rerun ends with exactly the files of a run that never stopped.
fn remove_stale_temps(out: &Path) {
    let walker = ignore::WalkBuilder::new(out)
        .standard_filters(false)
        .hidden(false)
        .build();
    for entry in walker.flatten() {
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && name.ends_with(".ghirbal-tmp") && entry.file_type().is_some_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The group a page's template is learned in: its site rule set, else its host, else its folder.
fn site_key(site: Option<&str>, url: Option<&str>, rel: &str) -> String {
    if let Some(site) = site {
        return format!("site:{site}");
    }
    if let Some(host) = url.and_then(host_of) {
        return format!("host:{host}");
    }
    format!("dir:{}", rel.rsplit_once('/').map_or("", |(dir, _)| dir))
}

/// One capture after cleaning.
pub struct CleanedCapture {
    pub cleaned: engine::Cleaned,
    pub site: Option<String>,
    pub url: Option<String>,
    pub meta: Metadata,
    /// Whether the site's main-content selectors matched (HTML with such selectors only).
    pub main_matched: Option<bool>,
}

/// Cleans one decoded capture with the rules of `book`: text captures line by line, HTML
/// through the extractor.
pub fn clean_capture(capture: &capture::Capture, book: &RuleBook) -> Result<CleanedCapture, extract::ExtractError> {
    Ok(match capture.kind {
        Kind::Text => {
            let paragraphs = text_paragraphs(&capture.text);
            let folded = book.fingerprint_lines(paragraphs.iter().map(String::as_str));
            let site = book.site_for(capture.url.as_deref(), &folded);
            CleanedCapture {
                cleaned: engine::clean_paragraphs(paragraphs, book, site),
                site: site.map(|s| s.id.clone()),
                url: capture.url.clone(),
                meta: Metadata::default(),
                main_matched: None,
            }
        }
        Kind::Html => {
            let ex = extract::extract(&capture.text, capture.url.as_deref(), book)?;
            CleanedCapture {
                cleaned: ex.cleaned,
                site: ex.site.map(|s| s.id.clone()),
                url: ex.url,
                meta: ex.meta,
                main_matched: ex.main_matched,
            }
        }
    })
}

/// Pass 1 for one file: read, clean, write the text to a temporary name, keep paragraph keys.
/// Pass 1 for one input file: one document, or one per HTML response of a WARC file.
fn process_file(index: usize, file: &InputFile, book: &RuleBook, opts: &CleanOptions) -> (Vec<Pass1>, usize) {
    let name = file
        .abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !capture::warc::is_warc_name(&name) {
        let capture = capture::read_capture(file, opts.max_bytes);
        let size = || std::fs::metadata(&file.abs).map_or(0, |m| m.len());
        return (
            vec![process(index.to_string(), &file.rel, capture, size, book, opts)],
            0,
        );
    }
    let contents = match capture::warc::read(&file.abs, opts.max_bytes) {
        Ok(c) => c,
        Err(e) => {
            let mut entry = ManifestEntry::error(file.rel.clone(), format!("cannot read: {e}"));
            entry.kind = Some("warc".into());
            return (vec![Pass1::failed(entry)], 0);
        }
    };
    let mut docs = Vec::with_capacity(contents.documents.len() + 1);
    for (r, d) in contents.documents.into_iter().enumerate() {
        let rel = format!("{}#{}", file.rel, d.record_id);
        let bytes_in = d.body.len() as u64;
        let capture = capture::decode_capture(
            &d.body,
            "record.html",
            capture::charset_of(d.content_type.as_deref()),
            d.url,
            bytes_in,
        );
        docs.push(process(format!("{index}-{r}"), &rel, capture, || bytes_in, book, opts));
    }
    if let Some((record, message)) = contents.error {
        let entry = ManifestEntry::error(
            format!("{}#record-{record}", file.rel),
            format!("corrupt WARC record {record}: {message}; the records after it were not read"),
        );
        docs.push(Pass1::failed(entry));
    }
    (docs, contents.skipped)
}

fn process(
    tag: String,
    rel: &str,
    capture: Result<capture::Capture, capture::CaptureError>,
    size_on_error: impl Fn() -> u64,
    book: &RuleBook,
    opts: &CleanOptions,
) -> Pass1 {
    let fail = |mut entry: ManifestEntry, message: String| {
        entry.status = Status::Error;
        entry.error = Some(message);
        Pass1::failed(entry)
    };
    let mut entry = ManifestEntry::error(rel.to_string(), String::new());
    entry.error = None;
    let capture = match capture {
        Ok(c) => c,
        Err(e) => {
            entry.bytes_in = size_on_error();
            return fail(entry, e.to_string());
        }
    };
    entry.bytes_in = capture.bytes_in;
    entry.encoding = Some(capture.decoded_encoding.to_string());
    entry.encoding_source = Some(capture.encoding_source.as_str().to_string());
    entry.kind = Some(capture.kind.as_str().to_string());
    if capture.replaced > 0 {
        entry.warnings.push(format!(
            "{} invalid byte sequences replaced with U+FFFD",
            capture.replaced
        ));
    }
    let CleanedCapture {
        cleaned,
        site,
        url,
        meta,
        main_matched,
    } = match clean_capture(&capture, book) {
        Ok(c) => c,
        Err(e) => return fail(entry, e.to_string()),
    };
    let site_key = site_key(site.as_deref(), url.as_deref(), rel);
    entry.url = url;
    entry.site = site;
    entry.main_content_matched = main_matched;
    entry.removed = cleaned.removed.clone();
    let kept: Vec<&str> = cleaned
        .paragraphs
        .iter()
        .filter(|v| v.removed_by.is_none())
        .map(|v| v.text.as_str())
        .collect();
    let doc = DocMeta {
        title: meta.title,
        author: meta.author,
        date: meta.date,
        declared_lang: meta.declared_lang,
        lang: None,
    };
    if kept.is_empty() {
        entry.status = Status::Empty;
        return Pass1 {
            entry,
            temp: None,
            keys: Vec::new(),
            site_key,
            doc,
            hashed: None,
        };
    }
    // The normalized paragraphs joined are the normalized written text: hashed here once.
    let (normalized, keys) = dedup::normalized_with_keys(kept.iter().copied());
    let hashed = Some(Hashed::of(&normalized, opts));
    let temp = output::temp_path(&opts.out.join(output::output_rel(rel)), &tag);
    let text = cleaned.text();
    // Pass 2 counts again only if template removal rewrites the text.
    entry.chars_out = text.chars().count();
    if let Err(e) = output::write_temp(&temp, text.as_bytes()) {
        let _ = std::fs::remove_file(&temp);
        return fail(entry, format!("cannot write {}: {e}", temp.display()));
    }
    entry.status = Status::Clean;
    Pass1 {
        entry,
        temp: Some(temp),
        keys,
        site_key,
        doc,
        hashed,
    }
}

/// Pass 2 for one document: drop learned template paragraphs, hash and sign the final text.
fn finish(d: Pass1, templates: &Templates, opts: &CleanOptions) -> Pass2 {
    let Pass1 {
        mut entry,
        temp,
        keys,
        site_key,
        doc,
        hashed,
    } = d;
    let Some(temp_path) = temp else {
        return Pass2::without_text(entry, doc);
    };
    let fail = |mut entry: ManifestEntry, message: String| {
        let _ = std::fs::remove_file(&temp_path);
        entry.status = Status::Error;
        entry.error = Some(message);
        entry.chars_out = 0;
        Pass2::without_text(entry, DocMeta::default())
    };
    // The text is read back only when something needs it.
    let has_templates = templates.has_site(&site_key);
    let mut text = if has_templates || opts.format == Format::Jsonl || hashed.is_none() {
        match std::fs::read_to_string(&temp_path) {
            Ok(t) => t,
            Err(e) => return fail(entry, format!("cannot read back {}: {e}", temp_path.display())),
        }
    } else {
        String::new()
    };
    let mut hashed = hashed;
    if has_templates {
        let paragraphs: Vec<&str> = text.trim_end_matches('\n').split("\n\n").collect();
        let mut kept = Vec::with_capacity(paragraphs.len());
        let mut removed = 0;
        for (p, key) in paragraphs.iter().zip(keys.iter().chain(std::iter::repeat(&None))) {
            if key.is_some_and(|k| templates.seen_on(&site_key, k).is_some()) {
                removed += 1;
            } else {
                kept.push(*p);
            }
        }
        if removed > 0 {
            *entry.removed.entry(TEMPLATE_ID.to_string()).or_insert(0) += removed;
            if kept.is_empty() {
                let _ = std::fs::remove_file(&temp_path);
                entry.status = Status::Empty;
                entry.chars_out = 0;
                return Pass2::without_text(entry, doc);
            }
            text = kept.join("\n\n") + "\n";
            if let Err(e) = std::fs::write(&temp_path, text.as_bytes()) {
                return fail(entry, format!("cannot write {}: {e}", temp_path.display()));
            }
            entry.chars_out = text.chars().count();
            hashed = None;
        }
    }
    let Hashed { sha, signature } = match hashed {
        Some(h) => h,
        None => Hashed::of(&dedup::normalized_text_with_keys(&text).0, opts),
    };
    entry.sha256 = Some(dedup::hex(&sha));
    let doc = if opts.format == Format::Jsonl {
        DocMeta {
            lang: extract::meta::language(&text, doc.declared_lang.as_deref()),
            ..doc
        }
    } else {
        doc
    };
    Pass2 {
        entry,
        temp: Some(temp_path),
        sha: Some(sha),
        signature,
        doc,
    }
}

/// Pass 3, in path order: the first copy of a text is kept, later copies are duplicates; a
/// document close to an earlier kept one is a near-duplicate; outputs are renamed into place.
fn decide_and_write(docs: Vec<Pass2>, opts: &CleanOptions) -> Result<BatchReport, FatalError> {
    let mut first_by_hash: HashMap<[u8; 32], String> = HashMap::new();
    let mut near = NearIndex::default();
    let mut near_paths: Vec<String> = Vec::new();
    let mut claimed_outputs: HashMap<String, String> = HashMap::new();
    let mut entries = Vec::with_capacity(docs.len());
    let mut documents = Vec::new();
    for Pass2 {
        mut entry,
        temp,
        sha,
        signature,
        doc,
    } in docs
    {
        if entry.status == Status::Clean
            && opts.dedup
            && let Some(sha) = sha
        {
            if let Some(first) = first_by_hash.get(&sha) {
                entry.status = Status::Duplicate;
                entry.duplicate_of = Some(first.clone());
            } else {
                first_by_hash.insert(sha, entry.path.clone());
                if let (Some(sig), Some(threshold)) = (&signature, opts.near_threshold) {
                    if let Some((i, similarity)) = near.find(sig, threshold) {
                        entry.status = Status::NearDuplicate;
                        entry.duplicate_of = Some(near_paths[i].clone());
                        // Rounded, so the manifest is the same bytes on every machine.
                        entry.similarity = Some((similarity * 1000.0).round() / 1000.0);
                    } else {
                        near.insert(**sig);
                        near_paths.push(entry.path.clone());
                    }
                }
            }
        }
        let writes =
            entry.status == Status::Clean || (entry.status == Status::NearDuplicate && !opts.drop_near_duplicates);
        let mut placed = false;
        if writes && let Some(temp) = &temp {
            let out_rel = output::output_rel(&entry.path);
            if let Some(other) = claimed_outputs.get(&out_rel) {
                entry.status = Status::Error;
                entry.error = Some(format!(
                    "its output {out_rel} is already the output of {other}; rename one of the two captures"
                ));
            } else {
                claimed_outputs.insert(out_rel.clone(), entry.path.clone());
                match opts.format {
                    Format::Txt => {
                        let final_path = opts.out.join(&out_rel);
                        std::fs::rename(temp, &final_path).map_err(|source| FatalError::Write {
                            path: final_path.display().to_string(),
                            source,
                        })?;
                        placed = true;
                        entry.output = Some(out_rel);
                    }
                    Format::Jsonl => {
                        let text = std::fs::read_to_string(temp).map_err(|source| FatalError::Write {
                            path: temp.display().to_string(),
                            source,
                        })?;
                        documents.push(jsonl_document(&entry, &text, &doc));
                        entry.output = Some("documents.jsonl".into());
                    }
                }
            }
        }
        if !placed && let Some(temp) = &temp {
            let _ = std::fs::remove_file(temp);
        }
        // A document not written this time may have been written by an earlier, killed run of
        // the same batch (before its duplicates were decided): its file at our output path goes.
        if opts.format == Format::Txt && entry.output.is_none() && !entry.path.is_empty() {
            let stale = opts.out.join(output::output_rel(&entry.path));
            if claimed_outputs
                .get(&output::output_rel(&entry.path))
                .is_none_or(|owner| owner == &entry.path)
            {
                let _ = std::fs::remove_file(stale);
            }
        }
        entries.push(entry);
    }

    if opts.format == Format::Jsonl {
        let mut bytes = Vec::new();
        for d in &documents {
            bytes.extend_from_slice(d.to_string().as_bytes());
            bytes.push(b'\n');
        }
        let path = opts.out.join("documents.jsonl");
        output::write_atomic(&path, &bytes).map_err(|source| FatalError::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    let manifest = opts.out.join("manifest.jsonl");
    let bytes = output::manifest_bytes(&entries).map_err(|e| FatalError::Write {
        path: manifest.display().to_string(),
        source: std::io::Error::other(e),
    })?;
    output::write_atomic(&manifest, &bytes).map_err(|source| FatalError::Write {
        path: manifest.display().to_string(),
        source,
    })?;
    Ok(BatchReport {
        entries,
        warc_records_skipped: 0,
    })
}

/// What `documents.jsonl` says of a document beside its text.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct DocMeta {
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    declared_lang: Option<String>,
    /// Told from the final text (jsonl only).
    lang: Option<String>,
}

fn jsonl_document(entry: &ManifestEntry, text: &str, doc: &DocMeta) -> serde_json::Value {
    serde_json::json!({
        "id": entry.sha256,
        "path": entry.path,
        "url": entry.url,
        "site": entry.site,
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "lang": doc.lang,
        "text": text,
        "sha256": entry.sha256,
    })
}
