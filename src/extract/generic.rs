//! The generic main-content finder for pages no rule covers.
//!
//! Ideas from the published work (readability's candidate scoring, boilerpipe's and jusText's
//! link density and block length, trafilatura's class/id hints), written for our arena:
//! 1. subtrees whose class/id says "comments", "share", "related" … are dropped, unless they hold
//!    most of the page's text (a `<body class="has-comments">`);
//! 2. every paragraph-like block scores its ancestors (by length and commas), candidates are
//!    weighted by class/id hints and tag, and discounted by link density;
//! 3. the best candidate and the siblings that look like it form the main content;
//! 4. blocks inside it that are mostly links are dropped.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::dom::{Arena, Block, is_heading};
use super::names::NameSet;

/// Ids under which the generic stages count what they removed.
pub const OUTSIDE_MAIN: &str = "generic/outside-main";
pub const BOILERPLATE_CLASS: &str = "generic/boilerplate-class";
pub const LINK_DENSE: &str = "generic/link-dense";

/// class/id words of blocks that are never the article.
const NEGATIVE_STRONG: &[&str] = &[
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "related",
    "outbrain",
    "taboola",
    "newsletter",
    "cookie",
    "cookies",
    "consent",
    "advert",
    "advertisement",
    "ads",
    "ad-slot",
    "adslot",
    "promo",
    "sponsored",
    "recommended",
    "recommendations",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "subscribe",
    "signup",
    "paywall",
    "most-read",
    "mostread",
    "most-popular",
    "popular",
    "trending",
    "read-more",
    "readmore",
    "more-stories",
    "tags",
    "tag-list",
    "author-bio",
    "byline",
    "dateline",
    "timestamp",
    "caption",
    "credit",
    "disclaimer",
    "copyright",
    "skip",
    "sidebar",
    "widget",
    "footer",
    "masthead",
    "toolbar",
    "pagination",
    "pager",
    "print",
    "visually-hidden",
    "sr-only",
    "screen-reader-text",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "header",
    "topbar",
    "banner",
    "prev",
    "pager",
    "overlay",
    "tooltip",
];
const NEGATIVE_WEAK: &[&str] = &[
    "meta", "info", "aside", "extra", "links", "list", "teaser", "card", "rail", "box",
];
const POSITIVE: &[&str] = &[
    "article",
    "article-body",
    "articlebody",
    "article-content",
    "story",
    "story-body",
    "storybody",
    "content",
    "entry",
    "entry-content",
    "post",
    "post-content",
    "post-body",
    "text",
    "body",
    "main",
    "blog",
    "news",
    "article-text",
    "story-text",
    "caas-body",
    "body-text",
    "richtext",
    "rich-text",
    "prose",
    "articlebody",
];

fn words(hints: &str) -> impl Iterator<Item = &str> {
    hints.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty())
}

/// A class/id matches a word when one of its tokens (split on `-`/`_`) or the whole name equals it.
/// Parts after these describe a layout, not the element ("content-with-sidebar", "has-comments").
const LAYOUT_PREFIXES: &[&str] = &["with", "has", "no", "without", "show", "enable", "enabled", "is"];

fn name_has(name: &str, list: &WordSet) -> bool {
    if list.contains(name) {
        return true;
    }
    let mut previous = "";
    for part in name.split(['-', '_']) {
        if part.len() > 2 && list.contains(part) && !LAYOUT_PREFIXES.contains(&previous) {
            return true;
        }
        previous = part;
    }
    false
}

/// A word list looked up by hash: every part of every class name is checked against the lists.
struct WordSet {
    list: &'static [&'static str],
    set: OnceLock<NameSet>,
}

impl WordSet {
    const fn new(list: &'static [&'static str]) -> WordSet {
        WordSet {
            list,
            set: OnceLock::new(),
        }
    }

    fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.list.iter().copied().collect())
            .contains(word)
    }
}

static NEGATIVE_STRONG_WORDS: WordSet = WordSet::new(NEGATIVE_STRONG);
static NEGATIVE_WEAK_WORDS: WordSet = WordSet::new(NEGATIVE_WEAK);
static POSITIVE_WORDS: WordSet = WordSet::new(POSITIVE);
static EMBED_WORDS: WordSet = WordSet::new(&["embed"]);

