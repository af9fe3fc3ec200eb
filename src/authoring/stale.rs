//! Rules that no longer match their site: after a `clean` run, rule sets whose main-content
//! selector matched few of their pages, and rules that fired on none.

use std::collections::{BTreeMap, BTreeSet};

use crate::output::ManifestEntry;
use crate::rules::RuleBook;

/// A main-content selector must match at least this share of its site's pages.
pub const MAIN_CONTENT_MIN_SHARE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleRule {
    pub id: String,
    pub message: String,
}

/// What the run's manifest says about each site set that had pages in it.
pub fn stale_rules(book: &RuleBook, entries: &[ManifestEntry]) -> Vec<StaleRule> {
    let mut pages: BTreeMap<&str, usize> = BTreeMap::new();
    let mut main_missed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fired: BTreeSet<&str> = BTreeSet::new();
    for e in entries {
        let Some(site) = e.site.as_deref() else { continue };
        *pages.entry(site).or_insert(0) += 1;
        if e.main_content_matched == Some(false) {
            *main_missed.entry(site).or_insert(0) += 1;
        }
        fired.extend(e.removed.keys().map(String::as_str));
    }
    let mut out = Vec::new();
    for set in book.sets() {
        let Some(&n) = pages.get(set.id.as_str()) else { continue };
        if !set.main_content.is_empty() {
            let missed = main_missed.get(set.id.as_str()).copied().unwrap_or(0);
            let matched = n - missed;
            if (matched as f64) < MAIN_CONTENT_MIN_SHARE * n as f64 {
                out.push(StaleRule {
                    id: set.id.clone(),
                    message: format!("main-content matched {matched} of {n} page(s): has the site been redesigned?"),
                });
            }
        }
        for id in set.rules.iter().map(|r| &r.id).chain(set.strip.iter().map(|r| &r.id)) {
            if !fired.contains(id.as_str()) {
                out.push(StaleRule {
                    id: id.clone(),
                    message: format!("fired on none of the site's {n} page(s)"),
                });
            }
        }
    }
    out
}
