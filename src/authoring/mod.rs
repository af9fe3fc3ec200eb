//! Rule authoring: offline rule tests, rule suggestions from a site's captures, and the report of
//! rules that no longer match their site.

pub mod stale;
pub mod suggest;

use std::collections::BTreeSet;

use crate::capture::{self, InputFile};
use crate::pipeline;
use crate::rules::{RuleBook, RuleSet, SetKind};

/// One failed expectation of a rule test, or a rule that no fixture exercises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestFailure {
    pub set: String,
    /// The fixture, or the rule file when the failure is about the set.
    pub place: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct TestReport {
    pub passed: usize,
    pub failures: Vec<TestFailure>,
    /// One line per fixture run, for the log.
    pub lines: Vec<String>,
}

/// Runs every `[[test]]` of every set in `book`; then checks that every site set has a fixture
/// and that every rule that removes something fired on at least one fixture.
pub fn run_rule_tests(book: &RuleBook, max_bytes: u64) -> TestReport {
    let mut report = TestReport::default();
    let mut fired: BTreeSet<String> = BTreeSet::new();
    for set in book.sets() {
        if set.tests.is_empty() && set.kind == SetKind::Site {
            report.failures.push(TestFailure {
                set: set.id.clone(),
                place: set.origin.clone(),
                message: "no [[test]]: every site rule file needs at least one fixture".into(),
            });
        }
        for test in &set.tests {
            let place = test.fixture.display().to_string();
            let mut failures = Vec::new();
            run_one(book, set, test, max_bytes, &mut fired, &mut failures);
            if failures.is_empty() {
                report.passed += 1;
                report.lines.push(format!("ok    {}  {place}", set.id));
            } else {
                report.lines.push(format!("FAIL  {}  {place}", set.id));
                report.failures.extend(failures.into_iter().map(|message| TestFailure {
                    set: set.id.clone(),
                    place: place.clone(),
                    message,
                }));
            }
        }
    }
    for set in book.sets() {
        let ids = set.rules.iter().map(|r| &r.id).chain(set.strip.iter().map(|r| &r.id));
        for id in ids {
            if !fired.contains(id) {
                report.failures.push(TestFailure {
                    set: set.id.clone(),
                    place: set.origin.clone(),
                    message: format!("rule `{id}` fired on no fixture: add a fixture that needs it, or remove it"),
                });
            }
        }
    }
    report
}

fn run_one(
    book: &RuleBook,
    set: &RuleSet,
    test: &crate::rules::RuleTest,
    max_bytes: u64,
    fired: &mut BTreeSet<String>,
    failures: &mut Vec<String>,
) {
    let file = InputFile {
        abs: test.fixture.clone(),
        rel: test.fixture.display().to_string(),
    };
    let mut capture = match capture::read_capture(&file, max_bytes) {
        Ok(c) => c,
        Err(e) => {
            failures.push(format!("cannot read the fixture: {e}"));
            return;
        }
    };
    if capture.url.is_none() {
        capture.url = test.url.clone();
    }
    let result = match pipeline::clean_capture(&capture, book) {
        Ok(r) => r,
        Err(e) => {
            failures.push(e.to_string());
            return;
        }
    };
    fired.extend(result.cleaned.removed.keys().cloned());
    if set.kind == SetKind::Site && result.site.as_deref() != Some(set.id.as_str()) {
        failures.push(format!(
            "the fixture was matched to {}, not to `{}`: check [match] (or give the test a url)",
            result
                .site
                .as_deref()
                .map_or("no site".to_string(), |s| format!("`{s}`")),
            set.id
        ));
        return;
    }
    let text = result.cleaned.text();
    for wanted in &test.must_contain {
        if !text.contains(wanted.as_str()) {
            let why = result
                .cleaned
                .paragraphs
                .iter()
                .find(|v| v.text.contains(wanted.as_str()))
                .and_then(|v| v.removed_by.clone())
                .map_or("it is not in the capture at all".to_string(), |id| {
                    format!("removed by `{id}`")
                });
            failures.push(format!("must contain «{wanted}», but {why}"));
        }
    }
    for unwanted in &test.must_not_contain {
        if let Some(p) = result
            .cleaned
            .paragraphs
            .iter()
            .find(|v| v.removed_by.is_none() && v.text.contains(unwanted.as_str()))
        {
            failures.push(format!(
                "must not contain «{unwanted}», but no rule removed the paragraph «{}»",
                p.text.chars().take(80).collect::<String>()
            ));
        }
    }
}