/// Class/id fragments that mark chrome wherever they appear inside a name.
const NEGATIVE_SUBSTRINGS: &[&str] = &[
    "time_to_read",
    "time-to-read",
    "reading-time",
    "reading_time",
    "readtime",
    "prev_next",
    "prev-next",
    "next_article",
    "next-article",
    "social-",
    "share-",
    "-share",
    "_share",
    "sharing",
    "comment-",
    "-comments",
    "_comments",
    "newsletter",
    "related-",
    "-related",
    "_related",
    "breadcrumb",
    "d-none",
];

/// Names that hide an element only when they are the whole name ("field-label-hidden" hides a label).
const HIDDEN_NAMES: &[&str] = &["hidden", "hide", "invisible", "is-hidden", "u-hidden"];

fn name_negative(name: &str) -> bool {
    name_has(name, &NEGATIVE_STRONG_WORDS)
        || HIDDEN_NAMES.contains(&name)
        || match negative_substrings() {
            Some(automaton) => automaton.is_match(name),
            None => NEGATIVE_SUBSTRINGS.iter().any(|s| name.contains(s)),
        }
}

/// One automaton for all the fragments: every class name of every element is checked.
fn negative_substrings() -> Option<&'static AhoCorasick> {
    static AUTOMATON: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AUTOMATON
        .get_or_init(|| AhoCorasick::new(NEGATIVE_SUBSTRINGS).ok())
        .as_ref()
}

/// Chrome by its class/id: some name says so, and no name says "article body" without also
/// saying chrome ("article_details_tags" is chrome, "article-body" is not).
fn hints_negative(hints: &str) -> bool {
    let mut negative = false;
    let mut positive = false;
    for name in words(hints) {
        if name_negative(name) {
            negative = true;
        } else if name_has(name, &POSITIVE_WORDS) {
            positive = true;
        }
    }
    negative && !positive
}

/// A quoted social-media post in the article ("social-media-embed" around a
/// `blockquote.twitter-tweet`): the author quotes it, so it is text, though its wrapper's class
/// says "social".
fn embedded_post(arena: &Arena, i: usize) -> bool {
    let says_embed = words(arena.hints(i)).any(|name| name_has(name, &EMBED_WORDS));
    says_embed && (i..arena.nodes[i].end).any(|d| arena.nodes[d].tag == "blockquote")
}

fn class_factor(hints: &str) -> f64 {
    let mut f = 1.0;
    if words(hints).any(|n| name_has(n, &POSITIVE_WORDS) && !name_negative(n)) {
        f *= POSITIVE_FACTOR;
    }
    if words(hints).any(|n| name_negative(n) || name_has(n, &NEGATIVE_WEAK_WORDS)) {
        f *= NEGATIVE_FACTOR;
    }
    f
}

/// A candidate scoring this share of the best one is a rival for the main content.
const RIVAL_SHARE: f64 = 0.75;

const POSITIVE_FACTOR: f64 = 1.3;
const NEGATIVE_FACTOR: f64 = 0.5;

