//! One pass over an HTML page: a tokenizer and a small tree builder that write the arena and
//! gather the metadata as they go, with no DOM in between.
//!
//! A full HTML5 tree builder spends most of its time on work a text extractor never looks at:
//! reference-counted nodes, atoms for every name, attributes kept for selectors. This one keeps
//! what decides the text: the tokenizer's states for tags, attributes, comments, raw text and
//! character references; implied end tags (`<p>`, `<li>`, `<dd>`, table parts); scopes for end
//! tags; implied table bodies and rows. It leaves out what only moves or renames nodes
//! (adoption agency, foster parenting, quirks): on text those change at most which block a stray
//! run lands in. Pages whose site rules name CSS selectors still go through html5ever.

use std::borrow::Cow;
use std::sync::OnceLock;

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use memchr::{memchr, memmem};

use super::dom::{Arena, ArenaNode, BLOCK_TAGS, SKIPPED_TAGS, Span, hidden, push_collapsed, push_hints, span_of};
use super::meta::{Collector, Metadata};
use super::names::NameMap;

/// Elements whose content the tokenizer reads as raw text up to their end tag. Those that show
/// nothing are also left out of the arena; SVG and MathML are cut whole, as the old prestrip did.
const RAW_TEXT: &[&str] = &[
    "script", "style", "noscript", "svg", "math", "template", "iframe", "textarea", "title", "xmp", "noembed",
    "noframes",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "image", "input", "keygen", "link", "meta", "param", "source",
    "track", "wbr", "basefont", "bgsound", "frame",
];

/// Start tags that close an open `<p>` first.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "table",
    "hr",
    "li",
    "dd",
    "dt",
    "plaintext",
];

/// The HTML standard's "special" elements: an end tag for anything else stops at them.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Elements that bound the default scope of an end tag.
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];
const TABLE_PARTS: &[&str] = &[
    "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
];
/// Elements the parser re-opens and re-parents rather than nest across blocks.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];
const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// What the tree builder needs to know of a tag name, as bits.
mod kind {
    pub const SPECIAL: u16 = 1;
    pub const CLOSES_P: u16 = 1 << 1;
    pub const SCOPE: u16 = 1 << 2;
    pub const TABLE_PART: u16 = 1 << 3;
    pub const HEADING: u16 = 1 << 4;
    pub const FORMATTING: u16 = 1 << 5;
    pub const VOID: u16 = 1 << 6;
    pub const RAW_TEXT: u16 = 1 << 7;
    pub const SKIPPED: u16 = 1 << 8;
    pub const BLOCK: u16 = 1 << 9;
}

type KindMap = NameMap<u16>;

/// Every tag name the lists above know, with its kind bits.
fn kinds() -> &'static KindMap {
    static KINDS: OnceLock<KindMap> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut map = KindMap::default();
        for (list, bit) in [
            (SPECIAL, kind::SPECIAL),
            (CLOSES_P, kind::CLOSES_P),
            (SCOPE, kind::SCOPE),
            (TABLE_PARTS, kind::TABLE_PART),
            (HEADINGS, kind::HEADING),
            (FORMATTING, kind::FORMATTING),
            (VOID, kind::VOID),
            (RAW_TEXT, kind::RAW_TEXT),
            (SKIPPED_TAGS, kind::SKIPPED),
            (BLOCK_TAGS, kind::BLOCK),
            (INLINE, 0),
        ] {
            for name in list {
                *map.entry(name).or_insert(0) |= bit;
            }
        }
        map
    })
}

/// A lower-case tag name and its kind bits; known names cost no allocation.
#[derive(Clone)]
struct Tag {
    name: Cow<'static, str>,
    kind: u16,
}

impl Tag {
    fn known(name: &'static str) -> Tag {
        Tag {
            name: Cow::Borrowed(name),
            kind: kinds().get(name).copied().unwrap_or(0),
        }
    }

