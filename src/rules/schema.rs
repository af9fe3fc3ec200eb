//! The rule-file format as data: every table and key with what it means. Unknown keys are found
//! by walking the parsed file against it (all of them, not just the first), and the reference in
//! `docs/rules.md` is generated from it (`ghirbal rules reference`), so the two cannot drift.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{Locator, RuleError};

pub struct Key {
    pub name: &'static str,
    pub what: &'static str,
    pub nested: Option<&'static Section>,
}

pub struct Section {
    /// `""` for the top level, `[name]` for a table, `[[name]]` for an array of tables.
    pub header: &'static str,
    pub what: &'static str,
    pub keys: &'static [Key],
}

const fn key(name: &'static str, what: &'static str) -> Key {
    Key {
        name,
        what,
        nested: None,
    }
}

const ID: Key = key(
    "id",
    "rule id, unique in the file: lower-case letters, digits, `-`, `_`; counted as `SET-ID/RULE-ID`",
);
const REASON: Key = key("reason", "why the rule exists (required, non-empty)");

pub static MATCH: Section = Section {
    header: "[match]",
    what: "Which documents a site set applies to (site sets need at least one entry).",
    keys: &[
        key(
            "hosts",
            "host names; a host matches itself and its subdomains (`www.` ignored); URL from the sidecar, `<link rel=canonical>` or `og:url`",
        ),
        key("url-patterns", "regexes matched against the page URL"),
        key(
            "fingerprints",
            "whole lines (folded) that identify the site in a capture with no URL, e.g. a logo's alt text",
        ),
    ],
};

pub static DROP_LINE: Section = Section {
    header: "[[drop-line]]",
    what: "Drop a paragraph that starts with, contains (as whole words) or equals a phrase; phrases match across Arabic spelling variants.",
    keys: &[
        ID,
        REASON,
        key("starts-with", "phrases"),
        key("contains", "phrases"),
        key("equals", "phrases (whole paragraph, surrounding punctuation ignored)"),
        key(
            "max-words",
            "optional: only paragraphs of at most this many words (keeps a long paragraph that quotes the phrase)",
        ),
    ],
};

pub static DROP_REGEX: Section = Section {
    header: "[[drop-regex]]",
    what: "Drop a paragraph one of the regexes matches (on the paragraph as written).",
    keys: &[ID, REASON, key("patterns", "regexes (Rust `regex` syntax)")],
};

pub static CUT_AFTER: Section = Section {
    header: "[[cut-after]]",
    what: "Remove the first paragraph equal to a marker and everything after it (never leaving no real paragraph before it).",
    keys: &[
        ID,
        REASON,
        key("markers", "whole paragraphs, folded, surrounding punctuation ignored"),
    ],
};

pub static CUT_BEFORE: Section = Section {
    header: "[[cut-before]]",
    what: "Remove everything up to and including the first paragraph equal to a marker (never leaving no real paragraph after it).",
    keys: &[
        ID,
        REASON,
        key("markers", "whole paragraphs, folded, surrounding punctuation ignored"),
    ],
};

pub static MAIN_CONTENT: Section = Section {
    header: "[[main-content]]",
    what: "HTML: where the article is; the first selector that matches anything gives the content.",
    keys: &[ID, REASON, key("selectors", "CSS selectors, tried in order")],
};

pub static STRIP: Section = Section {
    header: "[[strip]]",
    what: "HTML: elements removed before extraction.",
    keys: &[ID, REASON, key("selectors", "CSS selectors")],
};

pub static TEST: Section = Section {
    header: "[[test]]",
    what: "An offline test run by `ghirbal rules test` and `cargo test`: a captured page and what its output must and must not hold.",
    keys: &[
        key(
            "fixture",
            "path of the captured page, relative to this rule file's folder (a sidecar beside it is read)",
        ),
        key("url", "the page's URL, when the fixture has no sidecar"),
        key("must-contain", "texts the cleaned output must contain"),
        key("must-not-contain", "texts the cleaned output must not contain"),
    ],
};

