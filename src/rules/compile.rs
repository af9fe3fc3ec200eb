//! Raw rule files -> checked, compiled rule sets. Every problem of a file is collected.

use std::collections::HashSet;
use std::ops::Range;

use regex::Regex;
use toml::Spanned;

use super::error::{Locator, RuleError};
use super::raw::{RawDropLine, RawMarkers, RawRuleFile, RawSelectors};
use crate::text::fold::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// Applies to the documents its `[match]` selects.
    Site,
    /// Applies to every document unless a site disables it.
    Shared,
}

#[derive(Debug, Clone)]
pub struct RuleSet {
    pub id: String,
    pub kind: SetKind,
    /// Where it was loaded from, for messages.
    pub origin: String,
    pub name: Option<String>,
    pub reason: Option<String>,
    pub hosts: Vec<String>,
    /// Where each host is written, for messages.
    pub host_spans: Vec<Range<usize>>,
    pub url_patterns: Vec<Regex>,
    /// Folded whole lines that identify the site in a capture with no URL.
    pub fingerprints: Vec<String>,
    pub disable: Vec<Spanned<String>>,
    pub rules: Vec<Rule>,
    /// HTML main-content selectors, tried in order (the first that matches wins).
    pub main_content: Vec<SelectorRule>,
    /// HTML elements removed before extraction.
    pub strip: Vec<SelectorRule>,
    /// Offline tests.
    pub tests: Vec<RuleTest>,
    /// The file text, kept so that book-level checks can point into it.
    pub(crate) source: String,
}

