//! WARC input: each HTML response record is a document; other records are skipped and counted;
//! a corrupt record is an error entry and the batch goes on.

mod common;

use std::fs;
use std::io::Write;

use common::ghirbal;
use predicates::prelude::*;
use serde_json::Value;

const PAGE: &str = "<html><head><title>خبر</title></head><body><article><p>أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير وقسما للطوارئ.</p><p>وقال الوزير إن المستشفى سيبدأ استقبال المرضى الأسبوع المقبل.</p></article></body></html>";

fn record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <{id}>\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn gzip_member(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn html_responses_become_documents() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let page_b = PAGE.replace("اليوم", "أمس");
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&page_b);
    let mut response_1256 = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1256\r\n\r\n".to_vec();
    response_1256.extend_from_slice(&cp1256);
    let records = [
        record(
            "warcinfo",
            "urn:uuid:0",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "request",
            "urn:uuid:1",
            "https://news.test/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            "urn:uuid:2",
            "https://news.test/a",
            "application/http; msgtype=response",
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{PAGE}").as_bytes(),
        ),
        record(
            "response",
            "urn:uuid:3",
            "https://news.test/b",
            "application/http; msgtype=response",
            &response_1256,
        ),
        record(
            "response",
            "urn:uuid:4",
            "https://news.test/i.png",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ),
    ];
    // One gzip member per record, as crawlers write them.
    let gz: Vec<u8> = records.iter().flat_map(|r| gzip_member(r)).collect();
    fs::write(input.path().join("crawl.warc.gz"), gz).unwrap();
    fs::write(input.path().join("plain.warc"), records[2].clone()).unwrap();

    ghirbal()
        .arg("clean")
        .arg(input.path())
        .args(["--no-dedup", "--out"])
        .arg(out.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("WARC: 3 record(s) skipped"));
    let manifest: Vec<Value> = fs::read_to_string(out.path().join("manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<&str> = manifest.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "crawl.warc.gz#urn:uuid:2",
            "crawl.warc.gz#urn:uuid:3",
            "plain.warc#urn:uuid:2"
        ]
    );
    let b = &manifest[1];
    assert_eq!(b["url"], "https://news.test/b");
    assert_eq!(
        (b["encoding"].as_str(), b["encoding_source"].as_str()),
        (Some("windows-1256"), Some("header"))
    );
    assert_eq!(b["output"], "crawl/urn_uuid_3.txt");
    let text = fs::read_to_string(out.path().join("crawl/urn_uuid_3.txt")).unwrap();
    assert!(text.contains("أعلنت وزارة الصحة أمس"), "{text}");
}

#[test]
fn a_corrupt_record_is_an_error_and_the_batch_goes_on() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut warc = record(
        "response",
        "urn:uuid:7",
        "https://news.test/a",
        "application/http; msgtype=response",
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{PAGE}").as_bytes(),
    );
    warc.extend_from_slice(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated");
    fs::write(input.path().join("broken.warc"), warc).unwrap();
    fs::write(
        input.path().join("other.txt"),
        "نص عادي في ملف آخر يجب أن ينظف رغم الخطأ.",
    )
    .unwrap();
    ghirbal()
        .arg("clean")
        .arg(input.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "broken.warc#record-2: corrupt WARC record 2: truncated record",
        ));
    let manifest = fs::read_to_string(out.path().join("manifest.jsonl")).unwrap();
    assert!(
        manifest
            .contains("\"path\":\"broken.warc#urn:uuid:7\",\"output\":\"broken/urn_uuid_7.txt\",\"status\":\"clean\"")
    );
    assert!(manifest.contains("\"path\":\"other.txt\",\"output\":\"other.txt\",\"status\":\"clean\""));
}
