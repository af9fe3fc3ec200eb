//! Finding inputs, reading them (gzip, sidecars) and turning their bytes into text.

pub mod decode;
mod gunzip;
pub mod prescan;
pub mod warc;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use decode::{DecodeError, Decoded, EncodingSource};

/// Sidecar files end with this; they describe a capture and are never documents themselves.
pub const SIDECAR_SUFFIX: &str = ".meta.json";
/// `ghirbal fetch`'s record of a capture folder: never a document.
pub const FETCH_MANIFEST: &str = "fetch-manifest.jsonl";
/// A file of this name in an input folder lists (gitignore syntax) files that are not captures.
pub const IGNORE_FILE: &str = ".ghirbalignore";

/// One file found under an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub abs: PathBuf,
    /// The manifest path: relative to its input (prefixed by the input's name when there are several).
    pub rel: String,
}

/// A problem met while walking an input (unreadable folder, symlink loop …).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub rel: String,
    pub message: String,
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the inputs: recursively, hidden entries and `.ghirbalignore`d files skipped, symlinks
/// followed only inside the input (one pointing out of it, a broken one or a loop is a problem
/// reported for its path), sidecars left out. The result is sorted by manifest path.
pub fn discover(inputs: &[PathBuf]) -> (Vec<InputFile>, Vec<WalkProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let several = inputs.len() > 1;
    for input in inputs {
        let input_name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| rel_string(input));
        let prefix = |rel: String| if several { format!("{input_name}/{rel}") } else { rel };
        if input.is_file() {
            files.push(InputFile {
                abs: input.clone(),
                rel: input_name,
            });
            continue;
        }
        // Links are followed inside the input (a loop is reported by the walker), never out of it.
        let root = input.canonicalize().unwrap_or_else(|_| input.clone());
        let walker = ignore::WalkBuilder::new(input)
            .standard_filters(false)
            .hidden(true)
            .follow_links(true)
            .add_custom_ignore_filename(IGNORE_FILE)
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    if entry.path_is_symlink() {
                        let target = path.canonicalize();
                        if !target.as_ref().is_ok_and(|t| t.starts_with(&root)) {
                            let rel = path
                                .strip_prefix(input)
                                .map(rel_string)
                                .unwrap_or_else(|_| rel_string(path));
                            let message = match target {
                                Ok(t) => format!("symlink to {} outside the input: not followed", t.display()),
                                Err(e) => format!("broken symlink: {e}"),
                            };
                            problems.push(WalkProblem {
                                rel: prefix(rel),
                                message,
                            });
                            continue;
                        }
                    }
                    let Some(file_type) = entry.file_type() else {
                        continue;
                    };
                    let name = entry.file_name().to_string_lossy();
                    if file_type.is_dir() || name.ends_with(SIDECAR_SUFFIX) || name == FETCH_MANIFEST {
                        continue;
                    }
                    let rel = path
                        .strip_prefix(input)
                        .map(rel_string)
                        .unwrap_or_else(|_| rel_string(path));
                    // Reading a FIFO would block the batch forever; a device is no capture.
                    if !file_type.is_file() {
                        problems.push(WalkProblem {
                            rel: prefix(rel),
                            message: format!("not a regular file ({}): not read", special_kind(&file_type)),
                        });
                        continue;
                    }
                    files.push(InputFile {
                        abs: path.to_path_buf(),
                        rel: prefix(rel),
                    });
                }
                Err(e) => {
                    let rel = walk_error_path(&e)
                        .map(|p| p.strip_prefix(input).map(rel_string).unwrap_or_else(|_| rel_string(p)))
                        .unwrap_or_else(|| rel_string(input));
                    problems.push(WalkProblem {
                        rel: prefix(rel),
                        message: walk_error_message(&e),
                    });
                }
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    problems.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, problems)
}

fn special_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = t;
    "not a file or folder"
}

fn walk_error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn walk_error_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => walk_error_message(err),
        ignore::Error::Loop { ancestor, .. } => format!("symlink loop back to {}", ancestor.display()),
        ignore::Error::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    }
}

/// What a capture holds, decided from its name and its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Html,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Html => "html",
        }
    }
}

/// The sidecar `NAME.meta.json`, as the contract describes it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sidecar {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub final_url: Option<String>,
    #[serde(default)]
    pub fetched_at: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub headers: BTreeMap<String, serde_json::Value>,
}

impl Sidecar {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| {
                v.as_str()
                    .or_else(|| v.as_array().and_then(|a| a.first()).and_then(|v| v.as_str()))
            })
    }

    /// The charset parameter of the Content-Type header.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.header("content-type")?;
        ct.split(';').skip(1).find_map(|param| {
            let (k, v) = param.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| v.trim().trim_matches(['"', '\'']))
        })
    }

    /// The page's URL: where it was finally fetched from, else what was asked for.
    pub fn page_url(&self) -> Option<&str> {
        self.final_url.as_deref().or(self.url.as_deref())
    }
}

/// A capture read and decoded, ready to clean.
#[derive(Debug, Clone)]
pub struct Capture {
    pub kind: Kind,
    pub text: String,
    pub decoded_encoding: &'static str,
    pub encoding_source: EncodingSource,
    pub replaced: usize,
    pub url: Option<String>,
    pub bytes_in: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("cannot read: {0}")]
    Read(std::io::Error),
    #[error("too large: {size} bytes, over the limit of {limit} bytes (--max-bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("bad gzip stream: {0}")]
    Gzip(std::io::Error),
    #[error("bad sidecar {name}: {message}")]
    Sidecar { name: String, message: String },
    #[error("{0}")]
    Decode(#[from] DecodeError),
}