    fn of(raw: &str) -> Tag {
        let map = kinds();
        if let Some((&name, &kind)) = map.get_key_value(raw) {
            return Tag {
                name: Cow::Borrowed(name),
                kind,
            };
        }
        let lower = raw.to_ascii_lowercase();
        match map.get_key_value(lower.as_str()) {
            Some((&name, &kind)) => Tag {
                name: Cow::Borrowed(name),
                kind,
            },
            None => Tag {
                name: Cow::Owned(lower),
                kind: 0,
            },
        }
    }

    fn is(&self, bits: u16) -> bool {
        self.kind & bits != 0
    }

    fn name(&self) -> &str {
        &self.name
    }
}

/// How far down the open elements an end tag or an implied end looks for its element. Without a
/// bound a page nested thousands deep costs thousands of steps per tag (html5ever's quadratic
/// time); browsers stop nesting at 512 anyway (Blink), so no real page is read differently.
const MAX_SCAN: usize = 512;

/// The parse stopped: the page nests elements deeper than `limit`.
#[derive(Debug)]
pub struct TooDeep;

/// Parses `html` into the arena (no main-content roots) and its metadata.
pub fn parse(html: &str, limit: usize) -> Result<(Arena, Metadata), TooDeep> {
    let mut b = Builder::new(limit);
    // Sized from the page so the arena grows without copying: about one node per 64 bytes of
    // HTML and one byte of text or hints per 8 on news pages.
    b.nodes.reserve(html.len() / 64);
    b.strings.reserve(html.len() / 8);
    tokenize(html, &mut b);
    if b.too_deep {
        return Err(TooDeep);
    }
    b.flush_text();
    while b.stack.len() > 2 {
        b.pop();
    }
    let end = b.nodes.len();
    b.nodes[0].end = end;
    b.nodes[1].end = end;
    if let Some(h1) = b.h1.take() {
        b.meta.h1(&h1.1);
    }
    Ok((
        Arena {
            nodes: b.nodes,
            main_roots: Vec::new(),
            strings: b.strings,
        },
        b.meta.finish(),
    ))
}

/// A tag's attributes as written: names borrowed, values decoded only when they hold `&`.
struct Attrs<'a> {
    list: Vec<(&'a str, Cow<'a, str>)>,
}

impl<'a> Attrs<'a> {
    /// The first value of the attribute `name` (lower case); later duplicates are ignored.
    fn get(&self, name: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

fn tokenize(src: &str, b: &mut Builder) {
    let bytes = src.as_bytes();
    let mut attrs = Attrs { list: Vec::new() };
    let mut at = 0;
    while at < bytes.len() && !b.too_deep {
        let Some(off) = memchr(b'<', &bytes[at..]) else {
            b.text(&src[at..]);
            break;
        };
        let lt = at + off;
        if lt > at {
            b.text(&src[at..lt]);
        }
        let next = bytes.get(lt + 1).copied();
        at = match next {
            Some(b'!') => {
                if bytes[lt + 2..].starts_with(b"--") {
                    comment_end(bytes, lt + 4)
                } else {
                    memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |g| lt + g + 1)
                }
            }
            Some(b'?') => memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |g| lt + g + 1),
            Some(b'/') => match bytes.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (tag, after_name) = tag_name(src, lt + 2);
                    let Some((end, _)) = read_attrs(src, after_name, &mut attrs) else {
                        break;
                    };
                    b.end_tag(&tag);
                    end
                }
                Some(b'>') => lt + 3,
                _ => memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |g| lt + g + 1),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let (tag, after_name) = tag_name(src, lt + 1);
                // A tag cut off by the end of the page is dropped, as browsers do.
                let Some((end, _self_closing)) = read_attrs(src, after_name, &mut attrs) else {
                    break;
                };
                if tag.is(kind::RAW_TEXT) {
                    let close = raw_text_end(bytes, end, tag.name().as_bytes());
                    b.raw_element(tag, &attrs, &src[end..close.0]);
                    close.1
                } else {
                    b.start_tag(tag, &attrs);
                    end
                }
            }
            _ => {
                b.text("<");
                lt + 1
            }
        };
    }
}

/// Where a comment whose text starts at `from` ends, past its `-->`.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or(&[]);
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    memmem::find(rest, b"-->").map_or(bytes.len(), |p| from + p + 3)
}

