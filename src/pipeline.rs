//! A batch: find inputs, clean each (in parallel), decide duplicates in path order, write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::capture::{self, InputFile, Kind};
use crate::dedup::document_sha256;
use crate::extract::{self, Metadata};
use crate::output::{self, ManifestEntry, Status};
use crate::rules::RuleBook;
use crate::text::{engine, text_paragraphs};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Txt,
    Jsonl,
}

#[derive(Debug, Clone)]
pub struct CleanOptions {
    pub out: PathBuf,
    pub format: Format,
    pub jobs: usize,
    pub dedup: bool,
    pub max_bytes: u64,
}

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
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

#[derive(Debug, Default)]
pub struct BatchReport {
    pub entries: Vec<ManifestEntry>,
}

impl BatchReport {
    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }
}

/// One document's result before the batch-wide decisions (duplicates) are made.
struct Processed {
    entry: ManifestEntry,
    /// The cleaned text and its metadata, kept only for `--format jsonl`.
    text: Option<(String, DocMeta)>,
    /// Where the text was written, awaiting its rename (txt format).
    temp: Option<PathBuf>,
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
    for input in inputs {
        if std::fs::symlink_metadata(input).is_err() {
            return Err(FatalError::MissingInput(input.display().to_string()));
        }
    }
    check_out_dir(inputs, &opts.out)?;
    let (files, problems) = capture::discover(inputs);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| FatalError::Threads(opts.jobs, e.to_string()))?;
    let mut processed: Vec<Processed> = pool.install(|| {
        files
            .par_iter()
            .enumerate()
            .map(|(index, file)| process(index, file, book, opts))
            .collect()
    });
    processed.extend(problems.into_iter().map(|p| Processed {
        entry: ManifestEntry::error(p.rel, p.message),
        text: None,
        temp: None,
    }));
    processed.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));

    decide_and_write(processed, opts)
}

/// One capture after cleaning.
pub struct CleanedCapture {
    pub cleaned: engine::Cleaned,
    pub site: Option<String>,
    pub url: Option<String>,
    pub meta: Metadata,
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
            }
        }
        Kind::Html => {
            let ex = extract::extract(&capture.text, capture.url.as_deref(), book)?;
            CleanedCapture {
                cleaned: ex.cleaned,
                site: ex.site.map(|s| s.id.clone()),
                url: ex.url,
                meta: ex.meta,
            }
        }
    })
}

/// Reads and cleans one file; writes its text to a temporary name when it may be kept.
fn process(index: usize, file: &InputFile, book: &RuleBook, opts: &CleanOptions) -> Processed {
    let capture = match capture::read_capture(file, opts.max_bytes) {
        Ok(c) => c,
        Err(e) => {
            let mut entry = ManifestEntry::error(file.rel.clone(), e.to_string());
            entry.bytes_in = std::fs::metadata(&file.abs).map_or(0, |m| m.len());
            return Processed {
                entry,
                text: None,
                temp: None,
            };
        }
    };
    let mut entry = ManifestEntry::error(file.rel.clone(), String::new());
    entry.error = None;
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
    } = match clean_capture(&capture, book) {
        Ok(c) => c,
        Err(e) => {
            entry.status = Status::Error;
            entry.error = Some(e.to_string());
            return Processed {
                entry,
                text: None,
                temp: None,
            };
        }
    };
    let text = cleaned.text();
    entry.url = url;
    entry.site = site;
    entry.removed = cleaned.removed;
    entry.chars_out = text.chars().count();
    if text.is_empty() {
        entry.status = Status::Empty;
        return Processed {
            entry,
            text: None,
            temp: None,
        };
    }
    entry.status = Status::Clean;
    entry.sha256 = Some(document_sha256(&text));
    match opts.format {
        Format::Jsonl => {
            let doc = DocMeta {
                lang: extract::meta::language(&text, meta.declared_lang.as_deref()),
                title: meta.title,
                author: meta.author,
                date: meta.date,
            };
            Processed {
                entry,
                text: Some((text, doc)),
                temp: None,
            }
        }
        Format::Txt => {
            let final_path = opts.out.join(output::output_rel(&file.rel));
            let temp = output::temp_path(&final_path, &index.to_string());
            let written = final_path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&temp, text.as_bytes()));
            match written {
                Ok(()) => Processed {
                    entry,
                    text: None,
                    temp: Some(temp),
                },
                Err(e) => {
                    let _ = std::fs::remove_file(&temp);
                    entry.status = Status::Error;
                    entry.error = Some(format!("cannot write {}: {e}", final_path.display()));
                    Processed {
                        entry,
                        text: None,
                        temp: None,
                    }
                }
            }
        }
    }
}

/// In path order: the first copy of a text is kept, later ones are duplicates; then outputs are
/// renamed into place and the manifest is written.
fn decide_and_write(processed: Vec<Processed>, opts: &CleanOptions) -> Result<BatchReport, FatalError> {
    let mut first_by_hash: HashMap<String, String> = HashMap::new();
    let mut claimed_outputs: HashMap<String, String> = HashMap::new();
    let mut entries = Vec::with_capacity(processed.len());
    let mut documents = Vec::new();
    for Processed { mut entry, text, temp } in processed {
        if entry.status == Status::Clean
            && opts.dedup
            && let Some(hash) = &entry.sha256
        {
            if let Some(first) = first_by_hash.get(hash) {
                entry.status = Status::Duplicate;
                entry.duplicate_of = Some(first.clone());
            } else {
                first_by_hash.insert(hash.clone(), entry.path.clone());
            }
        }
        if entry.status == Status::Clean {
            let out_rel = output::output_rel(&entry.path);
            if let Some(other) = claimed_outputs.get(&out_rel) {
                entry.status = Status::Error;
                entry.error = Some(format!(
                    "its output {out_rel} is already the output of {other}; rename one of the two captures"
                ));
            } else {
                claimed_outputs.insert(out_rel.clone(), entry.path.clone());
                match (opts.format, &temp) {
                    (Format::Txt, Some(temp)) => {
                        let final_path = opts.out.join(&out_rel);
                        std::fs::rename(temp, &final_path).map_err(|source| FatalError::Write {
                            path: final_path.display().to_string(),
                            source,
                        })?;
                        entry.output = Some(out_rel);
                    }
                    (Format::Jsonl, _) => {
                        if let Some((text, doc)) = &text {
                            documents.push(jsonl_document(&entry, text, doc));
                        }
                        entry.output = Some("documents.jsonl".into());
                    }
                    (Format::Txt, None) => {}
                }
            }
        }
        if entry.status != Status::Clean
            && let Some(temp) = &temp
        {
            let _ = std::fs::remove_file(temp);
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
    Ok(BatchReport { entries })
}

/// What `documents.jsonl` says of a document beside its text.
#[derive(Debug, Clone, Default)]
struct DocMeta {
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
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