pub static TOP: Section = Section {
    header: "",
    what: "One file per rule set; the file stem is the set id.",
    keys: &[
        key("id", "the rule set id: equal to the file stem"),
        key(
            "kind",
            "`site` (default: applies to the documents `[match]` selects) or `shared` (applies to every document)",
        ),
        key("name", "a human name"),
        key("reason", "what the set is for"),
        key(
            "disable",
            "heuristic ids, shared set ids or shared rule ids (`set/rule`) switched off for this site",
        ),
        Key {
            name: "match",
            what: "see [match]",
            nested: Some(&MATCH),
        },
        Key {
            name: "drop-line",
            what: "see [[drop-line]]",
            nested: Some(&DROP_LINE),
        },
        Key {
            name: "drop-regex",
            what: "see [[drop-regex]]",
            nested: Some(&DROP_REGEX),
        },
        Key {
            name: "cut-after",
            what: "see [[cut-after]]",
            nested: Some(&CUT_AFTER),
        },
        Key {
            name: "cut-before",
            what: "see [[cut-before]]",
            nested: Some(&CUT_BEFORE),
        },
        Key {
            name: "main-content",
            what: "see [[main-content]]",
            nested: Some(&MAIN_CONTENT),
        },
        Key {
            name: "strip",
            what: "see [[strip]]",
            nested: Some(&STRIP),
        },
        Key {
            name: "test",
            what: "see [[test]]",
            nested: Some(&TEST),
        },
    ],
};

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn unknown_key_message(name: &str, section: &Section) -> String {
    let place = if section.header.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in {}", section.header)
    };
    let known: Vec<&str> = section.keys.iter().map(|k| k.name).collect();
    let close = known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min();
    match close {
        Some((_, k)) => format!("unknown key `{name}` {place}; hint: did you mean `{k}`?"),
        None => format!(
            "unknown key `{name}` {place}; hint: known keys are {}",
            known.join(", ")
        ),
    }
}

/// Every unknown key of a parsed rule file, each with its place and a hint.
pub fn unknown_keys(table: &DeTable<'_>, loc: &Locator<'_>) -> Vec<RuleError> {
    let mut errors = Vec::new();
    walk(table, &TOP, loc, &mut errors);
    // Tables iterate in key order; report in file order.
    errors.sort_by_key(|e| (e.line, e.col));
    errors
}

fn walk(table: &DeTable<'_>, section: &Section, loc: &Locator<'_>, errors: &mut Vec<RuleError>) {
    for (k, v) in table.iter() {
        let name: &str = k.get_ref();
        let Some(known) = section.keys.iter().find(|key| key.name == name) else {
            errors.push(loc.at(Some(k.span()), unknown_key_message(name, section)));
            continue;
        };
        if let Some(nested) = known.nested {
            walk_value(v, nested, loc, errors);
        }
    }
}

fn walk_value(v: &Spanned<DeValue<'_>>, section: &Section, loc: &Locator<'_>, errors: &mut Vec<RuleError>) {
    match v.get_ref() {
        DeValue::Table(t) => walk(t, section, loc, errors),
        DeValue::Array(items) => {
            for item in items.iter() {
                if let DeValue::Table(t) = item.get_ref() {
                    walk(t, section, loc, errors);
                }
            }
        }
        _ => {}
    }
}

/// The format reference, in Markdown (the content of `docs/rules.md`).
pub fn reference() -> String {
    let mut out = String::from(
        "# Rule-file reference\n\nGenerated by `ghirbal rules reference` from `src/rules/schema.rs`; a test keeps this file equal to it.\n\n",
    );
    let mut sections: Vec<&Section> = vec![&TOP];
    sections.extend(TOP.keys.iter().filter_map(|k| k.nested));
    for s in sections {
        let title = if s.header.is_empty() { "Top level" } else { s.header };
        out.push_str(&format!("## {title}\n\n{}\n\n| key | meaning |\n|---|---|\n", s.what));
        for k in s.keys {
            out.push_str(&format!("| `{}` | {} |\n", k.name, k.what));
        }
        out.push('\n');
    }
    out.push_str("## Heuristic ids\n\n| id | removes |\n|---|---|\n");
    for h in crate::text::heuristics::Heuristic::ALL {
        out.push_str(&format!("| `{}` | {} |\n", h.id(), h.reason()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_key_is_reported_with_a_hint() {
        let text = "id = \"s\"\ncolour = 1\n[match]\nhost = [\"a\"]\n[[drop-line]]\nid = \"x\"\nreason = \"r\"\nstarts_with = [\"a\"]\n";
        let table = DeTable::parse(text).map_err(|e| e.to_string()).unwrap();
        let loc = Locator { path: "f.toml", text };
        let errs: Vec<String> = unknown_keys(table.get_ref(), &loc)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errs,
            vec![
                "f.toml:2:1: unknown key `colour` at the top level; hint: known keys are id, kind, name, reason, disable, match, drop-line, drop-regex, cut-after, cut-before, main-content, strip, test",
                "f.toml:4:1: unknown key `host` in [match]; hint: did you mean `hosts`?",
                "f.toml:8:1: unknown key `starts_with` in [[drop-line]]; hint: did you mean `starts-with`?",
            ]
        );
    }
}
