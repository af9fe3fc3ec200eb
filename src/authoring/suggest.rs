//! `ghirbal rules suggest DIR --site ID`: a rule file proposed from one site's captures, each
//! proposal with its evidence as a comment. The author edits it; `rules check` accepts it as is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use scraper::{ElementRef, Html};

use crate::capture::{self, Kind};
use crate::pipeline;
use crate::rules::{RuleBook, host_of};
use crate::text::fold::fold;

/// A line or block must be on at least this share of the pages (and on two) to be proposed.
pub const MIN_SHARE: f64 = 0.5;

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(70).collect();
    if t.len() < s.len() { format!("{t}…") } else { t }
}

struct Page {
    /// Paragraphs the current rules keep, in order.
    kept: Vec<String>,
    host: Option<String>,
    html: Option<String>,
}

/// The proposed rule file, as TOML text.
pub fn suggest(dir: &PathBuf, site: &str, book: &RuleBook, max_bytes: u64) -> Result<String, String> {
    let (files, _) = capture::discover(std::slice::from_ref(dir));
    let mut pages = Vec::new();
    let mut unreadable = 0;
    for file in &files {
        let Ok(c) = capture::read_capture(file, max_bytes) else {
            unreadable += 1;
            continue;
        };
        let Ok(result) = pipeline::clean_capture(&c, book) else {
            unreadable += 1;
            continue;
        };
        let kept = result
            .cleaned
            .paragraphs
            .iter()
            .filter(|v| v.removed_by.is_none())
            .map(|v| v.text.clone())
            .collect();
        let host = result.url.as_deref().and_then(host_of);
        pages.push(Page {
            kept,
            host,
            html: (c.kind == Kind::Html).then_some(c.text),
        });
    }
    let n = pages.len();
    if n < 2 {
        return Err(format!(
            "{}: {n} readable capture(s); suggestions need at least two pages of the site",
            dir.display()
        ));
    }
    let needed = 2usize.max((MIN_SHARE * n as f64).ceil() as usize);

    // Lines on many pages, by folded text; the first spelling seen is the one proposed.
    let mut line_pages: HashMap<String, (usize, String)> = HashMap::new();
    for p in &pages {
        let mut seen_here = HashSet::new();
        for l in &p.kept {
            let f = fold(l);
            if seen_here.insert(f.clone()) {
                line_pages.entry(f).or_insert((0, l.clone())).0 += 1;
            }
        }
    }
    let repeated = |l: &str| line_pages.get(&fold(l)).is_some_and(|(c, _)| *c >= needed);

    // Where the repeated head ends and the repeated tail starts on each page.
    let mut head_ends: BTreeMap<String, usize> = BTreeMap::new();
    let mut tail_starts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &pages {
        let head = p.kept.iter().take_while(|l| repeated(l)).count();
        if head >= 2 && head < p.kept.len() {
            *head_ends.entry(fold(&p.kept[head - 1])).or_insert(0) += 1;
        }
        let tail = p.kept.iter().rev().take_while(|l| repeated(l)).count();
        if tail >= 2 && tail < p.kept.len() {
            *tail_starts.entry(fold(&p.kept[p.kept.len() - tail])).or_insert(0) += 1;
        }
    }
    let pick = |m: &BTreeMap<String, usize>| {
        m.iter()
            .filter(|(_, c)| **c >= needed)
            .max_by_key(|(_, c)| **c)
            .map(|(l, c)| (l.clone(), *c))
    };
    let cut_before = pick(&head_ends);
    let cut_after = pick(&tail_starts);

    // Lines not covered by the cuts: drop-line proposals.
    let covered = |f: &str| -> bool {
        pages.iter().all(|p| {
            let folded: Vec<String> = p.kept.iter().map(|l| fold(l)).collect();
            let Some(pos) = folded.iter().position(|l| l == f) else {
                return true;
            };
            let before = cut_before
                .as_ref()
                .and_then(|(m, _)| folded.iter().position(|l| l == m))
                .is_some_and(|b| pos <= b);
            let after = cut_after
                .as_ref()
                .and_then(|(m, _)| folded.iter().position(|l| l == m))
                .is_some_and(|a| pos >= a);
            before || after
        })
    };
    let mut drops: Vec<(usize, String)> = line_pages
        .iter()
        .filter(|(f, (c, _))| *c >= needed && !covered(f))
        .map(|(_, (c, original))| (*c, original.clone()))
        .collect();
    drops.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let strips = strip_selectors(&pages, needed);

    // [match]: the hosts seen, else a line on nearly every page as a fingerprint.
    let mut hosts: BTreeMap<String, usize> = BTreeMap::new();
    for h in pages.iter().filter_map(|p| p.host.clone()) {
        *hosts.entry(h).or_insert(0) += 1;
    }
    let mut out = String::new();
    out.push_str(&format!(
        "# Proposed by `ghirbal rules suggest` from {n} capture(s) in {}{}.\n# Each proposal says on how many pages it was seen; edit, then `ghirbal rules check` and add a [[test]].\n",
        dir.display(),
        if unreadable > 0 { format!(" ({unreadable} unreadable, left out)") } else { String::new() }
    ));
    out.push_str(&format!(
        "id = {}\nreason = {}\n\n[match]\n",
        toml_str(site),
        toml_str("proposed from the site's captures; say what the site's pages carry")
    ));
    if hosts.is_empty() {
        let fp = line_pages
            .values()
            .filter(|(c, _)| *c == n)
            .map(|(_, o)| o.clone())
            .min();
        match fp {
            Some(line) => out.push_str(&format!("# on all {n} pages\nfingerprints = [{}]\n", toml_str(&line))),
            None => out.push_str("# no URL and no line common to every page: name the site's host here\nurl-patterns = ['^https?://example\\.invalid/']\n"),
        }
    } else {
        for (h, c) in &hosts {
            out.push_str(&format!("# {h}: {c} of {n} pages\n"));
        }
        let list: Vec<String> = hosts.keys().map(|h| toml_str(h)).collect();
        out.push_str(&format!("hosts = [{}]\n", list.join(", ")));
    }
    if let Some((marker, c)) = &cut_before {
        let original = line_pages.get(marker).map_or(marker.clone(), |(_, o)| o.clone());
        out.push_str(&format!(
            "\n# the repeated head of {c} of {n} pages ends with this line\n[[cut-before]]\nid = \"repeated-head\"\nreason = {}\nmarkers = [{}]\n",
            toml_str(&format!("repeated header lines, seen on {c} of {n} pages")),
            toml_str(&original)
        ));
    }
    if let Some((marker, c)) = &cut_after {
        let original = line_pages.get(marker).map_or(marker.clone(), |(_, o)| o.clone());
        out.push_str(&format!(
            "\n# the repeated tail of {c} of {n} pages starts with this line\n[[cut-after]]\nid = \"repeated-tail\"\nreason = {}\nmarkers = [{}]\n",
            toml_str(&format!("repeated footer lines, seen on {c} of {n} pages")),
            toml_str(&original)
        ));
    }
    if !drops.is_empty() {
        out.push_str("\n[[drop-line]]\nid = \"repeated-lines\"\nreason = \"lines repeated across the site's pages\"\nequals = [\n");
        for (c, line) in drops.iter().take(40) {
            out.push_str(&format!("  # {c} of {n} pages\n  {},\n", toml_str(line)));
        }
        out.push_str("]\n");
    }
    if !strips.is_empty() {
        out.push_str("\n[[strip]]\nid = \"repeated-blocks\"\nreason = \"elements with the same text on many pages\"\nselectors = [\n");
        for (sel, c, text) in &strips {
            out.push_str(&format!(
                "  # {c} of {n} pages: «{}»\n  {},\n",
                short(text),
                toml_str(sel)
            ));
        }
        out.push_str("]\n");
    }
    out.push_str("\n# [[test]]\n# fixture = \"../tests/fixtures/SITE/page.html\"\n# must-contain = [\"a sentence of the article\"]\n# must-not-contain = [\"a line of chrome\"]\n");
    Ok(out)
}

