//! Rule authoring as an author runs it: check, test, suggest, explain with context, the
//! stale-rule report, and the generated reference.

mod common;

use std::fs;
use std::path::Path;

use common::{ghirbal, root};
use predicates::prelude::*;

#[test]
fn shipped_rules_pass_check_and_their_offline_tests() {
    ghirbal()
        .current_dir(root())
        .args(["rules", "check", "rules"])
        .assert()
        .code(0);
    ghirbal()
        .current_dir(root())
        .args(["rules", "test", "rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ok    khabrayn  rules/../samples/001_c48df2cdec238550.txt",
        ))
        .stdout(predicate::str::contains("rules: 7 passed, 0 failed"));
}

#[test]
fn check_reports_every_problem_at_once_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("site-a.toml");
    let b = dir.path().join("site-b.toml");
    fs::write(
        &a,
        r#"id = "site-a"
disable = ["no-such-heuristic"]
[match]
hosts = ["news.test"]
host = ["typo.test"]
[[strip]]
id = "bad"
reason = "a selector that does not parse"
selectors = ["div[[["]
[[drop-regex]]
id = "bad"
reason = "dup id and bad regex"
patterns = ["(oops"]
[[cut-after]]
id = "empty"
reason = "no markers"
markers = []
"#,
    )
    .unwrap();
    fs::write(&b, "id = \"site-c\"\n[match]\nhosts = [\"news.test\"]\n").unwrap();
    let out = ghirbal().args(["rules", "check"]).arg(dir.path()).assert().code(2);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let (a, b) = (a.display().to_string(), b.display().to_string());
    for expected in [
        format!("{a}:5:1: unknown key `host` in [match]; hint: did you mean `hosts`?"),
        format!("{a}:9:14: bad CSS selector `div[[[`"),
        format!("{a}:11:6: duplicate rule id `bad` in this file"),
        format!("{a}:13:13: bad regex"),
        format!("{a}:17:11: empty list: markers needs at least one line"),
        format!("{b}:1:6: rule set id `site-c` must equal the file stem `site-b`"),
    ] {
        assert!(stdout.contains(&expected), "missing «{expected}» in:\n{stdout}");
    }

    // Fixed syntax, the book-level problems show: a host claimed twice, an unknown heuristic id.
    fs::write(
        dir.path().join("site-a.toml"),
        "id = \"site-a\"\ndisable = [\"no-such-heuristic\"]\n[match]\nhosts = [\"news.test\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("site-b.toml"),
        "id = \"site-b\"\n[match]\nhosts = [\"news.test\"]\n",
    )
    .unwrap();
    ghirbal()
        .args(["rules", "check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains(format!(
            "{a}:2:12: `no-such-heuristic` in disable is not a heuristic id"
        )))
        .stdout(predicate::str::contains(format!(
            "{b}:3:10: host `news.test` is also claimed by `site-a`"
        )));
}

/// A site folder with one fixture and rules that fail it in every way a test can fail.
fn failing_site(dir: &Path) {
    fs::create_dir_all(dir.join("fixtures")).unwrap();
    fs::write(
        dir.join("fixtures/page.txt"),
        "شعار موقع المثال\nافتتاح جسر جديد فوق النهر يربط شطري المدينة بعد سنوات من الانتظار\nإعلان: اشتر الآن\nوقال المهندس إن الجسر صمم ليصمد مئة عام على الأقل.\n",
    )
    .unwrap();
    fs::write(
        dir.join("example.toml"),
        r#"id = "example"
[match]
fingerprints = ["شعار موقع المثال"]
[[drop-line]]
id = "too-greedy"
reason = "meant for ads, also eats an article line"
contains = ["المهندس"]
[[drop-line]]
id = "never-fires"
reason = "an old footer"
equals = ["تذييل قديم"]
[[test]]
fixture = "fixtures/page.txt"
must-contain = ["وقال المهندس إن الجسر"]
must-not-contain = ["إعلان: اشتر الآن"]
"#,
    )
    .unwrap();
    fs::write(
        dir.join("untested.toml"),
        "id = \"untested\"\n[match]\nhosts = [\"untested.test\"]\n",
    )
    .unwrap();
}

