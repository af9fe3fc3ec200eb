//! The Docker job as documented: the README's `docker run` line, run against this package's binary
//! (the Dockerfile builds it with `cargo build --release --locked`), with its volumes as
//! folders. No engine runs here; the image itself is linted by hadolint in `.ci/run`.

mod common;

use std::fs;

use common::{ghirbal, manifest, root};

/// The words of the README's `docker run` line.
fn documented_docker_run() -> Vec<String> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("docker run "))
        .expect("the README documents a docker run line");
    line.split_whitespace()
        .map(|w| w.trim_matches('"').to_string())
        .collect()
}

#[test]
fn the_documented_docker_run_cleans_mounted_folders() {
    let words = documented_docker_run();
    let image_at = words
        .iter()
        .position(|w| w == "ghirbal")
        .expect("the image is named ghirbal");
    // -v HOST:CONTAINER[:ro] pairs before the image name.
    let mounts: Vec<(String, String)> = words[..image_at]
        .windows(2)
        .filter(|w| w[0] == "-v")
        .map(|w| {
            let mut parts = w[1].split(':');
            let host = parts.next().unwrap().replace("$PWD/", "");
            (host, parts.next().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        mounts.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(),
        ["/in", "/out", "/rules"]
    );

    // The user's folders: captures, an empty output folder, rules of their own.
    let pwd = tempfile::tempdir().unwrap();
    let folder = |name: &str| pwd.path().join(&mounts.iter().find(|(_, c)| c == name).unwrap().0);
    fs::create_dir_all(folder("/in")).unwrap();
    fs::create_dir_all(folder("/out")).unwrap();
    fs::create_dir_all(folder("/rules")).unwrap();
    fs::copy(
        root().join("samples/001_c48df2cdec238550.txt"),
        folder("/in").join("001.txt"),
    )
    .unwrap();
    fs::write(
        folder("/rules").join("mine.toml"),
        "id = \"mine\"\nkind = \"shared\"\nreason = \"a user's own phrases\"\n[[drop-line]]\nid = \"visit\"\nreason = \"a promotion line\"\nstarts-with = [\"وأظهرت لقطات فيديو\"]\n",
    )
    .unwrap();
    let args: Vec<String> = words[image_at + 1..]
        .iter()
        .map(|w| match mounts.iter().find(|(_, c)| c == w) {
            Some((host, _)) => pwd.path().join(host).display().to_string(),
            None => w.clone(),
        })
        .collect();
    ghirbal().args(&args).assert().code(0);
    let entries = manifest(&folder("/out"));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["status"], "clean");
    // The user's rule from /rules ran, over the built-in ones.
    assert_eq!(entries[0]["removed"]["mine/visit"], 1, "{}", entries[0]);
    let text = fs::read_to_string(folder("/out").join("001.txt")).unwrap();
    assert!(text.contains("هبط الرئيس الروسي"));
    assert!(!text.contains("وأظهرت لقطات فيديو"));
}

#[test]
fn the_dockerfile_builds_locked_and_runs_ghirbal_as_a_user() {
    let dockerfile = fs::read_to_string(root().join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("cargo build --release --locked"));
    assert!(dockerfile.contains("ENTRYPOINT [\"ghirbal\"]"));
    assert!(dockerfile.contains("COPY rules /usr/share/ghirbal/rules"));
    let user = dockerfile
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER line");
    assert_ne!(user.trim(), "0");
    assert_ne!(user.trim(), "root");
}
