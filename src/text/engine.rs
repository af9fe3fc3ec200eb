//! Applies rule sets and heuristics to a document's lines (paragraphs) and says, for each, whether
//! it is kept or which rule removed it.

use std::collections::{BTreeMap, HashMap};

use super::fold::{contains_words, fold, starts_with_words, trim_punctuation};
use super::heuristics::{DocShape, Heuristic, Line};
use crate::rules::{Action, Rule, RuleBook, RuleSet};

/// One paragraph and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub text: String,
    /// The rule or heuristic id that removed it, or None when kept.
    pub removed_by: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub paragraphs: Vec<Verdict>,
    /// Paragraphs removed, per rule or heuristic id.
    pub removed: BTreeMap<String, usize>,
}

impl Cleaned {
    /// The kept paragraphs, one blank line between them, ending with a newline (empty when none).
    pub fn text(&self) -> String {
        let kept: Vec<&str> = self
            .paragraphs
            .iter()
            .filter(|v| v.removed_by.is_none())
            .map(|v| v.text.as_str())
            .collect();
        if kept.is_empty() {
            String::new()
        } else {
            let mut out = kept.join("\n\n");
            out.push('\n');
            out
        }
    }
}

/// A cut must keep at least one paragraph of this many words on its kept side.
const CUT_KEEPS_WORDS: usize = 8;

/// Short lines repeated in one document are dropped in every copy; longer ones keep their first.
const REPEATED_SHORT_WORDS: usize = 6;

/// The rules that apply to a document: its site's, then every shared set the site does not disable.
fn active_rules<'b>(book: &'b RuleBook, site: Option<&'b RuleSet>) -> Vec<&'b Rule> {
    let disabled = |name: &str| site.is_some_and(|s| s.disable.iter().any(|d| d.get_ref() == name));
    let mut rules: Vec<&Rule> = site.map(|s| s.rules.iter().collect()).unwrap_or_default();
    for set in book.shared() {
        if !disabled(&set.id) {
            rules.extend(set.rules.iter().filter(|r| !disabled(&r.id)));
        }
    }
    rules
}

fn enabled_heuristics(site: Option<&RuleSet>) -> Vec<Heuristic> {
    Heuristic::ALL
        .into_iter()
        .filter(|h| !site.is_some_and(|s| s.disable.iter().any(|d| d.get_ref() == h.id())))
        .collect()
}

fn line_matches(action: &Action, text: &str, folded: &str) -> bool {
    match action {
        Action::DropLine {
            starts_with,
            contains,
            equals,
            max_words,
        } => {
            let bare = trim_punctuation(folded);
            let phrase_found = equals.iter().any(|p| bare == p)
                || starts_with.iter().any(|p| starts_with_words(folded, p))
                || contains.iter().any(|p| contains_words(folded, p));
            phrase_found && max_words.is_none_or(|m| folded.split_whitespace().nth(m).is_none())
        }
        Action::DropRegex(patterns) => patterns.iter().any(|re| re.is_match(text)),
        Action::CutAfter(_) | Action::CutBefore(_) => false,
    }
}

/// Cleans a document given as paragraphs (lines of a text capture, blocks of an HTML page).
pub fn clean_paragraphs(paragraphs: Vec<String>, book: &RuleBook, site: Option<&RuleSet>) -> Cleaned {
    clean_paragraphs_without(paragraphs, book, site, &[])
}

/// As [`clean_paragraphs`], with some heuristics left out (HTML leaves out `repeated-line`: table
/// cells and list entries repeat by nature, and the doubled captions it is for are not text there).
pub fn clean_paragraphs_without(
    paragraphs: Vec<String>,
    book: &RuleBook,
    site: Option<&RuleSet>,
    left_out: &[Heuristic],
) -> Cleaned {
    let folded: Vec<String> = paragraphs.iter().map(|p| fold(p)).collect();
    clean_folded_without(paragraphs, folded, book, site, left_out)
}