/// An offline test of a rule set.
#[derive(Debug, Clone)]
pub struct RuleTest {
    /// Resolved against the rule file's folder.
    pub fixture: std::path::PathBuf,
    pub fixture_span: Range<usize>,
    pub url: Option<String>,
    pub must_contain: Vec<String>,
    pub must_not_contain: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SelectorRule {
    /// `set-id/rule-id`.
    pub id: String,
    pub reason: String,
    pub selectors: Vec<scraper::Selector>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// `set-id/rule-id`: unique across all loaded sets.
    pub id: String,
    pub reason: String,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// Drop a line that starts with, contains (as whole words) or equals one of the folded phrases,
    /// and has at most `max_words` words when that is set.
    DropLine {
        starts_with: Vec<String>,
        contains: Vec<String>,
        equals: Vec<String>,
        max_words: Option<usize>,
    },
    /// Drop a line that one of the patterns matches (on the line as written).
    DropRegex(Vec<Regex>),
    /// Remove the first line equal to a folded marker and everything after it.
    CutAfter(Vec<String>),
    /// Remove everything up to and including the first line equal to a folded marker.
    CutBefore(Vec<String>),
}

fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Compiles one rule file's text. `stem` is the file name without `.toml`, which must equal the id.
pub fn compile(origin: &str, stem: &str, text: &str) -> Result<RuleSet, Vec<RuleError>> {
    let loc = Locator { path: origin, text };
    let mut errors = match toml::de::DeTable::parse(text) {
        Ok(table) => super::schema::unknown_keys(table.get_ref(), &loc),
        Err(e) => return Err(vec![loc.at(e.span(), e.message().trim().replace('\n', " "))]),
    };
    let raw: RawRuleFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            errors.push(loc.at(e.span(), e.message().trim().replace('\n', " ")));
            return Err(sorted(errors));
        }
    };
    let id = raw.id.get_ref().clone();
    if !valid_id(&id) {
        errors.push(loc.at(
            span(&raw.id),
            format!("rule set id `{id}` must be lower-case letters, digits, `-` or `_`"),
        ));
    }
    if id != stem {
        errors.push(loc.at(
            span(&raw.id),
            format!("rule set id `{id}` must equal the file stem `{stem}` (rename one of them)"),
        ));
    }
    let kind = match raw.kind.as_ref().map(|k| k.get_ref().as_str()) {
        None | Some("site") => SetKind::Site,
        Some("shared") => SetKind::Shared,
        Some(other) => {
            errors.push(loc.at(
                raw.kind.as_ref().and_then(span),
                format!("unknown kind `{other}`: expected `site` or `shared`"),
            ));
            SetKind::Site
        }
    };

    let mut hosts = Vec::new();
    let mut host_spans = Vec::new();
    let mut url_patterns = Vec::new();
    let mut fingerprints = Vec::new();
    match (&raw.matching, kind) {
        (Some(m), SetKind::Site) => {
            for h in &m.hosts {
                let host = h.get_ref().trim().to_ascii_lowercase();
                if host.is_empty() || host.contains(['/', ':', ' ']) {
                    errors.push(loc.at(
                        span(h),
                        format!("host `{}` must be a bare host name like `example.com` (no scheme, port or path)", h.get_ref()),
                    ));
                } else {
                    hosts.push(host.trim_start_matches("www.").to_string());
                    host_spans.push(h.span());
                }
            }
            for p in &m.url_patterns {
                match Regex::new(p.get_ref()) {
                    Ok(re) => url_patterns.push(re),
                    Err(e) => errors.push(loc.at(span(p), format!("bad regex in url-patterns: {}", first_line(&e.to_string())))),
                }
            }
            for f in &m.fingerprints {
                let folded = fold(f.get_ref());
                if folded.is_empty() {
                    errors.push(loc.at(span(f), "empty fingerprint"));
                } else {
                    fingerprints.push(folded);
                }
            }
            if m.hosts.is_empty() && m.url_patterns.is_empty() && m.fingerprints.is_empty() {
                errors.push(loc.at(span(&raw.id), "[match] is empty: give hosts, url-patterns or fingerprints"));
            }
        }
        (None, SetKind::Site) => errors.push(loc.at(
            span(&raw.id),
            "a site rule set needs a [match] table (hosts, url-patterns or fingerprints); for a set that applies everywhere write kind = \"shared\"",
        )),
        (Some(_), SetKind::Shared) => errors.push(loc.at(
            raw.kind.as_ref().and_then(span),
            "a shared rule set applies to every document and takes no [match] table",
        )),
        (None, SetKind::Shared) => {}
    }

    let mut rules = Vec::new();
    // Ids are checked for form here; duplicates after all rules are read, in file order.
    let mut rule_ids: Vec<&Spanned<String>> = Vec::new();
    let check_rule_id = |rid: &Spanned<String>, errors: &mut Vec<RuleError>| {
        let r = rid.get_ref();
        if !valid_id(r) {
            errors.push(loc.at(
                span(rid),
                format!("rule id `{r}` must be lower-case letters, digits, `-` or `_`"),
            ));
        }
    };
    let check_reason = |reason: &Spanned<String>, errors: &mut Vec<RuleError>| {
        if reason.get_ref().trim().is_empty() {
            errors.push(loc.at(span(reason), "empty reason: say why this rule exists"));
        }
    };

    for d in &raw.drop_line {
        check_rule_id(&d.id, &mut errors);
        check_reason(&d.reason, &mut errors);
        if let Some(action) = compile_drop_line(d, &loc, &mut errors) {
            rules.push(rule(&id, &d.id, &d.reason, action));
        }
    }
    for d in &raw.drop_regex {
        check_rule_id(&d.id, &mut errors);
        check_reason(&d.reason, &mut errors);
        if d.patterns.get_ref().is_empty() {
            errors.push(loc.at(span(&d.patterns), "empty list: patterns needs at least one regex"));
        }
        let mut compiled = Vec::new();
        for p in d.patterns.get_ref() {
            match Regex::new(p.get_ref()) {
                Ok(re) => compiled.push(re),
                Err(e) => errors.push(loc.at(span(p), format!("bad regex: {}", first_line(&e.to_string())))),
            }
        }
        rules.push(rule(&id, &d.id, &d.reason, Action::DropRegex(compiled)));
    }
    for (list, make) in [
        (&raw.cut_after, Action::CutAfter as fn(Vec<String>) -> Action),
        (&raw.cut_before, Action::CutBefore),
    ] {
        for c in list {
            check_rule_id(&c.id, &mut errors);
            check_reason(&c.reason, &mut errors);
            let markers = folded_markers(c, &loc, &mut errors);
            rules.push(rule(&id, &c.id, &c.reason, make(markers)));
        }
    }

    let selector_rules = |list: &[RawSelectors], errors: &mut Vec<RuleError>| -> Vec<SelectorRule> {
        let mut out = Vec::new();
        for r in list {
            check_rule_id(&r.id, errors);
            check_reason(&r.reason, errors);
            if r.selectors.get_ref().is_empty() {
                errors.push(loc.at(
                    span(&r.selectors),
                    "empty list: selectors needs at least one CSS selector",
                ));
            }
            let mut selectors = Vec::new();
            for s in r.selectors.get_ref() {
                match scraper::Selector::parse(s.get_ref()) {
                    Ok(sel) => selectors.push(sel),
                    Err(e) => {
                        // selectors' messages can span lines or apologise; keep the first useful line.
                        let message = e.to_string();
                        let first = message.lines().next().unwrap_or("");
                        let why = if first.is_empty() || first.starts_with("Unexpected error") {
                            "not valid CSS"
                        } else {
                            first
                        };
                        errors.push(loc.at(span(s), format!("bad CSS selector `{}`: {why}", s.get_ref())));
                    }
                }
            }
            out.push(SelectorRule {
                id: format!("{id}/{}", r.id.get_ref()),
                reason: r.reason.get_ref().clone(),
                selectors,
            });
        }
        out
    };
    let main_content = selector_rules(&raw.main_content, &mut errors);
    let strip = selector_rules(&raw.strip, &mut errors);
    rule_ids.extend(raw.drop_line.iter().map(|r| &r.id));
    rule_ids.extend(raw.drop_regex.iter().map(|r| &r.id));
    rule_ids.extend(raw.cut_after.iter().chain(&raw.cut_before).map(|r| &r.id));
    rule_ids.extend(raw.main_content.iter().chain(&raw.strip).map(|r| &r.id));
    rule_ids.sort_by_key(|r| r.span().start);
    let mut seen = HashSet::new();
    for rid in rule_ids {
        if !seen.insert(rid.get_ref()) {
            errors.push(loc.at(span(rid), format!("duplicate rule id `{}` in this file", rid.get_ref())));
        }
    }

    let dir = std::path::Path::new(origin)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let mut tests = Vec::new();
    for t in &raw.test {
        if t.must_contain.is_empty() && t.must_not_contain.is_empty() {
            errors.push(loc.at(span(&t.fixture), "empty test: give must-contain or must-not-contain"));
        }
        tests.push(RuleTest {
            fixture: dir.join(t.fixture.get_ref()),
            fixture_span: t.fixture.span(),
            url: t.url.clone(),
            must_contain: t.must_contain.clone(),
            must_not_contain: t.must_not_contain.clone(),
        });
    }

    if errors.is_empty() {
        Ok(RuleSet {
            main_content,
            strip,
            tests,
            id,
            kind,
            origin: origin.to_string(),
            name: raw.name,
            reason: raw.reason,
            hosts,
            host_spans,
            url_patterns,
            fingerprints,
            disable: raw.disable,
            rules,
            source: text.to_string(),
        })
    } else {
        Err(sorted(errors))
    }
}

