//! ghirbal as a user runs it: real files in, real files out, exit codes and messages checked.

mod common;

use std::fs;

use common::{entry, ghirbal, manifest, root};
use predicates::prelude::*;
use serde_json::Value;

/// Every sample comes out exactly as its expected file, and every failing case is reported.
#[test]
fn samples_match_their_expected_text() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(root().join("samples"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let mut failures = Vec::new();
    let mut count = 0;
    for item in fs::read_dir(root().join("samples")).unwrap() {
        let path = item.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".expected.txt") else {
            continue;
        };
        count += 1;
        let expected = fs::read_to_string(&path).unwrap();
        let got = fs::read_to_string(out.path().join(format!("{stem}.txt"))).unwrap_or_default();
        if got != expected {
            failures.push(stem.to_string());
        }
    }
    assert_eq!(count, 5, "five seed captures with expected text");
    assert!(failures.is_empty(), "outputs differ from expected: {failures:?}");
    let entries = manifest(out.path());
    assert_eq!(
        entries.len(),
        5,
        "expected files are not captures (samples/.ghirbalignore)"
    );
    assert_eq!(entry(&entries, "001_c48df2cdec238550.txt")["site"], "khabrayn");
}

/// The chrome named in the issue never survives, and the article's headings do.
#[test]
fn seed_001_keeps_the_article_and_drops_the_chrome() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(root().join("samples/001_c48df2cdec238550.txt"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let text = fs::read_to_string(out.path().join("001_c48df2cdec238550.txt")).unwrap();
    for chrome in [
        "logo",
        "Loading...",
        "Russia’s Putin arrives",
        "التصنيف:آسيا",
        "شارك الخبر",
        "FacebookTwitterLinkedInEmail",
        "شاهد ايضاً",
        "أخبار ذات صلة",
        "US aircraft carrier",
        "الرئيسيةأخبار",
    ] {
        assert!(!text.contains(chrome), "chrome left in: {chrome}");
    }
    for article in [
        "وصول بوتين إلى كوريا الشمالية في زيارة نادرة مع تعمق التحالف المناهض للغرب",
        "\"شراكة متقدمة",
        "بوتين على الساحة العالمية",
        "ولكن يبدو أن اعتماد روسيا المتزايد",
    ] {
        assert!(text.contains(article), "article text lost: {article}");
    }
    let entries = manifest(out.path());
    let removed = &entry(&entries, "001_c48df2cdec238550.txt")["removed"];
    assert_eq!(
        removed["arabic-chrome/see-also-teasers"], 12,
        "twelve teasers: {removed}"
    );
}

#[test]
fn generic_heuristics_clean_a_page_with_no_site_rule() {
    let out = tempfile::tempdir().unwrap();
    let dir = root().join("tests/fixtures/generic");
    ghirbal()
        .arg("clean")
        .arg(&dir)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let expected = fs::read_to_string(dir.join("chrome-shapes.expected.txt")).unwrap();
    let got = fs::read_to_string(out.path().join("chrome-shapes.txt")).unwrap();
    assert_eq!(got, expected);
    let entries = manifest(out.path());
    let e = entry(&entries, "chrome-shapes.txt");
    assert_eq!(e["site"], Value::Null);
    for id in [
        "loading-placeholder",
        "logo-line",
        "share-row",
        "glued-menu",
        "latin-widget-title",
        "category-line",
        "empty-label",
        "repeated-line",
    ] {
        assert!(
            e["removed"][id].as_u64().unwrap_or(0) >= 1,
            "heuristic {id} did not fire: {}",
            e["removed"]
        );
    }
    assert_eq!(
        e["removed"]["arabic-chrome/see-also-teasers"], 4,
        "four spelling variants of the teaser"
    );
}

#[test]
fn site_rules_match_by_sidecar_url_and_every_rule_kind_fires() {
    let out = tempfile::tempdir().unwrap();
    let fx = root().join("tests/fixtures/site");
    ghirbal()
        .arg("clean")
        .arg(fx.join("captures"))
        .arg("--rules")
        .arg(fx.join("rules"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let got = fs::read_to_string(out.path().join("story.txt")).unwrap();
    assert_eq!(got, fs::read_to_string(fx.join("story.expected.txt")).unwrap());
    let entries = manifest(out.path());
    assert_eq!(entries.len(), 1, "a sidecar is never a document");
    let e = entry(&entries, "story.txt");
    assert_eq!(e["site"], "example-news");
    assert_eq!(e["url"], "https://www.example-news.test/culture/book-fair");
    assert_eq!(e["encoding_source"], "header");
    let removed = &e["removed"];
    assert_eq!(removed["example-news/masthead"], 3);
    assert_eq!(removed["example-news/comments"], 2);
    assert_eq!(removed["example-news/photo-credit"], 1);
    assert_eq!(removed["example-news/newsletter"], 1);
}

#[test]
fn windows_1256_and_gzip_captures_decode() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(root().join("tests/fixtures/encodings"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let entries = manifest(out.path());
    let cp = entry(&entries, "003-windows-1256.txt");
    assert_eq!(cp["encoding"], "windows-1256");
    assert_eq!(cp["encoding_source"], "detected");
    assert_eq!(
        fs::read_to_string(out.path().join("003-windows-1256.txt")).unwrap(),
        fs::read_to_string(root().join("samples/003_d6019ed0e798f805.expected.txt")).unwrap()
    );
    let gz = entry(&entries, "004-gzip.txt.gz");
    assert_eq!(gz["output"], "004-gzip.txt");
    assert_eq!(
        fs::read_to_string(out.path().join("004-gzip.txt")).unwrap(),
        fs::read_to_string(root().join("samples/004_2f3a022fdb695d49.expected.txt")).unwrap()
    );
}

#[test]
fn bad_inputs_are_errors_and_the_batch_goes_on() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for name in ["picture.png.txt", "truncated.txt.gz"] {
        fs::copy(root().join("tests/fixtures/bad").join(name), input.path().join(name)).unwrap();
    }
    fs::copy(
        root().join("samples/004_2f3a022fdb695d49.txt"),
        input.path().join("good.txt"),
    )
    .unwrap();
    fs::write(input.path().join("empty.txt"), b"").unwrap();
    fs::write(input.path().join("garbled.txt"), [0xD3u8, 0xC7, 0xE1].repeat(200)).unwrap();
    fs::write(
        input.path().join("garbled.txt.meta.json"),
        br#"{"headers": {"content-type": "text/plain; charset=utf-8"}}"#,
    )
    .unwrap();
    fs::write(input.path().join("side.txt"), "نص").unwrap();
    fs::write(input.path().join("side.txt.meta.json"), b"{not json").unwrap();

    ghirbal()
        .arg("clean")
        .arg(input.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "picture.png.txt: not a text or HTML capture: it starts like a PNG file",
        ));
    let entries = manifest(out.path());
    let paths: Vec<&str> = entries.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "empty.txt",
            "garbled.txt",
            "good.txt",
            "picture.png.txt",
            "side.txt",
            "truncated.txt.gz"
        ],
        "sorted by path"
    );
    assert_eq!(entry(&entries, "good.txt")["status"], "clean");
    assert!(out.path().join("good.txt").is_file());
    assert_eq!(entry(&entries, "empty.txt")["status"], "empty");
    assert_eq!(entry(&entries, "empty.txt")["output"], Value::Null);
    let png = entry(&entries, "picture.png.txt");
    assert_eq!(png["status"], "error");
    assert_eq!(png["output"], Value::Null);
    assert!(!out.path().join("picture.png.txt").exists());
    let gz = entry(&entries, "truncated.txt.gz");
    assert_eq!(gz["status"], "error");
    assert!(gz["error"].as_str().unwrap().starts_with("bad gzip stream"), "{gz}");
    let garbled = entry(&entries, "garbled.txt");
    assert!(
        garbled["error"].as_str().unwrap().contains("invalid in UTF-8"),
        "{garbled}"
    );
    let side = entry(&entries, "side.txt");
    assert!(
        side["error"]
            .as_str()
            .unwrap()
            .starts_with("bad sidecar side.txt.meta.json"),
        "{side}"
    );
    // No temporary file is left behind.
    let leftovers: Vec<_> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ghirbal-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn manifest_has_every_contract_field() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(root().join("samples/004_2f3a022fdb695d49.txt"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let entries = manifest(out.path());
    let e = &entries[0];
    for field in [
        "path",
        "output",
        "status",
        "site",
        "url",
        "encoding",
        "sha256",
        "duplicate_of",
        "similarity",
        "bytes_in",
        "chars_out",
        "removed",
        "error",
    ] {
        assert!(e.get(field).is_some(), "manifest lacks {field}: {e}");
    }
    assert_eq!(e["path"], "004_2f3a022fdb695d49.txt");
    assert_eq!(e["output"], "004_2f3a022fdb695d49.txt");
    assert_eq!(e["status"], "clean");
    assert_eq!(e["encoding"], "UTF-8");
    assert_eq!(e["bytes_in"], 4532);
    assert_eq!(e["sha256"].as_str().unwrap().len(), 64);
    let text = fs::read_to_string(out.path().join("004_2f3a022fdb695d49.txt")).unwrap();
    assert_eq!(e["chars_out"].as_u64().unwrap() as usize, text.chars().count());
    assert!(!text.contains("\n\n\n") && text.ends_with(".\n") && !text.lines().any(|l| l.ends_with(' ')));
}

#[test]
fn an_exact_copy_with_spelling_noise_is_a_duplicate() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(root().join("samples/000_97e98c426d13581a.txt")).unwrap();
    fs::write(input.path().join("a.txt"), &original).unwrap();
    let noisy = original
        .replace('\n', "\r\n")
        .replace("بوتين", "بـوتـيـن")
        .replace("أن ", "ان  ");
    fs::write(input.path().join("b.txt"), noisy).unwrap();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let entries = manifest(out.path());
    assert_eq!(entry(&entries, "a.txt")["status"], "clean");
    let b = entry(&entries, "b.txt");
    assert_eq!(b["status"], "duplicate");
    assert_eq!(b["duplicate_of"], "a.txt");
    assert_eq!(b["output"], Value::Null);
    assert!(!out.path().join("b.txt").exists());
    assert_eq!(b["sha256"], entry(&entries, "a.txt")["sha256"]);

    let out2 = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .arg("--no-dedup")
        .arg("--out")
        .arg(out2.path())
        .assert()
        .code(0);
    assert_eq!(entry(&manifest(out2.path()), "b.txt")["status"], "clean");
}

#[test]
fn output_is_the_same_for_any_number_of_jobs() {
    let one = tempfile::tempdir().unwrap();
    let four = tempfile::tempdir().unwrap();
    for (out, jobs) in [(&one, "1"), (&four, "4")] {
        ghirbal()
            .arg("clean")
            .arg(root().join("samples"))
            .arg(root().join("tests/fixtures/generic"))
            .args(["--jobs", jobs, "--out"])
            .arg(out.path())
            .assert()
            .code(0);
    }
    let a = fs::read(one.path().join("manifest.jsonl")).unwrap();
    let b = fs::read(four.path().join("manifest.jsonl")).unwrap();
    assert_eq!(a, b);
    let entries = manifest(one.path());
    assert!(
        entries.iter().any(|e| e["path"] == "samples/001_c48df2cdec238550.txt"),
        "several inputs are prefixed by their names"
    );
}

#[test]
fn an_invalid_rule_file_exits_2_with_line_and_column() {
    let out = tempfile::tempdir().unwrap();
    let bad = root().join("tests/fixtures/bad-rules");
    let broken = bad.join("broken.toml").display().to_string();
    let badregex = bad.join("badregex.toml").display().to_string();
    ghirbal()
        .arg("clean")
        .arg(root().join("samples"))
        .arg("--rules")
        .arg(&bad)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{broken}:2:1: unknown key `colour` at the top level"
        )))
        .stderr(predicate::str::contains(format!(
            "{badregex}:8:13: bad regex: unclosed group"
        )))
        .stderr(predicate::str::contains(format!(
            "{badregex}:11:6: duplicate rule id `x`"
        )));
    assert!(
        !out.path().join("manifest.jsonl").exists(),
        "nothing runs with broken rules"
    );

    ghirbal()
        .args(["rules", "check"])
        .arg(&bad)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(format!("{broken}:2:1:")));
    ghirbal()
        .args(["rules", "check"])
        .arg(root().join("rules"))
        .assert()
        .code(0);
}