fn tag_weight(tag: &str) -> f64 {
    match tag {
        "article" => 10.0,
        "div" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Per-node totals of text and link characters, summed bottom-up.
struct Totals {
    text: Vec<usize>,
    links: Vec<usize>,
}

fn totals(arena: &Arena, blocks: &[Block]) -> Totals {
    let n = arena.nodes.len();
    let mut text = vec![0usize; n];
    let mut links = vec![0usize; n];
    for b in blocks {
        text[b.container] += b.chars;
        links[b.container] += b.link_chars;
    }
    for i in (0..n).rev() {
        let p = arena.nodes[i].parent;
        if p != usize::MAX {
            text[p] += text[i];
            links[p] += links[i];
        }
    }
    Totals { text, links }
}

fn link_density(t: &Totals, i: usize) -> f64 {
    if t.text[i] == 0 {
        0.0
    } else {
        t.links[i] as f64 / t.text[i] as f64
    }
}

/// For each block: None when it is main content, or the id of the stage that removed it.
pub fn select(arena: &Arena, blocks: &[Block]) -> Vec<Option<&'static str>> {
    let n = arena.nodes.len();
    let mut verdicts: Vec<Option<&'static str>> = vec![None; blocks.len()];
    if n == 0 || blocks.is_empty() {
        return verdicts;
    }
    let t = totals(arena, blocks);
    let page_text = t.text[0].max(1);

    // 1. Boilerplate subtrees by class/id.
    let mut dropped = vec![false; n];
    let mut i = 0;
    while i < n {
        let node = &arena.nodes[i];
        if !node.tag.is_empty()
            && hints_negative(arena.hints(i))
            && t.text[i] * 2 < page_text
            && !embedded_post(arena, i)
        {
            for d in dropped.iter_mut().take(node.end).skip(i) {
                *d = true;
            }
            i = node.end;
        } else {
            i += 1;
        }
    }
    for (b, v) in blocks.iter().zip(verdicts.iter_mut()) {
        if dropped[b.container] {
            *v = Some(BOILERPLATE_CLASS);
        }
    }

    // 2. Candidate scores.
    let mut score = vec![0.0f64; n];
    let mut scored = vec![false; n];
    for (b, v) in blocks.iter().zip(&verdicts) {
        if v.is_some() || b.chars < 25 || b.heading || b.link_chars * 2 > b.chars {
            continue;
        }
        let commas = b.text.chars().filter(|c| matches!(c, ',' | '،' | '、' | '，')).count() as f64;
        let s = 1.0 + commas + (b.chars as f64 / 100.0).min(3.0);
        let mut node = arena.nodes[b.container].parent;
        // The block's own container when it is a text-holding div, then up to four ancestors.
        let own = b.container;
        let mut level = 0usize;
        let mut targets = vec![];
        if !matches!(
            arena.nodes[own].tag.as_ref(),
            "p" | "li" | "td" | "pre" | "blockquote" | "span"
        ) {
            targets.push((own, 1.0));
        }
        while node != usize::MAX && level < 5 {
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            targets.push((node, divider));
            node = arena.nodes[node].parent;
            level += 1;
        }
        for (target, divider) in targets {
            if !scored[target] {
                scored[target] = true;
                let nd = &arena.nodes[target];
                score[target] = tag_weight(&nd.tag);
            }
            score[target] += s / divider;
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for i in 0..n {
        if !scored[i] || dropped[i] || matches!(arena.nodes[i].tag.as_ref(), "html" | "body") {
            continue;
        }
        // Class hints scale what the text earned rather than add to it, so a short block named
        // "content-wrapper" cannot beat the paragraphs of the real article.
        let final_score = score[i] * (1.0 - link_density(&t, i)) * class_factor(arena.hints(i));
        score[i] = final_score;
        if best.is_none_or(|(_, b)| final_score > b) {
            best = Some((i, final_score));
        }
    }
    let Some((mut top, top_score)) = best else {
        return verdicts;
    };
    // An article split over several sibling sections scores each section alike: when other
    // candidates, outside the top one, come close to it, the main content is their common
    // ancestor.
    let rivals: Vec<usize> = (0..n)
        .filter(|&i| {
            scored[i]
                && !dropped[i]
                && score[i] >= top_score * RIVAL_SHARE
                && !arena.contains(i, top)
                && !arena.contains(top, i)
                && !matches!(arena.nodes[i].tag.as_ref(), "html" | "body")
        })
        .collect();
    for r in rivals {
        let mut a = arena.nodes[top].parent;
        while a != usize::MAX && !arena.contains(a, r) {
            a = arena.nodes[a].parent;
        }
        if a != usize::MAX && !matches!(arena.nodes[a].tag.as_ref(), "html" | "body") {
            top = a;
        }
    }
    let top_score = top_score.max(score[top]);

    // 3. The top candidate and the siblings that look like it.
    let parent = arena.nodes[top].parent;
    let mut roots = vec![top];
    if parent != usize::MAX {
        let threshold = (top_score * 0.2).max(10.0);
        let mut child = parent + 1;
        while child < arena.nodes[parent].end {
            let c = &arena.nodes[child];
            if child != top && !c.tag.is_empty() && !dropped[child] {
                let ld = link_density(&t, child);
                let len = t.text[child];
                let joins = (scored[child] && score[child] >= threshold)
                    || (c.tag == "p" && ((len > 80 && ld < 0.25) || (len > 0 && len <= 80 && ld == 0.0)));
                if joins {
                    roots.push(child);
                }
            }
            child = c.end;
        }
    }

    // 4. Keep the blocks inside; drop link-dense ones there.
    for (b, v) in blocks.iter().zip(verdicts.iter_mut()) {
        if v.is_some() {
            continue;
        }
        if !roots.iter().any(|&r| arena.contains(r, b.container)) {
            *v = Some(OUTSIDE_MAIN);
        } else if b.link_chars * 2 > b.chars && !is_heading(&arena.nodes[b.container].tag) {
            *v = Some(LINK_DENSE);
        }
    }
    verdicts
}
