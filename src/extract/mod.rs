//! HTML captures: parse, choose the site's rules, strip by selectors, find the main content
//! (the site's selectors or the generic finder), and hand its blocks to the text engine.

pub mod dom;
pub mod generic;
pub mod meta;
pub mod names;
pub mod prestrip;
pub mod stream;

use std::collections::HashSet;

use scraper::Html;

use crate::rules::{RuleBook, RuleSet};
use crate::text::heuristics::Heuristic;
use crate::text::{engine, fold::fold, tidy_line};
pub use meta::Metadata;

/// Blocks outside a site's main-content selector.
pub const SITE_OUTSIDE_MAIN: &str = "site/outside-main";
/// Blocks set aside because the page's JSON-LD states a longer article body.
pub const JSON_LD_PREFERRED: &str = "generic/json-ld-body-preferred";
/// A block that repeats the document title.
pub const TITLE: &str = "generic/title";

pub struct Extracted<'b> {
    pub cleaned: engine::Cleaned,
    pub meta: Metadata,
    pub site: Option<&'b RuleSet>,
    /// The URL the site was chosen by (sidecar, canonical or og:url).
    pub url: Option<String>,
    /// Whether the site's main-content selectors matched; None when it has none.
    pub main_matched: Option<bool>,
}

/// Elements nested deeper than this make a page pathological (browsers stop nesting at 512).
pub const MAX_NESTING: usize = 5_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("pathological HTML: elements nested about {0} deep, over the limit of {MAX_NESTING}")]
    TooDeep(usize),
}

/// Extracts the main text of one HTML page.
pub fn extract<'b>(
    html_text: &str,
    sidecar_url: Option<&str>,
    book: &'b RuleBook,
) -> Result<Extracted<'b>, ExtractError> {
    let too_deep = || ExtractError::TooDeep(dom::nesting_estimate(&prestrip::strip(html_text)).max(MAX_NESTING + 1));
    let (plain, meta) = stream::parse(html_text, MAX_NESTING).map_err(|_| too_deep())?;
    let url = sidecar_url
        .map(str::to_string)
        .or_else(|| meta.canonical_url.clone().filter(|u| u.starts_with("http")))
        .or_else(|| meta.og_url.clone().filter(|u| u.starts_with("http")));
    let mut blocks = dom::blocks(&plain);
    // Fingerprints are looked for in the title and the page's short text lines; a line folded
    // for that is kept for the text rules below.
    let mut folds: Vec<Option<String>> = Vec::new();
    let site = book.site_for(url.as_deref(), &[]).or_else(|| {
        let bound = book.fingerprint_bound()?;
        folds = blocks
            .iter()
            .map(|b| (b.text.len() <= bound).then(|| fold(&b.text)))
            .collect();
        let title = meta.title.as_deref().filter(|t| t.len() <= bound).map(fold);
        let lines: Vec<String> = title.into_iter().chain(folds.iter().flatten().cloned()).collect();
        book.site_for(None, &lines)
    });
    let mut removed_by_selectors: Vec<(String, usize)> = Vec::new();
    let mut main = HashSet::new();
    // Only CSS selectors need a full DOM; every other page keeps the one-pass arena.
    let arena = match site.filter(|s| !s.strip.is_empty() || !s.main_content.is_empty()) {
        None => plain,
        Some(site) => {
            drop(plain);
            folds.clear();
            let visible = prestrip::strip(html_text);
            if dom::nesting_estimate(&visible) > MAX_NESTING {
                return Err(too_deep());
            }
            let html = Html::parse_document(&visible);
            drop(visible);
            let mut strip = HashSet::new();
            for rule in &site.strip {
                let mut hits = 0;
                for sel in &rule.selectors {
                    for el in html.select(sel) {
                        strip.insert(el.id());
                        hits += 1;
                    }
                }
                if hits > 0 {
                    removed_by_selectors.push((rule.id.clone(), hits));
                }
            }
            for sel in site.main_content.iter().flat_map(|r| r.selectors.iter()) {
                main.extend(html.select(sel).map(|el| el.id()));
                if !main.is_empty() {
                    break;
                }
            }
            let arena = dom::Arena::build(&html, &strip, &main);
            blocks = dom::blocks(&arena);
            arena
        }
    };
    let verdicts: Vec<Option<&'static str>> = if !arena.main_roots.is_empty() {
        blocks
            .iter()
            .map(|b| {
                let inside = arena.main_roots.iter().any(|&r| arena.contains(r, b.container));
                (!inside).then_some(SITE_OUTSIDE_MAIN)
            })
            .collect()
    } else {
        generic::select(&arena, &blocks)
    };

    let title_folded = meta.title.as_deref().map(fold);
    // Every block in page order with what the HTML stages decided; the kept ones then go
    // through the text rules and heuristics, folded once here for both.
    enum Staged {
        Removed(String, &'static str),
        Kept,
    }
    let mut staged: Vec<Staged> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    let mut kept_folded: Vec<String> = Vec::new();
    for (i, (b, v)) in blocks.iter().zip(verdicts).enumerate() {
        let text = tidy_line(&b.text);
        if text.is_empty() {
            continue;
        }
        if let Some(id) = v {
            staged.push(Staged::Removed(text, id));
            continue;
        }
        let folded = match folds.get_mut(i).and_then(Option::take) {
            Some(folded) if text == b.text => folded,
            _ => fold(&text),
        };
        // The title lives in `title`, never inside the text.
        if title_folded.as_deref() == Some(folded.as_str()) {
            staged.push(Staged::Removed(text, TITLE));
        } else {
            staged.push(Staged::Kept);
            kept.push(text);
            kept_folded.push(folded);
        }
    }
    // Some pages render only the start of the article and state the whole of it in JSON-LD.
    if let Some(body) = meta.json_ld_body.as_deref() {
        let from_json: Vec<String> = body
            .split(['\n', '\r'])
            .map(tidy_line)
            .filter(|l| !l.is_empty())
            .collect();
        let words = |ps: &[String]| ps.iter().map(|p| p.split_whitespace().count()).sum::<usize>();
        if words(&from_json) > words(&kept) * 3 / 2 + 20 {
            let mut set_aside = std::mem::take(&mut kept).into_iter();
            for s in staged.iter_mut().filter(|s| matches!(s, Staged::Kept)) {
                *s = Staged::Removed(set_aside.next().unwrap_or_default(), JSON_LD_PREFERRED);
            }
            staged.extend(from_json.iter().map(|_| Staged::Kept));
            kept_folded = from_json.iter().map(|p| fold(p)).collect();
            kept = from_json;
        }
    }
    let text_pass = engine::clean_folded_without(kept, kept_folded, book, site, &[Heuristic::RepeatedLine]);
    let mut removed = text_pass.removed;
    for (id, count) in removed_by_selectors {
        *removed.entry(id).or_insert(0) += count;
    }
    let mut from_text_pass = text_pass.paragraphs.into_iter();
    let mut paragraphs = Vec::with_capacity(staged.len());
    for s in staged {
        match s {
            Staged::Removed(text, id) => {
                *removed.entry(id.to_string()).or_insert(0) += 1;
                paragraphs.push(engine::Verdict {
                    text,
                    removed_by: Some(id.to_string()),
                });
            }
            Staged::Kept => paragraphs.extend(from_text_pass.next()),
        }
    }
    let cleaned = engine::Cleaned { paragraphs, removed };
    let main_matched = site.filter(|s| !s.main_content.is_empty()).map(|_| !main.is_empty());
    Ok(Extracted {
        cleaned,
        meta,
        site,
        url,
        main_matched,
    })
}
