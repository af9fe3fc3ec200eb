//! Bad input, one kind per test: each is reported with a message naming the file, gets the
//! right manifest status and exit code, and the rest of the batch is still cleaned.
//! (Elsewhere: 100,000 nested elements in `html.rs`, symlink loops in `ops.rs`, a corrupt WARC
//! record in `warc.rs`, rule-file syntax errors and an output folder that cannot be created in
//! `cli.rs`.)

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::assert::Assert;
use common::{clean, entry, manifest, root};
use serde_json::Value;

const GOOD: &str = "samples/004_2f3a022fdb695d49.txt";

/// A folder holding one good capture; `add` puts the bad input beside it.
fn input_with(add: impl FnOnce(&Path)) -> tempfile::TempDir {
    let input = tempfile::tempdir().unwrap();
    fs::copy(root().join(GOOD), input.path().join("good.txt")).unwrap();
    add(input.path());
    input
}

/// The good capture and `tests/fixtures/bad/FIXTURE` under the name `name`.
fn input_with_fixture(fixture: &str, name: &str) -> tempfile::TempDir {
    input_with(|dir| {
        fs::copy(root().join("tests/fixtures/bad").join(fixture), dir.join(name)).unwrap();
    })
}

/// The good capture was cleaned whatever happened to the bad one.
fn assert_good_done(out: &Path) -> Vec<Value> {
    let entries = manifest(out);
    assert_eq!(entry(&entries, "good.txt")["status"], "clean");
    assert!(out.join("good.txt").is_file());
    entries
}

/// Runs the batch and checks the bad input's error: exit 1, named on stderr, `error` entry.
fn assert_fails(input: &Path, bad: &str, message: &str) -> Value {
    let out = tempfile::tempdir().unwrap();
    clean(input, out.path())
        .code(1)
        .stderr(predicates::str::contains(format!("error: {bad}: {message}")));
    let entries = assert_good_done(out.path());
    let e = entry(&entries, bad).clone();
    assert_eq!(e["status"], "error", "{e}");
    assert!(e["error"].as_str().unwrap().starts_with(message), "{e}");
    assert_eq!(e["output"], Value::Null);
    e
}

#[test]
fn an_empty_file_is_empty_not_an_error() {
    let input = input_with(|dir| fs::write(dir.join("empty.html"), b"").unwrap());
    let out = tempfile::tempdir().unwrap();
    clean(input.path(), out.path()).code(0);
    let entries = assert_good_done(out.path());
    assert_eq!(entry(&entries, "empty.html")["status"], "empty");
    assert_eq!(entry(&entries, "empty.html")["output"], Value::Null);
    assert!(!out.path().join("empty.txt").exists());
}

#[test]
fn a_png_named_as_a_page_is_refused() {
    let input = input_with_fixture("picture.png.txt", "photo.html");
    assert_fails(
        input.path(),
        "photo.html",
        "not a text or HTML capture: it starts like a PNG file",
    );
}

#[test]
fn a_zip_archive_is_refused() {
    let input = input_with(|dir| {
        let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
        zip.extend_from_slice(&[0u8; 64]);
        fs::write(dir.join("pages.zip"), &zip).unwrap();
    });
    assert_fails(
        input.path(),
        "pages.zip",
        "not a text or HTML capture: it starts like a ZIP file",
    );
}

#[test]
fn a_truncated_gzip_is_refused() {
    let input = input_with_fixture("truncated.txt.gz", "cut.html.gz");
    assert_fails(input.path(), "cut.html.gz", "bad gzip stream");
}

