//! HTML captures as a user cleans them: extraction, site rules on the DOM, encodings, metadata,
//! limits.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{ghirbal, jsonl};
use predicates::prelude::*;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html")
}

fn by_path<'a>(entries: &'a [Value], path: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no {path} in {entries:#?}"))
}

#[test]
fn the_generic_extractor_keeps_the_article_and_drops_the_chrome() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(fixtures().join("generic"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let got = fs::read_to_string(out.path().join("news.txt")).unwrap();
    let expected = fs::read_to_string(fixtures().join("generic/news.expected.txt")).unwrap();
    assert_eq!(got, expected);
    // In-body heading, quote, list items and table rows are text; chrome is not.
    for kept in [
        "توازن السوق",
        "نحن ملتزمون بالاستقرار",
        "خفض الإنتاج بمقدار مليون برميل يوميا.",
        "برنت 82 دولارا",
        // A quoted tweet inside a "social-media-embed" wrapper is text.
        "الاتفاق خطوة نحو استقرار الأسواق",
    ] {
        assert!(got.contains(kept), "lost: {kept}");
    }
    for chrome in [
        "ملفات تعريف الارتباط",
        "الرئيسية",
        "فيسبوك",
        "الذهب يتراجع",
        "أخبار ذات صلة",
        "تعليق من قارئ",
        "الأكثر قراءة",
        "جميع الحقوق",
        "لا تظهر",
        "color",
        "انسخ رمز التضمين",
    ] {
        assert!(!got.contains(chrome), "chrome left in: {chrome}");
    }
    // The title is not in the text; <br> separates lines; invisible marks go; the text is NFC.
    assert!(!got.starts_with("ارتفاع أسعار النفط بعد قرار أوبك"));
    assert!(got.contains("السطر الأول من البيان\n\nالسطر الثاني من البيان بعد علامة اتجاه\n"));
    assert!(!got.contains('\u{200F}') && !got.contains('\u{200B}'));
    assert!(got.contains("كافé") && !got.contains("e\u{301}"), "NFC output");
    let manifest = jsonl(&out.path().join("manifest.jsonl"));
    let e = by_path(&manifest, "news.html");
    assert_eq!(e["kind"], "html");
    assert_eq!(e["url"], "https://example-paper.test/economy/oil-opec", "canonical URL");
    assert!(
        e["removed"]["generic/boilerplate-class"].as_u64().unwrap() >= 5,
        "{}",
        e["removed"]
    );
}

#[test]
fn site_rules_apply_on_the_dom_found_by_canonical_or_og_url() {
    let out = tempfile::tempdir().unwrap();
    let site = fixtures().join("site");
    ghirbal()
        .arg("clean")
        .arg(site.join("captures"))
        .arg("--rules")
        .arg(site.join("rules"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(out.path().join("by-canonical.txt")).unwrap(),
        "افتتح متحف الفنون الحديثة أبوابه للجمهور اليوم بعد سنوات من أعمال الترميم.\n\nNew Wing Gallery\n\nويضم المتحف أكثر من ألفي قطعة فنية من القرن العشرين.\n"
    );
    assert_eq!(
        fs::read_to_string(out.path().join("by-og-url.txt")).unwrap(),
        "انطلقت فعاليات مهرجان السينما بمشاركة خمسين فيلما من عشرين دولة.\n\nويستمر المهرجان أسبوعا كاملا.\n",
        "the second main-content selector is tried when the first matches nothing"
    );
    let manifest = jsonl(&out.path().join("manifest.jsonl"));
    let a = by_path(&manifest, "by-canonical.html");
    assert_eq!(a["site"], "example-daily");
    assert_eq!(a["removed"]["example-daily/inline-promo"], 1);
    assert_eq!(
        a["removed"]["example-daily/editor-note"], 1,
        "text rules run on the DOM's paragraphs"
    );
    assert_eq!(a["removed"]["site/outside-main"], 3);
    let b = by_path(&manifest, "by-og-url.html");
    assert_eq!(b["site"], "example-daily");
    assert_eq!(b["url"], "https://example-daily.test/culture/film-festival");
}

#[test]
fn legacy_encodings_decode_as_a_browser_would() {
    let out = tempfile::tempdir().unwrap();
    let dir = fixtures().join("encodings");
    ghirbal()
        .arg("clean")
        .arg(&dir)
        .arg("--no-dedup")
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let arabic = fs::read_to_string(dir.join("expected-arabic.txt")).unwrap();
    let hebrew = fs::read_to_string(dir.join("expected-hebrew.txt")).unwrap();
    let manifest = jsonl(&out.path().join("manifest.jsonl"));
    for (name, encoding, source, text) in [
        ("arabic-windows-1256-meta", "windows-1256", "meta", &arabic),
        ("arabic-iso-8859-6-undeclared", "ISO-8859-6", "detected", &arabic),
        ("arabic-header-wins", "windows-1256", "header", &arabic),
        ("hebrew-windows-1255-undeclared", "windows-1255", "detected", &hebrew),
    ] {
        let e = by_path(&manifest, &format!("{name}.html"));
        assert_eq!(
            (e["encoding"].as_str(), e["encoding_source"].as_str()),
            (Some(encoding), Some(source)),
            "{name}"
        );
        assert_eq!(
            &fs::read_to_string(out.path().join(format!("{name}.txt"))).unwrap(),
            text,
            "{name}"
        );
    }
}

#[test]
fn jsonl_carries_metadata_and_never_the_title_in_the_text() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(fixtures().join("generic"))
        .args(["--format", "jsonl", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let docs = jsonl(&out.path().join("documents.jsonl"));
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(
        d["title"], "ارتفاع أسعار النفط بعد قرار أوبك",
        "site name cut from <title>"
    );
    assert_eq!(d["author"], "سارة المثال");
    assert_eq!(d["date"], "2026-11-20T08:00:00Z");
    assert_eq!(d["lang"], "ar", "language from the text, not the wrong lang=\"en\"");
    assert_eq!(d["url"], "https://example-paper.test/economy/oil-opec");
    let text = d["text"].as_str().unwrap();
    assert!(!text.contains("ارتفاع أسعار النفط بعد قرار أوبك"));
    assert_eq!(
        text,
        fs::read_to_string(fixtures().join("generic/news.expected.txt")).unwrap()
    );
}

#[test]
fn a_pathologically_deep_page_is_an_error_in_bounded_time() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let n = 100_000;
    fs::write(
        input.path().join("deep.html"),
        format!("<html><body>{}x{}</body></html>", "<div>".repeat(n), "</div>".repeat(n)),
    )
    .unwrap();
    fs::write(
        input.path().join("fine.html"),
        "<html><body><p>نص عادي في صفحة عادية جدا.</p></body></html>",
    )
    .unwrap();
    let started = std::time::Instant::now();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "deep.html: pathological HTML: elements nested about 100002 deep",
        ));
    // Generous: parsing it would take minutes; refusing it takes milliseconds.
    assert!(started.elapsed().as_secs() < 30);
    let manifest = jsonl(&out.path().join("manifest.jsonl"));
    assert_eq!(by_path(&manifest, "deep.html")["status"], "error");
    assert_eq!(by_path(&manifest, "fine.html")["status"], "clean");
}

#[test]
fn a_page_over_the_size_limit_is_an_error() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::write(
        input.path().join("big.html"),
        format!("<html><body><p>{}</p></body></html>", "كلمة ".repeat(5000)),
    )
    .unwrap();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .args(["--max-bytes", "10000", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "big.html: too large: 45033 bytes, over the limit of 10000 bytes",
        ));
}

#[test]
fn explain_marks_every_paragraph() {
    ghirbal()
        .arg("explain")
        .arg(fixtures().join("generic/news.html"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("  keep  توازن السوق"))
        .stdout(predicate::str::contains(
            "- drop  [generic/boilerplate-class] فيسبوك تويتر واتساب",
        ))
        .stdout(predicate::str::contains("title:    ارتفاع أسعار النفط بعد قرار أوبك"));
}
