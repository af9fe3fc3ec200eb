//! Scale-out: `clean --shard K/N` on each of N machines, then `merge`, writes the same bytes as
//! one machine's run, including decisions that need every shard (templates, duplicates).

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::prelude::*;
use common::{ghirbal, root, tree};
use predicates::prelude::*;

/// A batch whose decisions cross shards: one site's template chrome spread over 16 pages, exact
/// and respelled copies of the seeds, HTML pages, a WARC file, and inputs that fail.
fn batch(dir: &Path) {
    let site = dir.join("daily");
    fs::create_dir_all(&site).unwrap();
    for page in 0..16 {
        let text = [
            "جريدة المثال اليومية".to_string(),
            "الرئيسية | سياسة | اقتصاد | رياضة".to_string(),
            format!(
                "قال مسؤول في البلدية إن المشروع رقم {page} سيبدأ بعد دراسة استمرت {} أشهر.",
                page + 2
            ),
            format!(
                "وأضاف أن كلفة المرحلة {} ستبلغ {} مليون وأن العمل سينتهي في غضون عام.",
                page * 3,
                page * 7 + 5
            ),
            "حقوق النشر لجريدة المثال ٢٠٢٦".to_string(),
        ]
        .join("\n");
        fs::write(site.join(format!("page-{page:02}.txt")), text).unwrap();
    }
    let seeds = dir.join("seeds");
    fs::create_dir_all(&seeds).unwrap();
    for entry in fs::read_dir(root().join("samples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".expected.txt") || !name.ends_with(".txt") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        fs::write(seeds.join(&name), &text).unwrap();
        fs::write(seeds.join(format!("copy-{name}")), &text).unwrap();
        fs::write(seeds.join(format!("respelled-{name}")), text.replace("إلى", "الى")).unwrap();
    }
    for html in ["html/generic/news.html", "html/site/captures/by-canonical.html"] {
        let from = root().join("tests/fixtures").join(html);
        fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
    }
    let page = "<html><body><article><p>أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير.</p></article></body></html>";
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
    let warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Target-URI: https://news.example/a\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    );
    fs::write(dir.join("crawl.warc"), warc).unwrap();
    fs::copy(
        root().join("tests/fixtures/bad/picture.png.txt"),
        dir.join("picture.png.txt"),
    )
    .unwrap();
    fs::write(dir.join("empty.txt"), b"").unwrap();
}

fn shard(input: &Path, out: &Path, k: usize, n: usize, extra: &[&str]) {
    ghirbal()
        .arg("clean")
        .arg(input)
        .args(["--shard", &format!("{k}/{n}"), "-q", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .code(predicate::in_iter([0, 1]));
}

#[test]
fn four_shards_merged_equal_one_run() {
    let input = tempfile::tempdir().unwrap();
    batch(input.path());
    for format in ["txt", "jsonl"] {
        let single = tempfile::tempdir().unwrap();
        ghirbal()
            .arg("clean")
            .arg(input.path())
            .args(["--format", format, "-q", "--out"])
            .arg(single.path())
            .assert()
            .code(1);

        // Two machines' folders, two shards in each.
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for k in 0..4 {
            shard(input.path(), if k < 2 { a.path() } else { b.path() }, k, 4, &[]);
        }
        for k in 0..4 {
            let file = if k < 2 { a.path() } else { b.path() }.join(format!("shard-{k}-of-4.jsonl"));
            let lines = fs::read_to_string(&file).unwrap().lines().count();
            assert!(lines > 1, "shard {k} holds no document: the split is not spread");
        }
        // Nothing but the shard file is left in a shard's folder.
        assert_eq!(tree(a.path()).len(), 2);

        let merged = tempfile::tempdir().unwrap();
        ghirbal()
            .arg("merge")
            .arg(a.path())
            .arg(b.path())
            .args(["--format", format, "-q", "--out"])
            .arg(merged.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains("picture.png.txt: not a text or HTML capture"));
        assert_eq!(tree(merged.path()), tree(single.path()), "--format {format}");

        // The decisions that need every shard were taken.
        let manifest = fs::read_to_string(single.path().join("manifest.jsonl")).unwrap();
        assert!(manifest.contains("\"template-chrome\":3"), "templates learned");
        assert!(manifest.contains("\"status\":\"duplicate\""), "duplicates found");
        assert!(
            manifest.contains("crawl.warc#urn:uuid:1"),
            "the WARC record is a document"
        );
    }
}

fn merge(shards: &Path, out: &Path) -> assert_cmd::assert::Assert {
    ghirbal().arg("merge").arg(shards).arg("--out").arg(out).assert()
}

#[test]
fn merge_refuses_an_incomplete_or_mixed_set_of_shards() {
    let input = tempfile::tempdir().unwrap();
    batch(input.path());
    let shards = tempfile::tempdir().unwrap();
    for k in 0..3 {
        shard(input.path(), shards.path(), k, 4, &[]);
    }
    let out = tempfile::tempdir().unwrap();
    merge(shards.path(), out.path())
        .code(2)
        .stderr(predicate::str::contains("shard(s) 3 of 4 missing"));
    assert!(!out.path().join("manifest.jsonl").exists());

    // The last shard made with other rules.
    let rules = tempfile::tempdir().unwrap();
    fs::write(
        rules.path().join("other.toml"),
        "id = \"other\"\nkind = \"shared\"\nreason = \"test\"\n[[drop-line]]\nid = \"x\"\nreason = \"test\"\ncontains = [\"zzz\"]\n",
    )
    .unwrap();
    shard(
        input.path(),
        shards.path(),
        3,
        4,
        &["--rules", rules.path().to_str().unwrap()],
    );
    merge(shards.path(), out.path())
        .code(2)
        .stderr(predicate::str::contains("shard-3-of-4.jsonl: its rules digest"));

    // Not a shard file at all.
    let stray = tempfile::tempdir().unwrap();
    fs::write(stray.path().join("manifest.jsonl"), "{\"path\": \"a.txt\"}\n").unwrap();
    merge(&stray.path().join("manifest.jsonl"), out.path())
        .code(2)
        .stderr(predicate::str::contains(
            "manifest.jsonl: line 1 is not a ghirbal shard header",
        ));

    // A shard of another split.
    shard(input.path(), shards.path(), 3, 4, &[]);
    shard(input.path(), shards.path(), 0, 2, &[]);
    merge(shards.path(), out.path())
        .code(2)
        .stderr(predicate::str::contains("its shard count (4) differs"));
}

#[test]
fn a_shard_number_out_of_range_is_refused() {
    let out = tempfile::tempdir().unwrap();
    for (arg, message) in [
        ("4/4", "shards are numbered from 0 to 3"),
        ("1/0", "the shard count must be at least 1"),
        ("two", "is not K/N"),
    ] {
        ghirbal()
            .args(["clean", "samples", "--shard", arg, "--out"])
            .arg(out.path())
            .current_dir(root())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}

/// A single run of `batch` to compare sharded runs with.
fn single_run(input: &Path) -> tempfile::TempDir {
    let single = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(input)
        .args(["-q", "--out"])
        .arg(single.path())
        .assert()
        .code(1);
    single
}

#[cfg(unix)]
#[test]
fn the_documented_slurm_array_gives_the_single_run_output() {
    let input = tempfile::tempdir().unwrap();
    batch(input.path());
    let (shards, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let binary = assert_cmd::cargo::cargo_bin("ghirbal");
    for k in 0..4 {
        // Failed inputs do not fail the task, so `afterok` lets the merge start.
        std::process::Command::new("bash")
            .arg(root().join("deploy/slurm/clean-array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "4")
            .env("SLURM_CPUS_PER_TASK", "2")
            .env("CAPTURES", input.path())
            .env("SHARDS", shards.path())
            .env("GHIRBAL", &binary)
            .assert()
            .code(0);
    }
    std::process::Command::new("bash")
        .arg(root().join("deploy/slurm/merge.sbatch"))
        .env("SHARDS", shards.path())
        .env("OUT", out.path())
        .env("GHIRBAL", &binary)
        .assert()
        .code(0);
    assert_eq!(tree(out.path()), tree(single_run(input.path()).path()));
}

/// The `args:` of a Kubernetes manifest in deploy/, with its mount points replaced.
fn kubernetes_args(file: &str, mounts: &[(&str, &Path)], index: usize) -> Vec<String> {
    let text = fs::read_to_string(root().join("deploy/kubernetes").join(file)).unwrap();
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("args:"))
        .unwrap_or_else(|| panic!("{file} has no args line"));
    let args: Vec<String> = serde_json::from_str(line.trim()).unwrap();
    args.into_iter()
        .map(|a| {
            let a = a.replace("$(JOB_COMPLETION_INDEX)", &index.to_string());
            mounts
                .iter()
                .find(|(mount, _)| a == *mount)
                .map_or(a, |(_, dir)| dir.display().to_string())
        })
        .collect()
}

#[test]
fn the_documented_kubernetes_jobs_give_the_single_run_output() {
    let input = tempfile::tempdir().unwrap();
    batch(input.path());
    let (shards, out, rules) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let mounts = [
        ("/in", input.path()),
        ("/shards", shards.path()),
        ("/out", out.path()),
        ("/rules", rules.path()),
    ];
    let completions = fs::read_to_string(root().join("deploy/kubernetes/clean-indexed-job.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("completions:")
                .map(|n| n.trim().parse::<usize>().unwrap())
        })
        .unwrap();
    for index in 0..completions {
        let args = kubernetes_args("clean-indexed-job.yaml", &mounts, index);
        assert!(args.contains(&format!("{index}/{completions}")), "{args:?}");
        ghirbal().args(&args).assert().code(0);
    }
    ghirbal()
        .args(kubernetes_args("merge-job.yaml", &mounts, 0))
        .assert()
        .code(0);
    assert_eq!(tree(out.path()), tree(single_run(input.path()).path()));
}

#[test]
fn options_a_shard_cannot_apply_are_named_in_a_warning() {
    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .args(["clean", "samples", "--shard", "0/1", "--format", "jsonl", "-q", "--out"])
        .arg(out.path())
        .current_dir(root())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: --format has no effect with --shard: give it to `ghirbal merge`",
        ));
    assert!(out.path().join("shard-0-of-1.jsonl").is_file());
    assert!(!out.path().join("documents.jsonl").exists());
}
