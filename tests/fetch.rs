//! `ghirbal fetch` against a real HTTP server on 127.0.0.1 that the test starts. No other
//! address is ever contacted.
#![cfg(feature = "fetch")]

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::ghirbal;
use serde_json::Value;

const ARABIC_PAGE: &str = "<html><head><title>خبر</title></head><body><article><p>أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير وقسما للطوارئ.</p><p>وقال الوزير إن المستشفى سيبدأ استقبال المرضى الأسبوع المقبل.</p></article></body></html>";

#[derive(Default)]
struct Stats {
    base: Mutex<String>,
    times: Mutex<Vec<(String, std::time::Instant)>>,
    hits: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Stats {
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

struct Server {
    base: String,
    stats: Arc<Stats>,
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn handle(mut stream: TcpStream, stats: Arc<Stats>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let seen = {
        let mut hits = stats.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n
    };
    stats
        .times
        .lock()
        .unwrap()
        .push((path.clone(), std::time::Instant::now()));
    let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let html = |charset: &str| vec![("Content-Type", format!("text/html; charset={charset}"))];
    match path.as_str() {
        "/robots.txt" => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", "text/plain".into())],
            b"User-agent: *\nDisallow: /private/\n",
        ),
        "/ar-utf8" => respond(&mut stream, "200 OK", &html("utf-8"), ARABIC_PAGE.as_bytes()),
        "/ar-1256" => {
            let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC_PAGE);
            respond(&mut stream, "200 OK", &html("windows-1256"), &bytes)
        }
        "/r1" => respond(&mut stream, "302 Found", &[("Location", "/r2".into())], b""),
        "/r2" => respond(&mut stream, "302 Found", &[("Location", "/ar-utf8".into())], b""),
        "/loop" => respond(&mut stream, "302 Found", &[("Location", "/loop".into())], b""),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            respond(&mut stream, "200 OK", &html("utf-8"), ARABIC_PAGE.as_bytes())
        }
        "/flaky" if seen == 1 => respond(
            &mut stream,
            "503 Service Unavailable",
            &[("Retry-After", "1".into())],
            b"busy",
        ),
        "/flaky" => respond(&mut stream, "200 OK", &html("utf-8"), ARABIC_PAGE.as_bytes()),
        "/down" => respond(&mut stream, "500 Internal Server Error", &[], b"down"),
        "/huge" => respond(&mut stream, "200 OK", &html("utf-8"), &vec![b'a'; 3 * 1024 * 1024]),
        "/image" => respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", "image/png".into())],
            b"\x89PNG\r\n",
        ),
        p if p.starts_with("/busy/") => {
            std::thread::sleep(Duration::from_millis(300));
            respond(
                &mut stream,
                "200 OK",
                &html("utf-8"),
                ARABIC_PAGE.replace("اليوم", p).as_bytes(),
            )
        }
        "/sitemap.xml" => {
            let base = stats.base.lock().unwrap().clone();
            let body = format!(
                "<urlset><url><loc>{base}/ar-utf8</loc></url><url><loc>{base}/private/secret</loc></url></urlset>"
            );
            respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "application/xml".into())],
                body.as_bytes(),
            )
        }
        _ => respond(&mut stream, "404 Not Found", &[], b"no"),
    }
    stats.in_flight.fetch_sub(1, Ordering::SeqCst);
}

fn start_server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let stats = Arc::new(Stats::default());
    *stats.base.lock().unwrap() = base.clone();
    let s = stats.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let s = s.clone();
            std::thread::spawn(move || handle(stream, s));
        }
    });
    Server { base, stats }
}