/// The tag name starting at `from`, and where it ends.
fn tag_name(src: &str, from: usize) -> (Tag, usize) {
    let bytes = src.as_bytes();
    let end = bytes[from..]
        .iter()
        .position(|&c| is_space(c) || c == b'/' || c == b'>')
        .map_or(bytes.len(), |p| from + p);
    (Tag::of(&src[from..end]), end)
}

/// Inline elements common enough to be worth a static name.
const INLINE: &[&str] = &[
    "a", "span", "b", "i", "em", "strong", "small", "time", "u", "s", "sup", "sub", "abbr", "cite", "code", "font",
    "mark", "q", "label", "picture",
];

/// Reads attributes from `from` to the tag's `>`: where the tag ends and whether it is written
/// self-closing. None when the page ends inside the tag.
fn read_attrs<'a>(src: &'a str, from: usize, attrs: &mut Attrs<'a>) -> Option<(usize, bool)> {
    let bytes = src.as_bytes();
    attrs.list.clear();
    let mut i = from;
    loop {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((i + 1, false)),
            b'/' => {
                if bytes.get(i + 1) == Some(&b'>') {
                    return Some((i + 2, true));
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // The first character of a name may be `=`; after it, `=` ends the name.
        let name_start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &src[name_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value: &str = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i)? {
                &q @ (b'"' | b'\'') => {
                    let close = memchr(q, &bytes[i + 1..])? + i + 1;
                    value = &src[i + 1..close];
                    i = close + 1;
                }
                b'>' => {}
                _ => {
                    let start = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &src[start..i];
                }
            }
        }
        let value = if value.contains('&') {
            let mut decoded = String::with_capacity(value.len());
            decode_into(&mut decoded, value, true);
            Cow::Owned(decoded)
        } else {
            Cow::Borrowed(value)
        };
        attrs.list.push((name, value));
    }
}

/// Where the raw text of an element named `name` that starts at `from` ends, and where its end
/// tag ends; the end of the page when it is never closed.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> (usize, usize) {
    let mut at = from;
    while let Some(off) = memchr(b'<', &bytes[at..]) {
        let lt = at + off;
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..lt + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(lt + 2 + name.len())
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            let close = memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |g| lt + g + 1);
            return (lt, close);
        }
        at = lt + 1;
    }
    (bytes.len(), bytes.len())
}

/// Appends `text` with its character references decoded, as the HTML tokenizer does (in an
/// attribute, a reference without `;` followed by `=` or an alphanumeric stays as written).
fn decode_into(out: &mut String, text: &str, in_attribute: bool) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(off) = memchr(b'&', &bytes[at..]) {
        let amp = at + off;
        out.push_str(&text[copied..amp]);
        let (consumed, decoded) = reference(&text[amp + 1..], in_attribute);
        match decoded {
            Some((first, second)) => {
                out.push(first);
                out.extend(second);
            }
            None => out.push('&'),
        }
        copied = amp + 1 + consumed;
        at = copied;
    }
    out.push_str(&text[copied..]);
}

/// The character reference at the start of `rest` (just after `&`): how many bytes it used and
/// the characters it stands for.
fn reference(rest: &str, in_attribute: bool) -> (usize, Option<(char, Option<char>)>) {
    let bytes = rest.as_bytes();
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let digits_from = if hex { 2 } else { 1 };
        let digits = bytes[digits_from.min(bytes.len())..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return (0, None);
        }
        let end = digits_from + digits;
        let value = u32::from_str_radix(&rest[digits_from..end], if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let used = end + usize::from(bytes.get(end) == Some(&b';'));
        let c = match value {
            0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize].or_else(|| char::from_u32(value)),
            0 => None,
            v => char::from_u32(v),
        };
        return (used, Some((c.unwrap_or('\u{FFFD}'), None)));
    }
    // The longest name in the table that the text starts with; the table holds every prefix of
    // every name (mapped to zero), so the walk can stop at the first miss.
    let mut best: Option<(usize, u32, u32)> = None;
    for (len, &c) in bytes.iter().enumerate().take(40) {
        if !(c.is_ascii_alphanumeric() || c == b';') {
            break;
        }
        match NAMED_ENTITIES.get(&rest[..=len]) {
            None => break,
            Some(&(0, _)) => {}
            Some(&(first, second)) => best = Some((len + 1, first, second)),
        }
        if c == b';' {
            break;
        }
    }
    let Some((used, first, second)) = best else {
        return (0, None);
    };
    if in_attribute
        && bytes[used - 1] != b';'
        && bytes.get(used).is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric())
    {
        return (0, None);
    }
    let Some(first) = char::from_u32(first) else {
        return (0, None);
    };
    (used, Some((first, char::from_u32(second).filter(|_| second != 0))))
}