#[test]
fn rule_tests_report_each_failure_with_the_rules_involved() {
    let dir = tempfile::tempdir().unwrap();
    failing_site(dir.path());
    let out = ghirbal()
        .args(["rules", "test", "--no-builtin-rules"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for expected in [
        "must contain «وقال المهندس إن الجسر», but removed by `example/too-greedy`",
        "must not contain «إعلان: اشتر الآن», but no rule removed the paragraph «إعلان: اشتر الآن»",
        "rule `example/never-fires` fired on no fixture",
        "[untested] no [[test]]: every site rule file needs at least one fixture",
        "rules: 0 passed, 4 failed",
    ] {
        assert!(stdout.contains(expected), "missing «{expected}» in:\n{stdout}");
    }
}

fn synthetic_site(dir: &Path) {
    for i in 0..6 {
        let lines = [
            "جريدة الغربال اليومية".to_string(),
            "الرئيسية | سياسة | اقتصاد | رياضة".to_string(),
            format!("خبر الصفحة رقم {i}: افتتاح مشروع جديد في الحي {i} بعد سنوات من الانتظار الطويل"),
            "لا تفوت: ملف خاص عن المياه".to_string(),
            format!("وقال مسؤول إن المشروع رقم {i} سيكتمل خلال عامين"),
            "للتواصل مع هيئة التحرير".to_string(),
            "حقوق النشر لجريدة الغربال".to_string(),
        ];
        fs::write(dir.join(format!("p{i}.txt")), lines.join("\n")).unwrap();
        fs::write(
            dir.join(format!("h{i}.html")),
            format!(
                "<html><head><link rel=\"canonical\" href=\"https://ghirbal-daily.test/n/{i}\"></head><body>\
                 <div class=\"promo-box\">اشترك الآن في نشرتنا البريدية اليومية</div>\
                 <article><p>مقال الصفحة {i} فقرة أولى طويلة بما يكفي لتكون نصا حقيقيا.</p></article></body></html>"
            ),
        )
        .unwrap();
    }
}

#[test]
fn suggest_proposes_a_rule_file_that_check_accepts() {
    let captures = tempfile::tempdir().unwrap();
    synthetic_site(captures.path());
    let rules = tempfile::tempdir().unwrap();
    let file = rules.path().join("ghirbal-daily.toml");
    ghirbal()
        .args(["rules", "suggest"])
        .arg(captures.path())
        .args(["--site", "ghirbal-daily", "--out"])
        .arg(&file)
        .assert()
        .code(0);
    let text = fs::read_to_string(&file).unwrap();
    for expected in [
        "hosts = [\"ghirbal-daily.test\"]",
        "[[cut-before]]",
        "markers = [\"الرئيسية | سياسة | اقتصاد | رياضة\"]",
        "[[cut-after]]",
        "markers = [\"للتواصل مع هيئة التحرير\"]",
        "\"لا تفوت: ملف خاص عن المياه\"",
        "# 6 of 12 pages",
        "\"div.promo-box\"",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    ghirbal().args(["rules", "check"]).arg(rules.path()).assert().code(0);
}

#[test]
fn explain_with_context_names_template_chrome_and_its_page_count() {
    let captures = tempfile::tempdir().unwrap();
    synthetic_site(captures.path());
    ghirbal()
        .arg("explain")
        .arg(captures.path().join("p0.txt"))
        .arg("--context")
        .arg(captures.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "- drop  [template-chrome: on 6 of 12 pages] لا تفوت: ملف خاص عن المياه",
        ))
        .stdout(predicate::str::contains(
            "  keep  وقال مسؤول إن المشروع رقم 0 سيكتمل خلال عامين",
        ));
}

#[test]
fn a_clean_run_reports_stale_rules() {
    let captures = tempfile::tempdir().unwrap();
    synthetic_site(captures.path());
    let rules = tempfile::tempdir().unwrap();
    fs::write(
        rules.path().join("ghirbal-daily.toml"),
        r#"id = "ghirbal-daily"
[match]
hosts = ["ghirbal-daily.test"]
[[main-content]]
id = "old-layout"
reason = "the body before the redesign"
selectors = [".story-body-old"]
[[strip]]
id = "promo"
reason = "the newsletter box"
selectors = [".promo-box"]
[[strip]]
id = "old-banner"
reason = "a banner the site dropped"
selectors = [".old-banner"]
"#,
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(captures.path())
        .arg("--rules")
        .arg(rules.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "ghirbal-daily: main-content matched 0 of 6 page(s)",
        ))
        .stderr(predicate::str::contains(
            "ghirbal-daily/old-banner: fired on none of the site's 6 page(s)",
        ))
        .stderr(predicate::str::contains("ghirbal-daily/promo: fired on none").not());
}

#[test]
fn the_reference_in_docs_is_generated_from_the_code() {
    let out = ghirbal().args(["rules", "reference"]).assert().code(0);
    let generated = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let committed = fs::read_to_string(root().join("docs/rules.md")).unwrap();
    assert_eq!(committed, generated, "run `ghirbal rules reference > docs/rules.md`");
}