fn records(dir: &Path) -> HashMap<String, Value> {
    fs::read_to_string(dir.join("fetch-manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string(), v))
        .collect()
}

#[test]
fn fetches_politely_and_records_every_outcome() {
    let server = start_server();
    let out = tempfile::tempdir().unwrap();
    let clean = tempfile::tempdir().unwrap();
    let urls: Vec<String> = [
        "ar-utf8",
        "ar-1256",
        "r1",
        "loop",
        "slow",
        "flaky",
        "down",
        "huge",
        "image",
        "missing",
        "private/secret",
    ]
    .iter()
    .map(|p| format!("{}/{p}", server.base))
    .chain(["ftp://127.0.0.1/x".to_string()])
    .collect();
    ghirbal()
        .arg("fetch")
        .args(&urls)
        .arg("--out")
        .arg(out.path())
        .arg("--clean")
        .arg(clean.path())
        .args([
            "--delay-ms",
            "0",
            "--timeout",
            "1",
            "--retries",
            "2",
            "--max-body",
            "1000000",
            "--max-redirects",
            "3",
        ])
        .assert()
        .code(1);
    let r = records(out.path());
    assert_eq!(r.len(), 12);
    assert_eq!(r["ar-utf8"]["status"], "fetched");
    assert_eq!(r["ar-1256"]["status"], "fetched");
    assert_eq!(r["r1"]["status"], "fetched", "a redirect chain within the limit");
    assert!(r["r1"]["final_url"].as_str().unwrap().ends_with("/ar-utf8"));
    assert_eq!(r["loop"]["status"], "failed");
    assert!(
        r["loop"]["reason"].as_str().unwrap().contains("redirects"),
        "{}",
        r["loop"]
    );
    assert_eq!(r["slow"]["status"], "failed");
    assert!(
        r["slow"]["reason"].as_str().unwrap().contains("timed out"),
        "{}",
        r["slow"]
    );
    assert_eq!(r["flaky"]["status"], "fetched", "503 + Retry-After, then 200");
    assert_eq!(r["flaky"]["attempts"], 2);
    assert_eq!(r["down"]["status"], "failed");
    assert_eq!(r["down"]["attempts"], 3, "5xx: first try and two retries");
    assert_eq!(r["huge"]["status"], "failed");
    assert!(r["huge"]["reason"].as_str().unwrap().contains("over the limit"));
    assert_eq!(r["image"]["status"], "not_html");
    assert_eq!(r["missing"]["status"], "failed");
    assert_eq!(r["missing"]["http_status"], 404);
    assert_eq!(server.stats.hits("/missing"), 1, "no retry for 4xx");
    assert_eq!(r["secret"]["status"], "disallowed");
    assert_eq!(
        server.stats.hits("/private/secret"),
        0,
        "a disallowed URL is never requested"
    );
    assert_eq!(
        server.stats.hits("/robots.txt"),
        1,
        "robots.txt is fetched once per host"
    );
    assert_eq!(r["x"]["status"], "failed");
    assert!(r["x"]["reason"].as_str().unwrap().contains("only http and https"));

    // Captures and sidecars.
    let path = out.path().join(r["ar-1256"]["path"].as_str().unwrap());
    let sidecar: Value =
        serde_json::from_str(&fs::read_to_string(format!("{}.meta.json", path.display())).unwrap()).unwrap();
    assert_eq!(sidecar["status"], 200);
    assert_eq!(sidecar["headers"]["content-type"], "text/html; charset=windows-1256");
    assert!(sidecar["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(sidecar["url"], format!("{}/ar-1256", server.base));

    // --clean: the captures decoded by their real charset, matched by URL.
    let manifest: Vec<Value> = fs::read_to_string(clean.path().join("manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let cp = manifest
        .iter()
        .find(|e| e["url"].as_str().is_some_and(|u| u.ends_with("/ar-1256")))
        .expect("the cp1256 page");
    assert_eq!(cp["encoding"], "windows-1256");
    assert_eq!(cp["encoding_source"], "header");
    assert!(
        manifest
            .iter()
            .all(|e| !e["path"].as_str().unwrap().contains("fetch-manifest"))
    );
    let written = clean.path().join(cp["output"].as_str().unwrap_or("-"));
    let text = fs::read_to_string(&written).unwrap_or_default();
    assert!(
        text.contains("أعلنت وزارة الصحة") || cp["status"] == "duplicate",
        "{cp}"
    );
}

#[test]
fn a_second_run_repeats_nothing_unless_refresh() {
    let server = start_server();
    let out = tempfile::tempdir().unwrap();
    let url = format!("{}/ar-utf8", server.base);
    for _ in 0..2 {
        ghirbal()
            .args(["fetch", &url, "--delay-ms", "0", "--out"])
            .arg(out.path())
            .assert()
            .code(0);
    }
    assert_eq!(server.stats.hits("/ar-utf8"), 1);
    assert_eq!(records(out.path())["ar-utf8"]["status"], "skipped");
    ghirbal()
        .args(["fetch", &url, "--delay-ms", "0", "--refresh", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    assert_eq!(server.stats.hits("/ar-utf8"), 2);
}

#[test]
fn the_per_host_limit_holds_and_sitemaps_are_followed() {
    let server = start_server();
    let out = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..8).map(|i| format!("{}/busy/{i}", server.base)).collect();
    ghirbal()
        .arg("fetch")
        .args(&urls)
        .args(["--per-host", "2", "--concurrency", "8", "--delay-ms", "0", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let max = server.stats.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 2, "at most two requests at once to one host, saw {max}");
    assert!(max >= 1);

    let out2 = tempfile::tempdir().unwrap();
    ghirbal()
        .args([
            "fetch",
            "--delay-ms",
            "0",
            "--sitemap",
            &format!("{}/sitemap.xml", server.base),
            "--out",
        ])
        .arg(out2.path())
        .assert()
        .code(0);
    let r = records(out2.path());
    assert_eq!(r["ar-utf8"]["status"], "fetched");
    assert_eq!(r["secret"]["status"], "disallowed");
    assert_eq!(server.stats.hits("/private/secret"), 0);
}

#[test]
fn requests_to_one_host_are_spaced_by_the_delay_and_retry_after_is_waited() {
    let server = start_server();
    let out = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..3).map(|i| format!("{}/busy/d{i}", server.base)).collect();
    ghirbal()
        .arg("fetch")
        .args(&urls)
        .args(["--delay-ms", "400", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let mut starts: Vec<std::time::Instant> = server
        .stats
        .times
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p.starts_with("/busy/"))
        .map(|(_, t)| *t)
        .collect();
    starts.sort();
    assert_eq!(starts.len(), 3);
    for pair in starts.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(350),
            "gap {:?}",
            pair[1] - pair[0]
        );
    }

    let out = tempfile::tempdir().unwrap();
    ghirbal()
        .args(["fetch", &format!("{}/flaky", server.base), "--delay-ms", "0", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let times: Vec<std::time::Instant> = server
        .stats
        .times
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p == "/flaky")
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(times.len(), 2);
    assert!(
        times[1] - times[0] >= Duration::from_millis(950),
        "Retry-After: 1 was waited, gap {:?}",
        times[1] - times[0]
    );
}