fn sorted(mut errors: Vec<RuleError>) -> Vec<RuleError> {
    errors.sort_by_key(|e| (e.line, e.col));
    errors
}

fn rule(set: &str, rid: &Spanned<String>, reason: &Spanned<String>, action: Action) -> Rule {
    Rule {
        id: format!("{set}/{}", rid.get_ref()),
        reason: reason.get_ref().clone(),
        action,
    }
}

fn first_line(s: &str) -> String {
    // regex errors are multi-line with a caret diagram; the last line says what is wrong.
    let last = s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(s).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

fn fold_list(items: &[Spanned<String>], loc: &Locator<'_>, errors: &mut Vec<RuleError>) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        let folded = fold(item.get_ref());
        let folded = crate::text::fold::trim_punctuation(&folded).to_string();
        if folded.is_empty() {
            errors.push(loc.at(span(item), "empty phrase: it would match nothing or everything"));
        } else {
            out.push(folded);
        }
    }
    out
}

fn compile_drop_line(d: &RawDropLine, loc: &Locator<'_>, errors: &mut Vec<RuleError>) -> Option<Action> {
    if d.starts_with.is_empty() && d.contains.is_empty() && d.equals.is_empty() {
        errors.push(loc.at(
            span(&d.id),
            "empty rule: drop-line needs starts-with, contains or equals",
        ));
        return None;
    }
    let max_words = d.max_words.as_ref().and_then(|m| match usize::try_from(*m.get_ref()) {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.push(loc.at(span(m), "max-words must be a whole number of at least 1"));
            None
        }
    });
    Some(Action::DropLine {
        starts_with: fold_list(&d.starts_with, loc, errors),
        contains: fold_list(&d.contains, loc, errors),
        equals: fold_list(&d.equals, loc, errors),
        max_words,
    })
}

