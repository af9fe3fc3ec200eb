//! The parsed page flattened into a pre-order arena (each subtree a contiguous index range), and
//! the arena cut into text blocks. Iterative throughout, so a page of 100,000 nested elements
//! cannot overflow the stack.

use std::borrow::Cow;
use std::collections::HashSet;

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose content is never text a reader sees.
pub(crate) const SKIPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "button",
    "select",
    "textarea",
    "input",
    "option",
    "head",
    "title",
    "meta",
    "link",
    "nav",
    "aside",
    "footer",
    "dialog",
    "figcaption",
];

/// Elements that start and end a block of text.
pub(crate) const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "figure",
    "header",
    "address",
    "center",
    "hr",
    "body",
    "html",
    "details",
    "summary",
    "fieldset",
    "legend",
];

#[derive(Debug, Clone)]
pub struct ArenaNode {
    pub parent: usize,
    /// One past the last index of this node's subtree.
    pub end: usize,
    /// Lower-case tag name for elements, empty for text (static for the names the parsers know).
    pub tag: Cow<'static, str>,
    /// Where its text (text nodes, white space collapsed) lies in [`Arena::strings`].
    pub text: Span,
    /// Where its `class`, `id`, `itemprop` and `role` attributes, joined and lower case, lie in
    /// [`Arena::strings`] (elements).
    pub hints: Span,
    pub is_block: bool,
}

/// A byte range of [`Arena::strings`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

pub struct Arena {
    pub nodes: Vec<ArenaNode>,
    /// Indices of elements a site's main-content selector matched.
    pub main_roots: Vec<usize>,
    /// The text and hints of all nodes, one after another: one buffer instead of two strings
    /// per node.
    pub strings: String,
}

/// Appends what `fill` writes to `strings` and returns where it went.
pub(crate) fn span_of(strings: &mut String, fill: impl FnOnce(&mut String)) -> Span {
    let start = strings.len();
    fill(strings);
    Span {
        start,
        end: strings.len(),
    }
}

/// Whether an element is hidden from readers by its attributes (`aria-hidden` on `<body>` is a
/// modal-dialog trick, not a hidden page).
pub(crate) fn hidden<'v>(tag: &str, attr: impl Fn(&str) -> Option<&'v str>) -> bool {
    attr("hidden").is_some()
        || attr("aria-hidden").is_some_and(|v| v == "true") && tag != "body"
        || attr("style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// Appends the `class`, `id`, `itemprop` and `role` attributes, lower case, each followed by a space.
pub(crate) fn push_hints<'v>(out: &mut String, attr: impl Fn(&str) -> Option<&'v str>) {
    for part in ["class", "id", "itemprop", "role"].into_iter().filter_map(attr) {
        let start = out.len();
        out.push_str(part);
        out[start..].make_ascii_lowercase();
        out.push(' ');
    }
}

/// Appends `s` with each run of white space made one space (a leading and a trailing one kept).
pub(crate) fn push_collapsed(out: &mut String, s: &str) {
    if s.is_ascii() {
        collapse_ascii_ws(out, s);
    } else {
        collapse_chars_ws(out, s);
    }
}

fn collapse_chars_ws(out: &mut String, s: &str) {
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
}

/// [`push_collapsed`] of ASCII text, byte by byte.
fn collapse_ascii_ws(out: &mut String, s: &str) {
    let mut space = false;
    for &b in s.as_bytes() {
        // The ASCII members of Unicode White_Space, as `char::is_whitespace` has them.
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(char::from(b));
        }
    }
    if space {
        out.push(' ');
    }
}

impl Arena {
    /// The text of text node `i` (empty for an element).
    pub fn text(&self, i: usize) -> &str {
        let Span { start, end } = self.nodes[i].text;
        &self.strings[start..end]
    }

    /// The class/id hints of element `i`.
    pub fn hints(&self, i: usize) -> &str {
        let Span { start, end } = self.nodes[i].hints;
        &self.strings[start..end]
    }

