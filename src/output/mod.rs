//! What lands in `--out`: text files, `documents.jsonl`, `manifest.jsonl`; all written to a
//! temporary name first and renamed, so no output is ever half-written.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Clean,
    Duplicate,
    NearDuplicate,
    Empty,
    Error,
}

/// One line of `manifest.jsonl`. The first fields are the contract's; the rest are extensions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    pub output: Option<String>,
    pub status: Status,
    pub site: Option<String>,
    pub url: Option<String>,
    pub encoding: Option<String>,
    pub sha256: Option<String>,
    pub duplicate_of: Option<String>,
    pub similarity: Option<f64>,
    pub bytes_in: u64,
    pub chars_out: usize,
    pub removed: BTreeMap<String, usize>,
    pub error: Option<String>,
    /// `text` or `html`.
    pub kind: Option<String>,
    /// How the encoding was decided: `bom`, `header`, `meta`, `utf-8-valid`, `detected`.
    pub encoding_source: Option<String>,
    /// Problems that did not stop the document (for example invalid bytes replaced).
    pub warnings: Vec<String>,
    /// Whether the site's main-content selectors matched (null when the site has none).
    pub main_content_matched: Option<bool>,
}

impl ManifestEntry {
    pub fn error(path: String, message: String) -> Self {
        ManifestEntry {
            path,
            output: None,
            status: Status::Error,
            site: None,
            url: None,
            encoding: None,
            sha256: None,
            duplicate_of: None,
            similarity: None,
            bytes_in: 0,
            chars_out: 0,
            removed: BTreeMap::new(),
            error: Some(message),
            kind: None,
            encoding_source: None,
            warnings: Vec::new(),
            main_content_matched: None,
        }
    }
}

/// Known capture extensions, stripped (repeatedly) before `.txt` is added: `a.html.gz` -> `a.txt`.
const CAPTURE_EXTS: &[&str] = &[".gz", ".html", ".htm", ".xhtml", ".shtml", ".txt", ".warc"];

/// The output path (relative to `--out`) of the document at manifest path `rel`. A WARC record
/// (`crawl.warc.gz#urn:uuid:…`) goes in a folder named after its file: `crawl/urn_uuid_….txt`.
pub fn output_rel(rel: &str) -> String {
    if let Some((file, record)) = rel.split_once('#') {
        let folder = output_rel(file);
        let folder = folder.strip_suffix(".txt").unwrap_or(&folder);
        let record: String = record
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        return format!("{folder}/{record}.txt");
    }
    let mut stem = rel;
    loop {
        let lower = stem.to_ascii_lowercase();
        match CAPTURE_EXTS
            .iter()
            .find(|e| lower.ends_with(*e) && lower.len() > e.len() && !lower.ends_with(&format!("/{e}")))
        {
            Some(e) => stem = &stem[..stem.len() - e.len()],
            None => break,
        }
    }
    format!("{stem}.txt")
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Streams what `fill` writes to `path` through a temporary file in the same folder and a
/// rename: `path` holds the whole of it or is left as it was.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_path(path, "w");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let result = (|| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_data()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to a temporary `path` (see [`temp_path`]), creating its folder.
pub fn write_temp(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// A hidden temporary name beside `path`, distinct per `tag`.
pub fn temp_path(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}.ghirbal-tmp"))
}

/// `manifest.jsonl`: one JSON object per line, in the order given (sorted by path by the caller).
pub fn manifest_bytes(entries: &[ManifestEntry]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    for e in entries {
        serde_json::to_writer(&mut out, e)?;
        out.push(b'\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_replace_capture_extensions() {
        assert_eq!(output_rel("a/001.txt"), "a/001.txt");
        assert_eq!(output_rel("a/page.html.gz"), "a/page.txt");
        assert_eq!(output_rel("report.2024"), "report.2024.txt");
        assert_eq!(output_rel("x/.txt"), "x/.txt.txt");
        assert_eq!(output_rel("c/crawl.warc.gz#urn:uuid:1-2"), "c/crawl/urn_uuid_1-2.txt");
    }
}
