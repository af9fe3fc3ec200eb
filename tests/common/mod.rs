//! Helpers shared by the integration tests: the binary as a user runs it, and the JSON lines
//! files it writes. Each test crate uses only some of them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The built `ghirbal`, with no proxy settings that could stand between it and 127.0.0.1.
pub fn ghirbal() -> Command {
    let mut cmd = Command::cargo_bin("ghirbal").expect("binary builds");
    for v in [
        "RUST_LOG",
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(v);
    }
    cmd
}

/// `ghirbal clean INPUT --out OUT`, run.
pub fn clean(input: &Path, out: &Path) -> assert_cmd::assert::Assert {
    ghirbal().arg("clean").arg(input).arg("--out").arg(out).assert()
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every line of a JSON lines file.
pub fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// `manifest.jsonl` of an output folder.
pub fn manifest(out: &Path) -> Vec<Value> {
    jsonl(&out.join("manifest.jsonl"))
}

/// The manifest entry of one path.
pub fn entry<'a>(entries: &'a [Value], path: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no manifest entry for {path}: {entries:#?}"))
}

/// Every file under `dir` (relative path, bytes), sorted: two runs with equal trees wrote the same output.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for e in walk(dir) {
        let rel = e.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        files.push((rel, fs::read(&e).unwrap()));
    }
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}
