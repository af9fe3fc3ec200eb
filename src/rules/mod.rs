//! Rule sets: per-site and shared, loaded from TOML, compiled once, looked up per document.

pub mod compile;
pub mod error;
mod raw;
pub mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use compile::{Action, Rule, RuleSet, RuleTest, SelectorRule, SetKind};
pub use error::RuleError;

use crate::text::heuristics::Heuristic;

/// The rule files compiled into the binary, so that `ghirbal clean` works with no setup.
const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/shared/arabic-chrome.toml",
        include_str!("../../rules/shared/arabic-chrome.toml"),
    ),
    (
        "rules/shared/web-chrome.toml",
        include_str!("../../rules/shared/web-chrome.toml"),
    ),
    ("rules/khabrayn.toml", include_str!("../../rules/khabrayn.toml")),
    ("rules/cnn-arabic.toml", include_str!("../../rules/cnn-arabic.toml")),
    ("rules/lbcgroup.toml", include_str!("../../rules/lbcgroup.toml")),
];

/// All loaded rule sets, by id; a later layer replaces a set with the same id.
#[derive(Debug, Default, Clone)]
pub struct RuleBook {
    sets: BTreeMap<String, RuleSet>,
}

fn stem_of(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Every `*.toml` below `dir`, sorted, hidden entries skipped.
fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| RuleError {
            path: dir.display().to_string(),
            line: 1,
            col: 1,
            message: format!("cannot read rule folder: {e}"),
        })?;
        let path = entry.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            files.push(path.to_path_buf());
        }
    }
    if files.is_empty() && !dir.is_dir() {
        return Err(RuleError {
            path: dir.display().to_string(),
            line: 1,
            col: 1,
            message: "no such rule folder".into(),
        });
    }
    files.sort();
    Ok(files)
}