#[test]
fn a_rule_set_id_must_equal_its_file_stem_and_disable_must_name_something() {
    let rules = tempfile::tempdir().unwrap();
    fs::write(
        rules.path().join("mysite.toml"),
        "id = \"othersite\"\n[match]\nhosts = [\"a.test\"]\n",
    )
    .unwrap();
    fs::write(
        rules.path().join("second.toml"),
        "id = \"second\"\ndisable = [\"no-such-thing\"]\n[match]\nhosts = [\"b.test\"]\n",
    )
    .unwrap();
    let mysite = rules.path().join("mysite.toml").display().to_string();
    let second = rules.path().join("second.toml").display().to_string();
    ghirbal()
        .args(["rules", "check"])
        .arg(rules.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains(format!(
            "{mysite}:1:6: rule set id `othersite` must equal the file stem `mysite`"
        )));
    fs::write(
        rules.path().join("mysite.toml"),
        "id = \"mysite\"\n[match]\nhosts = [\"a.test\"]\n",
    )
    .unwrap();
    ghirbal()
        .args(["rules", "check"])
        .arg(rules.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains(format!(
            "{second}:2:12: `no-such-thing` in disable is not a heuristic id"
        )));
}

#[test]
fn unusable_arguments_exit_2() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .args(["clean", "no/such/folder", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("input no/such/folder: no such file or folder"));
    ghirbal()
        .args(["clean", "samples"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
    // --out inside an input would read its own outputs back.
    let input = tempfile::tempdir().unwrap();
    fs::write(input.path().join("a.txt"), "نص").unwrap();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .arg("--out")
        .arg(input.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is inside the input"));
    // An output folder that cannot be created.
    let file = input.path().join("a.txt");
    ghirbal()
        .arg("clean")
        .arg(root().join("samples"))
        .arg("--out")
        .arg(file.join("sub"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write to the output folder"));
}

#[test]
fn jsonl_format_writes_documents() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(root().join("samples"))
        .args(["--format", "jsonl", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let docs: Vec<Value> = fs::read_to_string(out.path().join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 5);
    let expected = fs::read_to_string(root().join("samples/002_feadbcb8254112b2.expected.txt")).unwrap();
    let d = docs.iter().find(|d| d["path"] == "002_feadbcb8254112b2.txt").unwrap();
    assert_eq!(d["text"], expected.as_str());
    for k in [
        "id", "path", "url", "site", "title", "author", "date", "lang", "text", "sha256",
    ] {
        assert!(d.get(k).is_some(), "document lacks {k}");
    }
    assert!(!out.path().join("002_feadbcb8254112b2.txt").exists());
}