/// As [`clean_paragraphs_without`], for a caller that has folded the paragraphs already.
pub fn clean_folded_without(
    paragraphs: Vec<String>,
    folded: Vec<String>,
    book: &RuleBook,
    site: Option<&RuleSet>,
    left_out: &[Heuristic],
) -> Cleaned {
    let mut removed_by: Vec<Option<String>> = vec![None; paragraphs.len()];
    let rules = active_rules(book, site);

    // Cuts first, so that a teaser inside a cut block counts under the cut. A cut never leaves
    // the document without a real paragraph on the side it keeps: a marker met in a menu at the
    // top of the page must not cut the whole article away.
    let is_marker = |i: usize, markers: &[String]| markers.iter().any(|m| trim_punctuation(&folded[i]) == m);
    let substantial = |i: usize, removed_by: &[Option<String>]| {
        removed_by[i].is_none() && folded[i].split_whitespace().count() >= CUT_KEEPS_WORDS
    };
    for rule in &rules {
        if let Action::CutBefore(markers) = &rule.action
            && let Some(at) = (0..paragraphs.len()).find(|&i| {
                removed_by[i].is_none()
                    && is_marker(i, markers)
                    && (i + 1..paragraphs.len()).any(|j| substantial(j, &removed_by))
            })
        {
            mark(&mut removed_by, 0..=at, &rule.id);
        }
    }
    for rule in &rules {
        if let Action::CutAfter(markers) = &rule.action
            && let Some(at) = (0..paragraphs.len()).find(|&i| {
                removed_by[i].is_none() && is_marker(i, markers) && (0..i).any(|j| substantial(j, &removed_by))
            })
        {
            mark(&mut removed_by, at..paragraphs.len(), &rule.id);
        }
    }

    let shape = DocShape::of(&paragraphs.iter().map(String::as_str).collect::<Vec<_>>());
    let mut heuristics = enabled_heuristics(site);
    heuristics.retain(|h| !left_out.contains(h));
    for i in 0..paragraphs.len() {
        if removed_by[i].is_some() {
            continue;
        }
        if let Some(rule) = rules
            .iter()
            .find(|r| line_matches(&r.action, &paragraphs[i], &folded[i]))
        {
            removed_by[i] = Some(rule.id.clone());
            continue;
        }
        let line = Line {
            text: &paragraphs[i],
            folded: &folded[i],
        };
        if let Some(h) = heuristics.iter().find(|h| h.fires(&line, &shape)) {
            removed_by[i] = Some(h.id().to_string());
        }
    }

    if heuristics.contains(&Heuristic::RepeatedLine) {
        drop_repeated(&folded, &mut removed_by);
    }

    let mut removed = BTreeMap::new();
    for id in removed_by.iter().flatten() {
        *removed.entry(id.clone()).or_insert(0) += 1;
    }
    let paragraphs = paragraphs
        .into_iter()
        .zip(removed_by)
        .map(|(text, removed_by)| Verdict { text, removed_by })
        .collect();
    Cleaned { paragraphs, removed }
}

fn mark(removed_by: &mut [Option<String>], range: impl Iterator<Item = usize>, id: &str) {
    for i in range {
        if removed_by[i].is_none() {
            removed_by[i] = Some(id.to_string());
        }
    }
}