fn folded_markers(c: &RawMarkers, loc: &Locator<'_>, errors: &mut Vec<RuleError>) -> Vec<String> {
    if c.markers.get_ref().is_empty() {
        errors.push(loc.at(span(&c.markers), "empty list: markers needs at least one line"));
    }
    fold_list(c.markers.get_ref(), loc, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(stem: &str, text: &str) -> Vec<String> {
        match compile("r.toml", stem, text) {
            Ok(_) => vec![],
            Err(errs) => errs.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_good_file_compiles() {
        let text = r#"
id = "site-a"
[match]
hosts = ["www.Example.com"]
fingerprints = ["خَبَرْيْن logo"]

[[drop-line]]
id = "teasers"
reason = "related-story teasers"
starts-with = ["شاهد أيضاً"]

[[cut-after]]
id = "related"
reason = "related block ends the article"
markers = ["أخبار ذات صلة"]
"#;
        let set = compile("r.toml", "site-a", text).map_err(|e| format!("{e:?}")).unwrap();
        assert_eq!(set.hosts, vec!["example.com"]);
        assert_eq!(set.fingerprints, vec!["خبرين logo"]);
        assert_eq!(set.rules.len(), 2);
        assert_eq!(set.rules[0].id, "site-a/teasers");
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "id = \"other\"\n[match]\nhosts = [\"http://x.com/\"]\n[[drop-regex]]\nid = \"a\"\nreason = \"r\"\npatterns = [\"(\"]\n[[cut-after]]\nid = \"a\"\nreason = \"\"\nmarkers = []\n";
        let errs = errors_of("site", text);
        assert!(
            errs.iter()
                .any(|e| e.starts_with("r.toml:1:6: rule set id `other` must equal the file stem")),
            "{errs:#?}"
        );
        assert!(errs.iter().any(|e| e.starts_with("r.toml:3:10: host")), "{errs:#?}");
        assert!(
            errs.iter().any(|e| e.starts_with("r.toml:7:13: bad regex")),
            "{errs:#?}"
        );
        assert!(
            errs.iter().any(|e| e.starts_with("r.toml:9:6: duplicate rule id `a`")),
            "{errs:#?}"
        );
        assert!(
            errs.iter().any(|e| e.starts_with("r.toml:10:10: empty reason")),
            "{errs:#?}"
        );
        assert!(
            errs.iter().any(|e| e.starts_with("r.toml:11:11: empty list")),
            "{errs:#?}"
        );
    }

    #[test]
    fn max_words_must_be_positive() {
        for bad in ["0", "-3"] {
            let text = format!(
                "id = \"s\"\nkind = \"shared\"\n[[drop-line]]\nid = \"a\"\nreason = \"r\"\ncontains = [\"x\"]\nmax-words = {bad}\n"
            );
            let errs = errors_of("s", &text);
            assert_eq!(
                errs,
                vec!["r.toml:7:13: max-words must be a whole number of at least 1".to_string()],
                "max-words = {bad}"
            );
        }
    }

    #[test]
    fn unknown_keys_and_syntax_errors_have_a_place() {
        let errs = errors_of("s", "id = \"s\"\nkind = \"shared\"\ncolour = 3\n");
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert!(
            errs[0].starts_with("r.toml:3:1: unknown key `colour` at the top level"),
            "{errs:#?}"
        );
        let errs = errors_of("s", "id = \"s\"\nkind = \n");
        assert!(errs[0].starts_with("r.toml:2:"), "{errs:#?}");
    }
}
