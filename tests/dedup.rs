//! Deduplication as a user meets it: exact copies, spelling variants, rewritten copies,
//! site-template chrome, and output that does not depend on threads or discovery order.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{entry, ghirbal, manifest};
use serde_json::Value;

fn sample(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let file = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(name) && !n.ends_with(".expected.txt")
        })
        .unwrap();
    fs::read_to_string(file).unwrap()
}

fn clean(input: &Path, out: &Path, extra: &[&str]) -> Vec<Value> {
    ghirbal()
        .arg("clean")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .code(0);
    manifest(out)
}

/// The same text as typed by someone else: tatweel, harakat, other hamza forms, CRLF, spaces.
fn respell(text: &str) -> String {
    text.replace("بوتين", "بـوتـيـن")
        .replace("كوريا", "كُورِيَا")
        .replace("أن ", "ان ")
        .replace("إلى", "الى")
        .replace("الرئيس", "الرئيـــس")
        .replace(" في ", "  في  ")
        .replace('\n', "\r\n")
}

#[test]
fn copies_respellings_rewrites_and_other_write_ups() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let seed = sample("001_");
    fs::write(input.path().join("a-original.txt"), &seed).unwrap();
    fs::write(input.path().join("b-exact-copy.txt"), &seed).unwrap();
    fs::write(input.path().join("c-respelled.txt"), respell(&seed)).unwrap();
    let rewritten = seed.replace(
        "وذكرت وكالة الإعلام الرسمية \"ريا\" أن الزعيمين تحدثا بحيوية مع بعضهما البعض لعدة دقائق قبل وصول موكبهما.",
        "وقالت وسائل إعلام رسمية إن اللقاء الأول بين الرجلين في المطار استمر نحو ربع ساعة وسط إجراءات أمنية مشددة.",
    );
    assert_ne!(rewritten, seed);
    fs::write(input.path().join("d-one-paragraph-rewritten.txt"), &rewritten).unwrap();
    fs::write(input.path().join("e-agency-one.txt"), sample("000_")).unwrap();
    fs::write(input.path().join("f-agency-two.txt"), sample("004_")).unwrap();

    let entries = clean(input.path(), out.path(), &[]);
    assert_eq!(entry(&entries, "a-original.txt")["status"], "clean");
    for copy in ["b-exact-copy.txt", "c-respelled.txt"] {
        let e = entry(&entries, copy);
        assert_eq!(e["status"], "duplicate", "{copy}");
        assert_eq!(e["duplicate_of"], "a-original.txt");
        assert_eq!(e["output"], Value::Null);
        assert!(!out.path().join(copy).exists());
    }
    let d = entry(&entries, "d-one-paragraph-rewritten.txt");
    assert_eq!(d["status"], "near_duplicate");
    assert_eq!(d["duplicate_of"], "a-original.txt");
    let sim = d["similarity"].as_f64().unwrap();
    assert!((0.8..1.0).contains(&sim), "similarity {sim}");
    assert!(
        out.path().join("d-one-paragraph-rewritten.txt").exists(),
        "a near-duplicate is still written"
    );
    for own in ["e-agency-one.txt", "f-agency-two.txt"] {
        assert_eq!(
            entry(&entries, own)["status"],
            "clean",
            "two agencies' write-ups of one event"
        );
    }

    let out2 = tempfile::tempdir().unwrap();
    let entries = clean(input.path(), out2.path(), &["--drop-near-duplicates"]);
    assert_eq!(entry(&entries, "d-one-paragraph-rewritten.txt")["output"], Value::Null);
    assert!(!out2.path().join("d-one-paragraph-rewritten.txt").exists());

    let out3 = tempfile::tempdir().unwrap();
    let entries = clean(input.path(), out3.path(), &["--near-threshold", "0.999"]);
    assert_eq!(entry(&entries, "d-one-paragraph-rewritten.txt")["status"], "clean");
}

const HEADER: &[&str] = &["جريدة الغربال اليومية", "الرئيسية | سياسة | اقتصاد | رياضة | ثقافة"];
const FOOTER: &[&str] = &[
    "هيئة التحرير: رئيس التحرير عبد الله المثال",
    "حقوق النشر لجريدة الغربال ٢٠٢٦",
];
const TEASERS: &[&str] = &[
    "لا تفوت: ملف خاص عن أزمة المياه في المنطقة",
    "الأكثر تداولا اليوم: أسعار الذهب في الأسواق المحلية",
    "فيديو: جولة في معرض الكتاب الدولي",
];