    /// Flattens `html`; subtrees of skipped tags, hidden elements and `strip` matches are left out,
    /// and the elements in `main` are recorded as main-content roots.
    pub fn build(html: &Html, strip: &HashSet<ego_tree::NodeId>, main: &HashSet<ego_tree::NodeId>) -> Arena {
        let mut nodes: Vec<ArenaNode> = Vec::new();
        let mut main_roots = Vec::new();
        let mut strings = String::new();
        let mut stack: Vec<usize> = Vec::new();
        // While inside a left-out subtree: how many of its elements are still open.
        let mut skip_depth = 0usize;
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip_depth > 0 {
                        if node.value().is_element() {
                            skip_depth += 1;
                        }
                        continue;
                    }
                    match node.value() {
                        Node::Element(el) => {
                            let tag = el.name().to_ascii_lowercase();
                            if SKIPPED_TAGS.contains(&tag.as_str())
                                || hidden(&tag, |a| el.attr(a))
                                || strip.contains(&node.id())
                            {
                                skip_depth = 1;
                                continue;
                            }
                            let hints = span_of(&mut strings, |s| push_hints(s, |a| el.attr(a)));
                            let index = nodes.len();
                            if main.contains(&node.id()) {
                                main_roots.push(index);
                            }
                            let is_block = BLOCK_TAGS.contains(&tag.as_str()) || tag == "br";
                            nodes.push(ArenaNode {
                                parent: stack.last().copied().unwrap_or(usize::MAX),
                                end: index + 1,
                                tag: tag.into(),
                                text: Span::default(),
                                hints,
                                is_block,
                            });
                            stack.push(index);
                        }
                        Node::Text(t) => {
                            let index = nodes.len();
                            nodes.push(ArenaNode {
                                parent: stack.last().copied().unwrap_or(usize::MAX),
                                end: index + 1,
                                tag: Cow::Borrowed(""),
                                text: span_of(&mut strings, |s| push_collapsed(s, t)),
                                hints: Span::default(),
                                is_block: false,
                            });
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if !node.value().is_element() {
                        continue;
                    }
                    if skip_depth > 0 {
                        skip_depth -= 1;
                        continue;
                    }
                    if let Some(index) = stack.pop() {
                        nodes[index].end = nodes.len();
                    }
                }
            }
        }
        Arena {
            nodes,
            main_roots,
            strings,
        }
    }

    pub fn contains(&self, ancestor: usize, node: usize) -> bool {
        ancestor <= node && node < self.nodes[ancestor].end
    }
}

/// A run of text between block boundaries.
#[derive(Debug, Clone)]
pub struct Block {
    pub text: String,
    /// The innermost block element that holds it.
    pub container: usize,
    /// Characters inside links.
    pub link_chars: usize,
    pub chars: usize,
    pub heading: bool,
}