fn drop_repeated(folded: &[String], removed_by: &mut [Option<String>]) {
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::new(); // folded -> (first index, count)
    for (i, f) in folded.iter().enumerate() {
        if removed_by[i].is_none() && !f.is_empty() {
            seen.entry(f.as_str()).or_insert((i, 0)).1 += 1;
        }
    }
    let id = Heuristic::RepeatedLine.id();
    for (i, f) in folded.iter().enumerate() {
        if removed_by[i].is_some() {
            continue;
        }
        if let Some(&(first, count)) = seen.get(f.as_str())
            && count >= 2
            && (i != first || f.split_whitespace().count() <= REPEATED_SHORT_WORDS)
        {
            removed_by[i] = Some(id.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::compile::compile;

    fn book_with(text: &str) -> RuleBook {
        let mut book = RuleBook::default();
        let set = compile("t.toml", "t", text).map_err(|e| format!("{e:?}")).unwrap();
        book.insert_for_tests(set);
        book
    }

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|l| l.to_string()).collect()
    }

    fn kept(c: &Cleaned) -> Vec<&str> {
        c.paragraphs
            .iter()
            .filter(|v| v.removed_by.is_none())
            .map(|v| v.text.as_str())
            .collect()
    }

    const SHARED: &str = r#"
id = "t"
kind = "shared"
[[drop-line]]
id = "teasers"
reason = "teasers"
starts-with = ["شاهد أيضاً", "اقرأ أيضا"]
contains = ["اضغط هنا"]
equals = ["شارك"]
[[drop-regex]]
id = "photo-credit"
reason = "photo credits"
patterns = ['^\(?(صورة|الصورة):']
[[cut-after]]
id = "related"
reason = "related block"
markers = ["أخبار ذات صلة"]
[[cut-before]]
id = "header"
reason = "header"
markers = ["بداية المقال"]
"#;

    #[test]
    fn each_rule_kind_removes_and_counts() {
        let book = book_with(SHARED);
        let doc = lines(&[
            "شعار الموقع العربي الكبير",
            "بداية المقال",
            "فقرة أولى من المقال وهي طويلة بما يكفي لتعد فقرة حقيقية.",
            "شاهد ايضاً: خبر آخر",
            "إقرأ أيضاً: خبر ثالث",
            "للمزيد اضغط هنا الآن",
            "شارك:",
            "(صورة: رويترز)",
            "فقرة ثانية من المقال.",
            "« أخبار ذات صلة »",
            "خبر مرتبط",
        ]);
        let c = clean_paragraphs(doc, &book, None);
        assert_eq!(
            kept(&c),
            vec![
                "فقرة أولى من المقال وهي طويلة بما يكفي لتعد فقرة حقيقية.",
                "فقرة ثانية من المقال."
            ]
        );
        let expect: BTreeMap<String, usize> = [
            ("t/header", 2),
            ("t/teasers", 4),
            ("t/photo-credit", 1),
            ("t/related", 2),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(c.removed, expect);
    }

    #[test]
    fn max_words_keeps_a_long_paragraph_that_quotes_the_phrase() {
        let book = book_with(
            "id = \"t\"\nkind = \"shared\"\n[[drop-line]]\nid = \"policy\"\nreason = \"comment notice\"\n\
             contains = [\"تعكس وجهات نظر أصحابها\"]\nmax-words = 7\n",
        );
        // Seven words: at the limit, so it goes.
        let notice = "الآراء أدناه تعكس وجهات نظر أصحابها فقط";
        let quoting = "وقال الوزير إن هذه البيانات تعكس وجهات نظر أصحابها ولا تلزم الحكومة بشيء";
        let c = clean_paragraphs(lines(&[notice, quoting]), &book, None);
        assert_eq!(kept(&c), vec![quoting]);
        assert_eq!(c.removed.get("t/policy"), Some(&1));
    }

    #[test]
    fn a_cut_needs_the_whole_line() {
        let book = book_with(SHARED);
        let doc = lines(&["قال إن أخبار ذات صلة كثيرة ظهرت.", "فقرة."]);
        let c = clean_paragraphs(doc, &book, None);
        assert_eq!(kept(&c).len(), 2);
    }

    #[test]
    fn a_cut_never_takes_the_whole_article() {
        let book = book_with(SHARED);
        let article = "هذه فقرة طويلة من المقال فيها أكثر من ثماني كلمات بكثير";
        // The related-block marker in a top menu, before any article text: no cut.
        let doc = lines(&["أخبار ذات صلة", article, "أخبار ذات صلة", "خبر آخر"]);
        let c = clean_paragraphs(doc, &book, None);
        assert_eq!(kept(&c), vec!["أخبار ذات صلة", article]);
        // The header marker at the very end: nothing real after it, so no cut.
        let doc = lines(&[article, "بداية المقال"]);
        let c = clean_paragraphs(doc, &book, None);
        assert_eq!(kept(&c), vec![article, "بداية المقال"]);
    }

    #[test]
    fn repeated_short_lines_go_long_ones_keep_their_first() {
        let book = RuleBook::default();
        let long = "هذه فقرة طويلة تتكرر مرتين في الصفحة نفسها بسبب خطأ في النسخ";
        let doc = lines(&["عنوان", "بوتين وكيم", "فقرة.", "بوتين وكيم", long, long]);
        let c = clean_paragraphs(doc, &book, None);
        assert_eq!(kept(&c), vec!["عنوان", "فقرة.", long]);
        assert_eq!(c.removed.get("repeated-line"), Some(&3));
    }

    #[test]
    fn a_site_can_switch_off_heuristics_and_shared_rules() {
        let mut book = book_with(SHARED);
        let site = compile(
            "s.toml",
            "s",
            "id = \"s\"\ndisable = [\"loading-placeholder\", \"t/teasers\"]\n[match]\nhosts = [\"s.com\"]\n",
        )
        .map_err(|e| format!("{e:?}"))
        .unwrap();
        book.insert_for_tests(site);
        let site = book.site_for(Some("https://s.com/a"), &[]);
        assert!(site.is_some());
        let doc = lines(&["Loading...", "شاهد أيضا: خبر", "مدة:"]);
        let c = clean_paragraphs(doc, &book, site);
        assert_eq!(kept(&c), vec!["Loading...", "شاهد أيضا: خبر"]);
    }
}