/// Elements (by id, else tag and first class) whose text is the same on many pages.
fn strip_selectors(pages: &[Page], needed: usize) -> Vec<(String, usize, String)> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for p in pages {
        let Some(html) = &p.html else { continue };
        let doc = Html::parse_document(html);
        let mut distinct = HashSet::new();
        for node in doc.root_element().descendants() {
            let Some(el) = ElementRef::wrap(node) else { continue };
            if matches!(
                el.value().name(),
                "html" | "body" | "head" | "script" | "style" | "main" | "article"
            ) {
                continue;
            }
            let selector = match (el.value().id(), el.value().classes().next()) {
                (Some(id), _) if !id.chars().any(|c| c.is_ascii_digit()) && is_css_ident(id) => format!("#{id}"),
                (_, Some(class)) if is_css_ident(class) => format!("{}.{class}", el.value().name()),
                _ => continue,
            };
            let text = el.text().collect::<Vec<_>>().join(" ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() >= 10 {
                distinct.insert((selector, text));
            }
        }
        for key in distinct {
            *seen.entry(key).or_insert(0) += 1;
        }
    }
    let mut found: Vec<(String, usize, String)> = seen
        .into_iter()
        .filter(|(_, c)| *c >= needed)
        .map(|((s, t), c)| (s, c, t))
        .collect();
    // Outer elements first; an element whose text lies inside one already chosen adds nothing.
    found.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.len().cmp(&a.2.len())).then(a.0.cmp(&b.0)));
    let mut chosen: Vec<(String, usize, String)> = Vec::new();
    for f in found {
        if chosen.iter().all(|c| !c.2.contains(&f.2) && c.0 != f.0) {
            chosen.push(f);
        }
        if chosen.len() == 12 {
            break;
        }
    }
    chosen
}

fn is_css_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