struct Open {
    tag: Tag,
    /// Its arena index; usize::MAX when it is left out of the arena.
    node: usize,
}

struct Builder {
    nodes: Vec<ArenaNode>,
    strings: String,
    /// Open elements, `html` and `body` at the bottom (never popped).
    stack: Vec<Open>,
    /// Open elements left out of the arena (skipped tags, hidden ones, and all inside them).
    left_out: usize,
    open_p: usize,
    open_tables: usize,
    text: String,
    meta: Collector,
    /// The first `<h1>`: the stack height below it and its text so far.
    h1: Option<(usize, String)>,
    html_seen: bool,
    body_seen: bool,
    limit: usize,
    too_deep: bool,
}

impl Builder {
    fn new(limit: usize) -> Builder {
        let element = |tag: &'static str, parent: usize| ArenaNode {
            parent,
            end: 0,
            tag: Cow::Borrowed(tag),
            text: Span::default(),
            hints: Span::default(),
            is_block: true,
        };
        Builder {
            nodes: vec![element("html", usize::MAX), element("body", 0)],
            strings: String::new(),
            stack: vec![
                Open {
                    tag: Tag::known("html"),
                    node: 0,
                },
                Open {
                    tag: Tag::known("body"),
                    node: 1,
                },
            ],
            left_out: 0,
            open_p: 0,
            open_tables: 0,
            text: String::new(),
            meta: Collector::default(),
            h1: None,
            html_seen: false,
            body_seen: false,
            limit,
            too_deep: false,
        }
    }

    fn text(&mut self, raw: &str) {
        let start = self.text.len();
        if raw.contains('&') {
            decode_into(&mut self.text, raw, false);
        } else {
            self.text.push_str(raw);
        }
        if let Some((_, h1)) = &mut self.h1 {
            h1.push_str(&self.text[start..]);
        }
    }

    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        if self.left_out == 0 {
            let parent = self.stack.last().map_or(1, |o| o.node);
            let index = self.nodes.len();
            self.nodes.push(ArenaNode {
                parent,
                end: index + 1,
                tag: Cow::Borrowed(""),
                text: span_of(&mut self.strings, |s| push_collapsed(s, &self.text)),
                hints: Span::default(),
                is_block: false,
            });
        }
        self.text.clear();
    }

    fn top(&self) -> Option<&Tag> {
        self.stack.last().map(|o| &o.tag)
    }

    fn top_is(&self, name: &str) -> bool {
        self.top().is_some_and(|t| t.name() == name)
    }

    /// The stack index of the nearest open `name` inside the scope that `bounds` (and the
    /// default scope elements, when `default_scope`) delimit.
    fn in_scope(&self, names: &[&str], default_scope: bool, bounds: &[&str]) -> Option<usize> {
        for (i, open) in self.stack.iter().enumerate().rev().take(MAX_SCAN) {
            let tag = open.tag.name();
            if names.contains(&tag) {
                return Some(i);
            }
            if (default_scope && open.tag.is(kind::SCOPE)) || bounds.contains(&tag) {
                return None;
            }
        }
        None
    }

    /// The stack index of the nearest open element named `name`, looking down past no element
    /// with a `stop` kind bit (`html` is both special and a scope boundary).
    fn find_open(&self, name: &str, stop: u16) -> Option<usize> {
        for (i, open) in self.stack.iter().enumerate().rev().take(MAX_SCAN) {
            if open.tag.name() == name {
                return Some(i);
            }
            if open.tag.is(stop) {
                return None;
            }
        }
        None
    }

    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        match open.tag.name() {
            "p" => self.open_p -= 1,
            "table" => self.open_tables -= 1,
            _ => {}
        }
        if open.node == usize::MAX {
            self.left_out -= 1;
        } else {
            self.nodes[open.node].end = self.nodes.len();
        }
        if let Some((below, _)) = &self.h1
            && self.stack.len() <= *below
            && let Some((_, text)) = self.h1.take()
        {
            self.meta.h1(&text);
        }
    }

    /// Pops until the element at stack index `index` is closed (`html` and `body` stay).
    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index.max(2) {
            self.pop();
        }
    }

    fn close_p(&mut self) {
        if self.open_p > 0
            && let Some(i) = self.in_scope(&["p"], true, &["button"])
        {
            self.pop_to(i);
        }
    }

    fn push(&mut self, tag: Tag, attrs: &Attrs, leaf: bool) {
        if self.stack.len() >= self.limit {
            self.too_deep = true;
            return;
        }
        if tag.name() == "h1" && self.h1.is_none() && self.meta.wants_h1() && !leaf {
            self.h1 = Some((self.stack.len(), String::new()));
        }
        let out = self.left_out > 0 || tag.is(kind::SKIPPED) || hidden(tag.name(), |a| attrs.get(a));
        let node = if out {
            usize::MAX
        } else {
            let index = self.nodes.len();
            self.nodes.push(ArenaNode {
                parent: self.stack.last().map_or(1, |o| o.node),
                end: index + 1,
                tag: tag.name.clone(),
                text: Span::default(),
                hints: span_of(&mut self.strings, |s| push_hints(s, |a| attrs.get(a))),
                is_block: tag.is(kind::BLOCK) || tag.name() == "br",
            });
            index
        };
        if leaf {
            return;
        }
        if out {
            self.left_out += 1;
        }
        match tag.name() {
            "p" => self.open_p += 1,
            "table" => self.open_tables += 1,
            _ => {}
        }
        self.stack.push(Open { tag, node });
    }

    fn start_tag(&mut self, tag: Tag, attrs: &Attrs) {
        match tag.name() {
            "html" => {
                if !self.html_seen {
                    self.html_seen = true;
                    self.nodes[0].hints = span_of(&mut self.strings, |s| push_hints(s, |a| attrs.get(a)));
                    if let Some(lang) = attrs.get("lang") {
                        self.meta.html_lang(lang);
                    }
                }
                return;
            }
            "body" => {
                if !self.body_seen {
                    self.body_seen = true;
                    self.nodes[1].hints = span_of(&mut self.strings, |s| push_hints(s, |a| attrs.get(a)));
                }
                return;
            }
            "head" | "frameset" => return,
            "meta" => {
                let key = attrs
                    .get("property")
                    .or_else(|| attrs.get("name"))
                    .or_else(|| attrs.get("itemprop"));
                if let (Some(key), Some(content)) = (key, attrs.get("content")) {
                    self.meta.meta_tag(key, content);
                }
                return;
            }
            "link" => {
                if let Some(rel) = attrs.get("rel")
                    && rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    && let Some(href) = attrs.get("href")
                {
                    self.meta.canonical(href);
                }
                return;
            }
            "time" => {
                if let Some(datetime) = attrs.get("datetime") {
                    self.meta.time(datetime);
                }
            }
            _ if tag.is(kind::TABLE_PART) && self.open_tables == 0 => return,
            _ => {}
        }
        self.flush_text();
        let name = tag.name();
        if tag.is(kind::CLOSES_P) {
            self.close_p();
        }
        match name {
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
                for i in (0..self.stack.len()).rev().take(MAX_SCAN) {
                    let open = &self.stack[i].tag;
                    if closes.contains(&open.name()) {
                        self.pop_to(i);
                        break;
                    }
                    if open.is(kind::SPECIAL) && !matches!(open.name(), "address" | "div" | "p") {
                        break;
                    }
                }
            }
            // A heading directly in a heading ends it.
            _ if tag.is(kind::HEADING) && self.top().is_some_and(|t| t.is(kind::HEADING)) => self.pop(),
            // A link inside a link ends the first.
            "a" => self.end_formatting("a"),
            "tr" => {
                if let Some(i) = self.in_scope(&["tr"], false, &["table", "html", "template"]) {
                    self.pop_to(i);
                }
                self.imply_table_body();
            }
            "td" | "th" => {
                if let Some(i) = self.in_scope(&["td", "th"], false, &["table", "html", "template", "tr"]) {
                    self.pop_to(i);
                }
                self.imply_table_body();
                if self.top_is("tbody") || self.top_is("thead") || self.top_is("tfoot") {
                    self.push(Tag::known("tr"), &Attrs { list: Vec::new() }, false);
                }
            }
            "tbody" | "thead" | "tfoot" => {
                if let Some(i) = self.in_scope(&["tbody", "thead", "tfoot"], false, &["table", "html", "template"]) {
                    self.pop_to(i);
                }
            }
            "option" if self.top_is("option") => self.pop(),
            "button" => {
                if let Some(i) = self.in_scope(&["button"], true, &[]) {
                    self.pop_to(i);
                }
            }
            _ => {}
        }
        let tag = if name == "image" { Tag::known("img") } else { tag };
        let leaf = tag.is(kind::VOID);
        self.push(tag, attrs, leaf);
    }

    /// Rows directly in a table get a `<tbody>`, as the parser would add.
    fn imply_table_body(&mut self) {
        if self.top_is("table") {
            self.push(Tag::known("tbody"), &Attrs { list: Vec::new() }, false);
        }
    }

    fn end_tag(&mut self, end: &Tag) {
        self.flush_text();
        let tag = end.name();
        let target = match tag {
            "html" | "body" | "head" => return,
            "br" => {
                self.push(Tag::known("br"), &Attrs { list: Vec::new() }, true);
                return;
            }
            "p" => {
                if self.open_p == 0 {
                    // A stray `</p>` makes an empty paragraph: it still breaks the text.
                    self.close_p();
                    self.push(Tag::known("p"), &Attrs { list: Vec::new() }, true);
                    return;
                }
                self.in_scope(&["p"], true, &["button"])
            }
            "li" => self.in_scope(&["li"], true, &["ol", "ul"]),
            _ if end.is(kind::HEADING) => self.in_scope(HEADINGS, true, &[]),
            t if end.is(kind::TABLE_PART) || t == "table" => self
                .in_scope(&[t], false, &["table", "html", "template"])
                .filter(|_| t == "table" || self.open_tables > 0),
            t if end.is(kind::SPECIAL) => self.in_scope(&[t], true, &[]),
            t if end.is(kind::FORMATTING) => {
                self.end_formatting(t);
                return;
            }
            _ => self.find_open(tag, kind::SPECIAL),
        };
        if let Some(i) = target {
            self.pop_to(i);
        }
    }

    /// Ends the open formatting element `tag`. When a block opened inside it is still open, the
    /// block moves out to the formatting element's parent and the formatting element ends where
    /// the block starts: the parser's adoption agency without the clone it puts in the block.
    /// (`<a name=top/><div>…<a href>` on old pages would otherwise put the page in one link.)
    fn end_formatting(&mut self, tag: &str) {
        let Some(at) = self.find_open(tag, kind::SCOPE) else {
            return;
        };
        let Some(block) = (at + 1..self.stack.len()).find(|&i| self.stack[i].tag.is(kind::SPECIAL)) else {
            self.pop_to(at);
            return;
        };
        let block_node = self.stack[block].node;
        let cut = if block_node == usize::MAX {
            self.nodes.len()
        } else {
            block_node
        };
        for open in self.stack.drain(at..block) {
            if open.node == usize::MAX {
                self.left_out -= 1;
            } else {
                self.nodes[open.node].end = cut;
            }
        }
        if block_node != usize::MAX {
            self.nodes[block_node].parent = self.stack[..at]
                .iter()
                .rev()
                .find(|o| o.node != usize::MAX)
                .map_or(1, |o| o.node);
        }
    }

    /// An element whose content is raw text: the title, JSON-LD and `xmp` text are kept, the
    /// rest is never shown.
    fn raw_element(&mut self, tag: Tag, attrs: &Attrs, content: &str) {
        match tag.name() {
            "title" => {
                let mut title = String::new();
                decode_into(&mut title, content, false);
                self.meta.doc_title(&title);
            }
            "script"
                if attrs
                    .get("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                self.meta.json_ld(content);
            }
            "xmp" => {
                self.flush_text();
                self.close_p();
                self.push(tag, attrs, false);
                self.text.push_str(content);
                self.flush_text();
                self.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dom::{Arena, blocks};

    fn texts(html: &str) -> Vec<String> {
        let (arena, _) = parse(html, 5_000).unwrap_or_else(|_| panic!("too deep"));
        blocks(&arena).into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn implied_end_tags_make_paragraphs() {
        assert_eq!(
            texts("<p>one<p>two<div>three</div><ul><li>a<li>b</ul><dl><dt>t<dd>d</dl>"),
            ["one", "two", "three", "a", "b", "t", "d"]
        );
    }

    #[test]
    fn references_are_decoded_as_browsers_do() {
        assert_eq!(
            texts("<p>a &amp; b &lt;c&gt; &#x41;&#66; &notit; &#150; &nbsp;x&bogus;"),
            ["a & b <c> AB ¬it; – x&bogus;"]
        );
        let (arena, _) =
            parse("<a href=\"?a=1&copy=2&amp;b\" class=\"x&amp;y\">t</a>", 5_000).unwrap_or_else(|_| panic!());
        assert!((0..arena.nodes.len()).any(|i| arena.hints(i) == "x&y "));
    }

    #[test]
    fn raw_text_comments_and_hidden_parts_are_left_out() {
        assert_eq!(
            texts(
                "<p>a<script>if (x<y) {'</p><p>'}</script>b<!-- <p>c</p> --><style>p{}</style>\
                   <div hidden><p>gone</p></div><nav><p>menu</nav><svg><text>s</text></svg><p>end"
            ),
            ["ab", "end"]
        );
    }

    #[test]
    fn table_cells_join_in_their_row() {
        assert_eq!(
            texts("<table><tr><td>a<td>b<tr><th>c</th><td>d</table><p>after"),
            ["a b", "c d", "after"]
        );
        // Cells outside any table are ignored as tags; their text stays.
        assert_eq!(texts("<div><td>x</td></div>"), ["x"]);
    }

    #[test]
    fn end_tags_respect_special_elements() {
        // `</span>` cannot close across the div; `</div>` closes the span inside it.
        assert_eq!(texts("<span><div>a</span>b</div>c"), ["ab", "c"]);
        assert_eq!(texts("x</p>y"), ["x", "y"]);
    }

    #[test]
    fn metadata_comes_from_the_same_pass() {
        let page = r#"<html lang="ar"><head><title>قصة &amp; خبر | الموقع</title>
            <meta property="og:site_name" content="الموقع">
            <link rel="Canonical" href="https://a.test/x">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-06-19","author":{"name":"شروق"}}</script>
            </head><body class="Story"><h1>عنوان <b>كبير</b></h1><p>نص</p></body></html>"#;
        let (arena, meta) = parse(page, 5_000).unwrap_or_else(|_| panic!());
        assert_eq!(meta.title.as_deref(), Some("قصة & خبر"));
        assert_eq!(meta.canonical_url.as_deref(), Some("https://a.test/x"));
        assert_eq!(meta.declared_lang.as_deref(), Some("ar"));
        assert_eq!(meta.date.as_deref(), Some("2024-06-19"));
        assert_eq!(meta.author.as_deref(), Some("شروق"));
        assert_eq!(meta.site_name.as_deref(), Some("الموقع"));
        assert_eq!(arena.hints(1), "story ");
    }

    #[test]
    fn a_block_left_open_in_a_link_moves_out_of_it() {
        // Old pages write `<a name=top/>`, which opens a link that never closes.
        let page = "<a name=top/><div id=\"main\"/><a href=#x>skip</a><p>one two three four five</p>";
        let (arena, _) = parse(page, 5_000).unwrap_or_else(|_| panic!());
        let found = blocks(&arena);
        let body = found.iter().find(|b| b.text.starts_with("one")).map(|b| b.link_chars);
        assert_eq!(body, Some(0));
        let div = (0..arena.nodes.len())
            .position(|i| arena.hints(i) == "main ")
            .unwrap_or(0);
        assert_eq!(arena.nodes[div].parent, 1);
    }

    /// The blocks of every UTF-8 page among the project's fixtures and sample pages, from this
    /// parser and from html5ever, are the same.
    #[test]
    fn blocks_match_html5ever_on_the_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages: Vec<String> = Vec::new();
        let mut folders = vec![root.join("tests/fixtures"), root.join("samples")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "html")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    pages.push(text);
                }
            }
        }
        pages.push("<table><tr><td>a<td>b</table><p>x<div>y</div><ul><li>1<li>2</ul>".to_string());
        assert!(pages.len() >= 5, "fixtures not found under {}", root.display());
        for page in &pages {
            let html = scraper::Html::parse_document(&crate::extract::prestrip::strip(page));
            let full = Arena::build(&html, &Default::default(), &Default::default());
            let want: Vec<String> = blocks(&full).into_iter().map(|b| b.text).collect();
            assert_eq!(
                texts(page),
                want,
                "page starting {:?}",
                page.chars().take(80).collect::<String>()
            );
        }
    }

    /// Every node lies inside its parent's range, after it, and ranges nest: what `blocks`
    /// and the generic extractor rely on.
    fn assert_pre_order(arena: &Arena) {
        let nodes = &arena.nodes;
        for (i, n) in nodes.iter().enumerate() {
            assert!(n.end > i && n.end <= nodes.len(), "node {i} ends at {}", n.end);
            if i == 0 {
                assert_eq!(n.parent, usize::MAX);
                continue;
            }
            let p = n.parent;
            assert!(p < i, "node {i} has parent {p} after it");
            assert!(n.end <= nodes[p].end, "node {i} ends after its parent {p}");
            assert!(!nodes[p].tag.is_empty(), "node {i}'s parent {p} is text");
        }
    }

    proptest::proptest! {
        /// Tag soup from the parts that drive the tree builder never panics and always gives a
        /// well-formed arena.
        #[test]
        fn tag_soup_gives_a_well_formed_arena(parts in proptest::collection::vec(proptest::sample::select(vec![
            "<div>", "</div>", "<p>", "</p>", "<a href=x>", "</a>", "<b>", "</b>", "<span class=share>",
            "</span>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<tbody>",
            "<ul>", "</ul>", "<li>", "</li>", "<dl>", "<dt>", "<dd>", "<h1>", "</h1>", "<h2>", "</h3>",
            "<nav>", "</nav>", "<button>", "</button>", "<br>", "</br>", "<img src=x/>", "<div hidden>",
            "<script>x<y</script>", "<title>t</title>", "<!-- c -->", "<!doctype html>", "<svg><p></svg>",
            "text ", "&amp;", "&#x41;", "&", "<", "</", "<html lang=ar>", "<body class=x>", "</body>",
            "<form>", "</form>", "<option>", "<select>", "</select>", "<xmp>a<b</xmp>", "<font>", "</font>",
        ]), 0..60)) {
            let page: String = parts.concat();
            let (arena, _) = parse(&page, 5_000).unwrap_or_else(|_| panic!("too deep"));
            assert_pre_order(&arena);
            let _ = blocks(&arena);
        }
    }

    #[test]
    fn nesting_over_the_limit_stops_the_parse() {
        let deep = "<div>".repeat(100);
        assert!(parse(&deep, 50).is_err());
        assert!(parse(&deep, 500).is_ok());
    }
}