fn article_paragraph(page: usize, n: usize) -> String {
    let words = [
        "المدينة",
        "المجلس",
        "الحكومة",
        "السوق",
        "المدرسة",
        "الطريق",
        "المستشفى",
        "الميناء",
        "الجامعة",
        "المصنع",
    ];
    format!(
        "قال مسؤول في {} إن المشروع رقم {} سيبدأ في {} بعد دراسة استمرت {} أشهر، وإن كلفته ستبلغ {} مليون.",
        words[page % 10],
        page * 10 + n,
        words[(page + n + 3) % 10],
        n + 2,
        page * 7 + n * 13 + 5
    )
}

/// 50 pages of one site: their own article paragraphs between a shared header, footer and teasers.
#[test]
fn site_template_chrome_is_learned_and_article_paragraphs_survive() {
    let input = tempfile::tempdir().unwrap();
    let site = input.path().join("ghirbal-daily");
    fs::create_dir_all(&site).unwrap();
    let quote = "وكان الوزير قد صرح في وقت سابق بأن الخطة ستنفذ على مراحل خلال العامين المقبلين.";
    let mut articles = Vec::new();
    for page in 0..50 {
        let mut lines: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
        let own: Vec<String> = (0..4).map(|n| article_paragraph(page, n)).collect();
        lines.push(own[0].clone());
        lines.push(own[1].clone());
        // Each teaser sits on a third of the pages, between paragraphs.
        lines.push(TEASERS[page % 3].to_string());
        lines.push(own[2].clone());
        // Two articles quote the same paragraph: it is article text.
        if page == 7 || page == 31 {
            lines.push(quote.to_string());
        }
        lines.push(own[3].clone());
        lines.extend(FOOTER.iter().map(|s| s.to_string()));
        fs::write(site.join(format!("page-{page:02}.txt")), lines.join("\n")).unwrap();
        articles.push(own);
    }
    let out = tempfile::tempdir().unwrap();
    let entries = clean(input.path(), out.path(), &[]);
    for (page, own) in articles.iter().enumerate() {
        let name = format!("page-{page:02}.txt");
        let e = entry(&entries, &format!("ghirbal-daily/{name}"));
        assert_eq!(e["status"], "clean");
        let text = fs::read_to_string(out.path().join("ghirbal-daily").join(&name)).unwrap();
        let mut expected: Vec<&str> = own.iter().map(String::as_str).collect();
        if page == 7 || page == 31 {
            expected.insert(3, quote);
        }
        assert_eq!(text, expected.join("\n\n") + "\n", "{name}");
        // Header (2) + teaser (1) + footer (2), all learned.
        assert_eq!(e["removed"]["template-chrome"], 5, "{name}: {}", e["removed"]);
    }

    // Off, nothing is learned; with a share no teaser reaches, teasers stay.
    let off = tempfile::tempdir().unwrap();
    let entries = clean(input.path(), off.path(), &["--no-template"]);
    assert!(
        entry(&entries, "ghirbal-daily/page-00.txt")["removed"]
            .get("template-chrome")
            .is_none()
    );
    let strict = tempfile::tempdir().unwrap();
    let entries = clean(input.path(), strict.path(), &["--template-min-share", "0.5"]);
    assert_eq!(
        entry(&entries, "ghirbal-daily/page-00.txt")["removed"]["template-chrome"],
        4
    );
    assert!(
        fs::read_to_string(strict.path().join("ghirbal-daily/page-00.txt"))
            .unwrap()
            .contains(TEASERS[0])
    );
}

#[test]
fn output_is_byte_identical_for_any_jobs_and_discovery_order() {
    // Two folders with the same files created in opposite orders.
    let names: Vec<String> = (0..12).map(|i| format!("doc-{i:02}.txt")).collect();
    let texts = [
        sample("000_"),
        sample("001_"),
        sample("002_"),
        respell(&sample("001_")),
        sample("004_"),
    ];
    let make = |dir: &Path, reverse: bool| {
        let mut order: Vec<usize> = (0..names.len()).collect();
        if reverse {
            order.reverse();
        }
        for i in order {
            fs::write(dir.join(&names[i]), &texts[i % texts.len()]).unwrap();
        }
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    make(a.path(), false);
    make(b.path(), true);
    let mut outputs = Vec::new();
    for (dir, jobs) in [(a.path(), "1"), (b.path(), "4"), (a.path(), "3")] {
        let out = tempfile::tempdir().unwrap();
        clean(dir, out.path(), &["--jobs", jobs]);
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        outputs.push(files);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    assert!(outputs[0].iter().any(|(n, _)| n == "manifest.jsonl"));
}