/// Cuts the arena into blocks: a block ends where a block element opens or closes, and at `<br>`.
/// Constant work per node (no scans of the open-element stack), so deep nesting stays linear.
pub fn blocks(arena: &Arena) -> Vec<Block> {
    struct Cutter<'a> {
        nodes: &'a [ArenaNode],
        out: Vec<Block>,
        buf: String,
        link_chars: usize,
        /// Open block elements, innermost last.
        blocks_open: Vec<usize>,
        headings_open: usize,
    }
    impl Cutter<'_> {
        fn flush(&mut self) {
            let text = self.buf.trim();
            if !text.is_empty() {
                let chars = text.chars().count();
                self.out.push(Block {
                    text: text.to_string(),
                    container: self.blocks_open.last().copied().unwrap_or(0),
                    link_chars: self.link_chars.min(chars),
                    chars,
                    heading: self.headings_open > 0,
                });
            }
            self.buf.clear();
            self.link_chars = 0;
        }
        fn close(&mut self, index: usize) {
            let node = &self.nodes[index];
            if node.is_block {
                self.flush();
                self.blocks_open.pop();
            }
            if is_heading(&node.tag) {
                self.headings_open = self.headings_open.saturating_sub(1);
            }
        }
    }
    let nodes = &arena.nodes;
    let mut c = Cutter {
        nodes,
        out: Vec::new(),
        buf: String::new(),
        link_chars: 0,
        blocks_open: Vec::new(),
        headings_open: 0,
    };
    let mut open: Vec<usize> = Vec::new();
    let mut link_until = 0usize;
    for (i, node) in nodes.iter().enumerate() {
        while let Some(&top) = open.last()
            && nodes[top].end <= i
        {
            c.close(top);
            open.pop();
        }
        if node.tag.is_empty() {
            let text = arena.text(i);
            if c.buf.is_empty() || c.buf.ends_with(' ') {
                c.buf.push_str(text.trim_start());
            } else {
                c.buf.push_str(text);
            }
            if i < link_until {
                c.link_chars += text.trim().chars().count();
            }
            continue;
        }
        if node.is_block {
            c.flush();
            c.blocks_open.push(i);
        } else if matches!(node.tag.as_ref(), "td" | "th") && !c.buf.is_empty() && !c.buf.ends_with(' ') {
            // A table row is one paragraph, its cells separated by a space.
            c.buf.push(' ');
        }
        if is_heading(&node.tag) {
            c.headings_open += 1;
        }
        if node.tag == "a" && link_until <= i {
            link_until = node.end;
        }
        open.push(i);
    }
    while let Some(top) = open.pop() {
        c.close(top);
    }
    c.flush();
    c.out
}

pub fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements that never hold content, or that the parser closes by itself when the next one opens:
/// they do not deepen the tree.
const NON_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rt", "rp", "param", "keygen",
];

/// A quick upper estimate of how deep the page's elements nest, from the tags alone. The HTML
/// tree builder spends time proportional to the depth on every tag, so a page nested 100,000
/// deep would take minutes: such pages are refused before parsing.
pub fn nesting_estimate(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[i..], b"-->").map_or(b.len(), |p| i + p + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |p| start + p);
        if end == start {
            continue;
        }
        let name = &b[start..end];
        let tag_end = memchr::memchr(b'>', &b[end..]).map_or(b.len(), |p| end + p);
        let self_closing = tag_end > 0 && b.get(tag_end - 1) == Some(&b'/');
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        if !closing && (is("script") || is("style") || is("textarea") || is("title")) {
            // Raw text: skip to the matching end tag.
            let mut at = tag_end;
            i = b.len();
            while let Some(off) = memchr::memchr(b'<', b.get(at..).unwrap_or(&[])) {
                let lt = at + off;
                let candidate = b.get(lt + 2..lt + 2 + name.len());
                if b.get(lt + 1) == Some(&b'/') && candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
                    i = lt;
                    break;
                }
                at = lt + 1;
            }
            continue;
        }
        if self_closing || NON_NESTING.iter().any(|n| is(n)) {
            i = tag_end;
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
        i = tag_end;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_collapse_matches_the_general_loop(text in "[\\t\\n\\x0b\\x0c\\r -~\\x1c-\\x1f]{0,40}") {
            let (mut ascii, mut general) = (String::from("x"), String::from("x"));
            collapse_ascii_ws(&mut ascii, &text);
            collapse_chars_ws(&mut general, &text);
            proptest::prop_assert_eq!(ascii, general);
        }
    }

    #[test]
    fn nesting_estimate_counts_real_nesting_only() {
        assert_eq!(
            nesting_estimate("<html><body><div><p>a<p>b<br><img src=x></div></body></html>"),
            3
        );
        assert_eq!(
            nesting_estimate("<div><!-- <div><div> --><script>if (a<b) {'<div>'}</script></div>"),
            1
        );
        let deep = format!("{}x{}", "<div>".repeat(1000), "</div>".repeat(1000));
        assert_eq!(nesting_estimate(&deep), 1000);
    }
}
