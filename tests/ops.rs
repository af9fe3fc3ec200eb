//! Running unattended: links in input folders, and a run killed with SIGKILL then started again.

use std::fs;
use std::time::Duration;

mod common;
use common::{clean, entry, ghirbal, manifest, root, tree};

#[cfg(unix)]
#[test]
fn links_are_followed_inside_the_input_and_reported_otherwise() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "نص خارج مجلد الإدخال").unwrap();
    let input = tempfile::tempdir().unwrap();
    fs::write(input.path().join("a.txt"), "فقرة أولى من نص عادي داخل مجلد الإدخال.").unwrap();
    fs::create_dir(input.path().join("sub")).unwrap();
    symlink(input.path().join("a.txt"), input.path().join("sub/link-in.txt")).unwrap();
    symlink(outside.path().join("secret.txt"), input.path().join("link-out.txt")).unwrap();
    symlink(input.path(), input.path().join("sub/loop")).unwrap();
    symlink(input.path().join("gone.txt"), input.path().join("broken.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();
    clean(input.path(), out.path()).code(1);
    let entries = manifest(out.path());
    assert_eq!(entry(&entries, "a.txt")["status"], "clean");
    assert_eq!(
        entry(&entries, "sub/link-in.txt")["status"],
        "duplicate",
        "a link inside the input is followed"
    );
    let out_link = entry(&entries, "link-out.txt");
    assert_eq!(out_link["status"], "error");
    assert!(
        out_link["error"]
            .as_str()
            .unwrap()
            .contains("outside the input: not followed"),
        "{out_link}"
    );
    let broken = entry(&entries, "broken.txt");
    assert_eq!(broken["status"], "error");
    assert!(broken["error"].as_str().unwrap().contains("No such file"), "{broken}");
    assert!(
        entries
            .iter()
            .any(|e| e["status"] == "error" && e["error"].as_str().unwrap_or("").contains("symlink loop")),
        "{entries:#?}"
    );
    assert!(
        !fs::read_to_string(out.path().join("manifest.jsonl"))
            .unwrap()
            .contains("نص خارج")
    );
}

#[test]
fn a_run_killed_and_started_again_ends_like_one_that_never_stopped() {
    let input = tempfile::tempdir().unwrap();
    let seeds: Vec<String> = fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.txt") && p.extension().is_some_and(|x| x == "txt"))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    for i in 0..400 {
        let text = format!(
            "{}\nالوثيقة رقم {i} في هذه المجموعة الكبيرة من الوثائق.\n",
            seeds[i % seeds.len()]
        );
        fs::write(input.path().join(format!("doc-{i:03}.txt")), text).unwrap();
    }
    let reference = tempfile::tempdir().unwrap();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .args(["--jobs", "1", "--out"])
        .arg(reference.path())
        .assert()
        .code(0);

    let out = tempfile::tempdir().unwrap();
    for delay_ms in [30, 120, 300] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ghirbal"))
            .arg("clean")
            .arg(input.path())
            .args(["--jobs", "1", "-q", "--out"])
            .arg(out.path())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .args(["--jobs", "1", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    assert_eq!(tree(out.path()), tree(reference.path()));
}

#[test]
fn unrelated_files_in_the_output_folder_are_never_deleted() {
    let input = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(root().join("samples/004_2f3a022fdb695d49.txt")).unwrap();
    fs::write(input.path().join("a.txt"), &seed).unwrap();
    fs::write(input.path().join("b-copy.txt"), &seed).unwrap();
    fs::write(input.path().join("empty.txt"), "").unwrap();
    let out = tempfile::tempdir().unwrap();
    let unrelated = [
        "notes.md",
        "keep/data.csv",
        ".cache/state",
        "other.txt",
        "a.txt.bak",
        "manifest.jsonl.old",
    ];
    for name in unrelated {
        let path = out.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, format!("the user's {name}")).unwrap();
    }
    for _ in 0..2 {
        clean(input.path(), out.path()).code(0);
    }
    for name in unrelated {
        assert_eq!(
            fs::read_to_string(out.path().join(name)).unwrap(),
            format!("the user's {name}"),
            "{name}"
        );
    }
    let entries = manifest(out.path());
    assert_eq!(entry(&entries, "b-copy.txt")["status"], "duplicate");
    assert!(out.path().join("a.txt").is_file());
}

/// 300 pages from the seeds, so that a run outlasts a few progress intervals.
fn many_pages() -> tempfile::TempDir {
    let input = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("samples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".txt") && !name.ends_with(".expected.txt") {
            let text = fs::read_to_string(&path).unwrap();
            for i in 0..60 {
                fs::write(
                    input.path().join(format!("{i:03}-{name}")),
                    format!("{text}\nنسخة رقم {i}\n"),
                )
                .unwrap();
            }
        }
    }
    input
}

#[test]
fn a_run_logs_progress_and_ends_with_a_summary() {
    let input = many_pages();
    let out = tempfile::tempdir().unwrap();
    let assert = ghirbal()
        .arg("clean")
        .arg(input.path())
        .args(["--jobs", "1", "--progress-every", "0.05", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    // Not a terminal: plain lines, no carriage returns or escapes.
    assert!(
        stderr.contains("cleaning: ") && stderr.contains(" files/s, ETA "),
        "{stderr}"
    );
    assert!(!stderr.contains('\r') && !stderr.contains('\x1b'), "{stderr}");
    assert!(stderr.contains("300 document(s): 5 clean, "), "{stderr}");
    assert!(stderr.contains("MB from disk, wrote "), "{stderr}");
    assert!(stderr.contains(" MB/s read"), "{stderr}");
    assert!(stderr.contains("top rules by paragraphs removed:"), "{stderr}");
    assert!(stderr.contains("arabic-chrome/related-block"), "{stderr}");
    // -q: the summary only.
    let quiet = ghirbal()
        .arg("clean")
        .arg(input.path())
        .args(["-q", "--progress-every", "0.05", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    assert!(!String::from_utf8_lossy(&quiet.get_output().stderr).contains("cleaning: "));
}

/// On a terminal (a pseudo-terminal from `script`), one live line rewritten in place.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_progress_is_one_live_line() {
    let input = many_pages();
    let out = tempfile::tempdir().unwrap();
    let command = format!(
        "{} clean {} --jobs 1 --out {}",
        assert_cmd::cargo::cargo_bin("ghirbal").display(),
        input.path().display(),
        out.path().display()
    );
    let output = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let seen = String::from_utf8_lossy(&output.stdout);
    assert!(seen.contains("\rcleaning: "), "{seen}");
    assert!(seen.contains(" files/s, ETA "), "{seen}");
    assert!(seen.contains("\x1b[K"), "{seen}");
    assert!(seen.contains("300 document(s): 5 clean, "), "{seen}");
}