impl RuleBook {
    /// The built-in rules.
    pub fn builtin() -> Result<Self, Vec<RuleError>> {
        let mut book = RuleBook::default();
        let mut errors = Vec::new();
        for (origin, text) in BUILTIN {
            match compile::compile(origin, stem_of(origin), text) {
                Ok(set) => {
                    book.sets.insert(set.id.clone(), set);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        book.finish(errors)
    }

    /// The built-in rules (unless `with_builtin` is false) with each folder layered over them in turn.
    pub fn load(dirs: &[PathBuf], with_builtin: bool) -> Result<Self, Vec<RuleError>> {
        let mut book = if with_builtin {
            Self::builtin()?
        } else {
            RuleBook::default()
        };
        let mut errors = Vec::new();
        for dir in dirs {
            let files = match rule_files(dir) {
                Ok(files) => files,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let mut layer: BTreeMap<String, RuleSet> = BTreeMap::new();
            for file in files {
                let origin = file.display().to_string();
                let text = match std::fs::read_to_string(&file) {
                    Ok(t) => t,
                    Err(e) => {
                        errors.push(RuleError {
                            path: origin,
                            line: 1,
                            col: 1,
                            message: format!("cannot read: {e}"),
                        });
                        continue;
                    }
                };
                match compile::compile(&origin, stem_of(&origin), &text) {
                    Ok(set) => {
                        if let Some(prev) = layer.get(&set.id) {
                            errors.push(RuleError {
                                path: origin,
                                line: 1,
                                col: 1,
                                message: format!("rule set `{}` is also defined in {}", set.id, prev.origin),
                            });
                        } else {
                            layer.insert(set.id.clone(), set);
                        }
                    }
                    Err(mut e) => errors.append(&mut e),
                }
            }
            book.sets.extend(layer);
        }
        book.finish(errors)
    }

    /// Book-level checks: what `disable` names must exist.
    fn finish(self, mut errors: Vec<RuleError>) -> Result<Self, Vec<RuleError>> {
        let mut claimed: BTreeMap<&str, &RuleSet> = BTreeMap::new();
        for set in self.sets.values() {
            let loc = error::Locator {
                path: &set.origin,
                text: &set.source,
            };
            for (host, span) in set.hosts.iter().zip(&set.host_spans) {
                match claimed.get(host.as_str()) {
                    Some(first) => errors.push(loc.at(
                        Some(span.clone()),
                        format!(
                            "host `{host}` is also claimed by `{}` ({}); hint: one site per host, or tell them apart with url-patterns",
                            first.id, first.origin
                        ),
                    )),
                    None => {
                        claimed.insert(host, set);
                    }
                }
            }
        }
        for set in self.sets.values() {
            let loc = error::Locator {
                path: &set.origin,
                text: &set.source,
            };
            for d in &set.disable {
                let name = d.get_ref();
                if !self.is_switchable(name) {
                    errors.push(loc.at(
                        Some(d.span()),
                        format!(
                            "`{name}` in disable is not a heuristic id, shared rule set or shared rule (heuristics: {})",
                            Heuristic::ALL.iter().map(|h| h.id()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() { Ok(self) } else { Err(errors) }
    }

    fn is_switchable(&self, name: &str) -> bool {
        Heuristic::from_id(name).is_some()
            || self
                .shared()
                .any(|s| s.id == name || s.rules.iter().any(|r| r.id == name))
    }

    #[cfg(test)]
    pub(crate) fn insert_for_tests(&mut self, set: RuleSet) {
        self.sets.insert(set.id.clone(), set);
    }

    /// SHA-256 (hex) over every loaded rule set's id and source text: two runs with the same
    /// digest cleaned with the same rules (shards check this before they are merged).
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for set in self.sets.values() {
            for part in [set.id.as_bytes(), b"\0", set.source.as_bytes(), b"\0"] {
                hasher.update(part);
            }
        }
        crate::dedup::hex(&hasher.finalize())
    }

    pub fn sets(&self) -> impl Iterator<Item = &RuleSet> {
        self.sets.values()
    }

    pub fn shared(&self) -> impl Iterator<Item = &RuleSet> {
        self.sets.values().filter(|s| s.kind == SetKind::Shared)
    }

    /// Folds the lines that could equal a fingerprint, for [`RuleBook::site_for`]. A line far longer
    /// than every fingerprint cannot fold down to one (folding removes marks, at most a few bytes
    /// per letter), so it is not folded at all: most paragraphs are skipped.
    pub fn fingerprint_lines<'a>(&self, lines: impl Iterator<Item = &'a str>) -> Vec<String> {
        let Some(bound) = self.fingerprint_bound() else {
            return Vec::new();
        };
        lines
            .filter(|l| l.len() <= bound)
            .map(crate::text::fold::fold)
            .collect()
    }

    /// The longest line (in bytes, before folding) that could fold to a fingerprint; None when
    /// no rule set has fingerprints.
    pub fn fingerprint_bound(&self) -> Option<usize> {
        let longest = self
            .sets
            .values()
            .flat_map(|s| s.fingerprints.iter())
            .map(String::len)
            .max()?;
        Some(longest * 4 + 64)
    }

    /// The site rule set for a document: by URL when it is known, else by a fingerprint line.
    /// Sets are tried in id order, so the choice is stable.
    pub fn site_for(&self, url: Option<&str>, folded_lines: &[String]) -> Option<&RuleSet> {
        let sites = || self.sets.values().filter(|s| s.kind == SetKind::Site);
        if let Some(url) = url {
            let host = host_of(url);
            let by_url = sites().find(|s| {
                host.as_deref()
                    .is_some_and(|h| s.hosts.iter().any(|sh| host_matches(h, sh)))
                    || s.url_patterns.iter().any(|re| re.is_match(url))
            });
            if by_url.is_some() {
                return by_url;
            }
        }
        sites().find(|s| s.fingerprints.iter().any(|f| folded_lines.iter().any(|l| l == f)))
    }
}

/// `news.example.com` matches a rule host `example.com`; `badexample.com` does not.
fn host_matches(host: &str, rule_host: &str) -> bool {
    host == rule_host || host.strip_suffix(rule_host).is_some_and(|prefix| prefix.ends_with('.'))
}

/// The lower-case host of an http(s) URL, without `www.` and port.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]"))?
    } else {
        host.split(':').next()?.to_string()
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_on_label_boundaries() {
        assert_eq!(
            host_of("https://www.Example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert!(host_matches("news.example.com", "example.com"));
        assert!(!host_matches("badexample.com", "example.com"));
    }

    #[test]
    fn builtin_rules_load() {
        let book = RuleBook::builtin().map_err(|e| format!("{e:?}")).unwrap();
        assert!(
            book.sets()
                .any(|s| s.id == "arabic-chrome" && s.kind == SetKind::Shared)
        );
        assert!(book.sets().any(|s| s.id == "khabrayn" && s.kind == SetKind::Site));
    }
}