#[test]
fn invalid_bytes_in_a_declared_utf8_page_are_replaced_or_refused() {
    let page = "<html><head><meta charset=\"utf-8\"></head><body><p>أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة.</p></body></html>";
    let input = input_with(|dir| {
        // A few stray bytes: the page is kept, each replaced by U+FFFD and counted.
        let mut few = page.as_bytes().to_vec();
        few.splice(120..120, [0xFF, 0xFE]);
        fs::write(dir.join("few.html"), &few).unwrap();
        // Mostly invalid: it is not UTF-8 whatever it says.
        let mut most = b"<html><head><meta charset=\"utf-8\"></head><body><p>".to_vec();
        most.extend([0xC7, 0xE1, 0xD5].repeat(200));
        fs::write(dir.join("most.html"), &most).unwrap();
    });
    let e = assert_fails(
        input.path(),
        "most.html",
        "undecodable: 600 of 650 characters are invalid in UTF-8",
    );
    assert_eq!(e["encoding"], Value::Null);
    let out = tempfile::tempdir().unwrap();
    clean(input.path(), out.path()).code(1);
    let entries = manifest(out.path());
    let few = entry(&entries, "few.html");
    assert_eq!(few["status"], "clean", "{few}");
    assert_eq!(few["encoding"], "UTF-8");
    assert_eq!(few["warnings"][0], "2 invalid byte sequences replaced with U+FFFD");
}

#[test]
fn a_200_mb_page_is_refused_without_reading_it() {
    let input = input_with(|dir| {
        // Sparse: 200 MB on paper, nothing on disk.
        let f = fs::File::create(dir.join("huge.html")).unwrap();
        f.set_len(200 * 1024 * 1024).unwrap();
        // 200 KB that unpacks to 200 MB: refused once the limit is passed, not after.
        fs::copy(
            root().join("tests/fixtures/bad/bomb-200mb.html.gz"),
            dir.join("bomb.html.gz"),
        )
        .unwrap();
    });
    let started = std::time::Instant::now();
    assert_fails(
        input.path(),
        "huge.html",
        "too large: 209715200 bytes, over the limit of 67108864 bytes",
    );
    assert_fails(input.path(), "bomb.html.gz", "too large:");
    // Generous: both are refused in well under a second in release builds.
    assert!(started.elapsed().as_secs() < 60);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_reported_not_read() {
    // Reading a FIFO nobody writes to would block the batch forever.
    let input = input_with(|dir| {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.join("pipe.html"))
            .status()
            .unwrap();
        assert!(status.success());
    });
    assert_fails(input.path(), "pipe.html", "not a regular file (a named pipe): not read");
}

/// Root reads every file whatever its mode, so as root the run is made as `nobody`, with the
/// folders in `open` opened to everyone.
#[cfg(unix)]
fn as_unprivileged(input: &Path, out: &Path, open: &[&Path]) -> Assert {
    use std::os::unix::fs::PermissionsExt;
    let binary = assert_cmd::cargo::cargo_bin("ghirbal");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    // Kept until the run ends: a copy of the binary `nobody` can reach wherever the checkout is.
    let reachable = tempfile::tempdir().unwrap();
    let mut cmd = if is_root {
        for dir in open {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
        }
        fs::set_permissions(reachable.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let copy = reachable.path().join("ghirbal");
        fs::copy(&binary, &copy).unwrap();
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(copy);
        c
    } else {
        std::process::Command::new(binary)
    };
    cmd.arg("clean").arg(input).arg("--out").arg(out);
    Assert::new(cmd.output().unwrap())
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let input = input_with(|dir| {
        fs::write(dir.join("locked.html"), "<html><body><p>نص</p></body></html>").unwrap();
        fs::set_permissions(dir.join("locked.html"), fs::Permissions::from_mode(0o000)).unwrap();
        fs::set_permissions(dir.join("good.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    });
    let out = tempfile::tempdir().unwrap();
    as_unprivileged(input.path(), out.path(), &[input.path(), out.path()])
        .code(1)
        .stderr(predicates::str::contains(
            "error: locked.html: cannot read: Permission denied",
        ));
    let entries = assert_good_done(out.path());
    assert_eq!(entry(&entries, "locked.html")["status"], "error");
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_not_writable_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let input = input_with(|_| {});
    let out = tempfile::tempdir().unwrap();
    let locked = out.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    as_unprivileged(input.path(), &locked, &[input.path(), out.path()])
        .code(2)
        .stderr(predicates::str::contains(format!(
            "cannot write to the output folder {}: Permission denied",
            locked.display()
        )));
}