fn has_ext(name: &str, exts: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    exts.iter().any(|e| lower.ends_with(e))
}

const HTML_EXTS: &[&str] = &[".html", ".htm", ".xhtml", ".shtml"];

/// Reads, un-gzips and decodes one capture, with its sidecar if there is one.
pub fn read_capture(file: &InputFile, max_bytes: u64) -> Result<Capture, CaptureError> {
    let meta = std::fs::metadata(&file.abs).map_err(CaptureError::Read)?;
    if meta.len() > max_bytes {
        return Err(CaptureError::TooLarge {
            size: meta.len(),
            limit: max_bytes,
        });
    }
    let raw = std::fs::read(&file.abs).map_err(CaptureError::Read)?;
    let name = file
        .abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sidecar = read_sidecar(&file.abs)?;
    let url = sidecar.as_ref().and_then(Sidecar::page_url).map(str::to_string);
    decode_file_cow(
        Cow::Owned(raw),
        &name,
        sidecar.as_ref().and_then(Sidecar::charset),
        url,
        max_bytes,
    )
}

/// The bytes of a capture file named `name`: un-gzipped (when they are gzip) within
/// `max_bytes`, then decoded.
pub fn decode_file_bytes(
    raw: &[u8],
    name: &str,
    header_charset: Option<&str>,
    url: Option<String>,
    max_bytes: u64,
) -> Result<Capture, CaptureError> {
    decode_file_cow(Cow::Borrowed(raw), name, header_charset, url, max_bytes)
}

fn decode_file_cow(
    raw: Cow<'_, [u8]>,
    name: &str,
    header_charset: Option<&str>,
    url: Option<String>,
    max_bytes: u64,
) -> Result<Capture, CaptureError> {
    let bytes_in = raw.len() as u64;
    let bytes = if raw.starts_with(&[0x1F, 0x8B]) {
        match gunzip::gunzip(&raw, max_bytes).map_err(CaptureError::Gzip)? {
            Ok(b) => Cow::Owned(b),
            Err(size) => return Err(CaptureError::TooLarge { size, limit: max_bytes }),
        }
    } else {
        raw
    };
    let inner_name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".GZ"))
        .unwrap_or(name);
    decode_capture_cow(bytes, inner_name, header_charset, url, bytes_in)
}

/// The charset parameter of a Content-Type value.
pub fn charset_of(content_type: Option<&str>) -> Option<&str> {
    content_type?.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// Decodes a capture's bytes; `name` (its file name, without `.gz`) helps tell HTML from text.
pub fn decode_capture(
    bytes: &[u8],
    name: &str,
    header_charset: Option<&str>,
    url: Option<String>,
    bytes_in: u64,
) -> Result<Capture, CaptureError> {
    decode_capture_cow(Cow::Borrowed(bytes), name, header_charset, url, bytes_in)
}

fn decode_capture_cow(
    bytes: Cow<'_, [u8]>,
    name: &str,
    header_charset: Option<&str>,
    url: Option<String>,
    bytes_in: u64,
) -> Result<Capture, CaptureError> {
    let named_html = has_ext(name, HTML_EXTS);
    let named_text = has_ext(name, &[".txt"]);
    let decoded = decode::decode_cow(bytes, header_charset, !named_text)?;
    let kind = if named_html || (!named_text && looks_like_markup(&decoded.text)) {
        Kind::Html
    } else {
        Kind::Text
    };
    Ok(Capture {
        kind,
        text: decoded.text,
        decoded_encoding: decoded.encoding.name(),
        encoding_source: decoded.source,
        replaced: decoded.replaced,
        url,
        bytes_in,
    })
}

fn read_sidecar(capture: &Path) -> Result<Option<Sidecar>, CaptureError> {
    let mut name = capture.as_os_str().to_os_string();
    name.push(SIDECAR_SUFFIX);
    let path = PathBuf::from(name);
    let side_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CaptureError::Sidecar {
                name: side_name,
                message: e.to_string(),
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| CaptureError::Sidecar {
            name: side_name,
            message: e.to_string(),
        })
}

/// Markup at the start of the text: a doctype, `<html`, `<head`, `<body` or a comment then a tag.
fn looks_like_markup(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    ["<!doctype html", "<html", "<head", "<body", "<!--", "<meta", "<?xml"]
        .iter()
        .any(|p| head.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_charset_and_url() {
        let s: Sidecar = serde_json::from_str(
            r#"{"url":"http://a.com/x","final_url":"https://a.com/y","headers":{"Content-Type":"text/html; charset=\"windows-1256\""}}"#,
        )
        .map_err(|e| e.to_string())
        .unwrap();
        assert_eq!(s.charset(), Some("windows-1256"));
        assert_eq!(s.page_url(), Some("https://a.com/y"));
    }

    #[test]
    fn markup_is_recognised() {
        assert!(looks_like_markup("  <!DOCTYPE html><html>"));
        assert!(!looks_like_markup("بوتين <b> في كوريا"));
    }
}
