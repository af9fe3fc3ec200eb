//! WARC input (`.warc`, `.warc.gz`): each `response` record with an HTML body is one document,
//! with the record's target URI and HTTP headers; other records are skipped and counted.
//!
//! A small reader of our own: header lines, Content-Length framing, gzip members read as one
//! stream, HTTP status line and headers split off, chunked transfer and gzip content decoded.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Whether a file name says WARC.
pub fn is_warc_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".warc") || lower.ends_with(".warc.gz")
}

/// One HTML response from a WARC file.
#[derive(Debug, Clone)]
pub struct WarcDocument {
    pub record_id: String,
    pub url: Option<String>,
    /// The HTTP response's Content-Type, when it has one.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What reading one WARC file gave.
#[derive(Debug, Default)]
pub struct WarcContents {
    pub documents: Vec<WarcDocument>,
    /// Records that are not HTML responses (requests, metadata, warcinfo, images …).
    pub skipped: usize,
    /// A record that could not be read, and where: reading stops there.
    pub error: Option<(usize, String)>,
}

/// Reads every record; `max_record` bounds one record's block.
pub fn read(path: &Path, max_record: u64) -> std::io::Result<WarcContents> {
    let file = std::fs::File::open(path)?;
    let mut head = [0u8; 2];
    let gz = {
        let mut f = std::fs::File::open(path)?;
        f.read_exact(&mut head).is_ok() && head == [0x1F, 0x8B]
    };
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    Ok(read_records(BufReader::new(reader), max_record))
}

/// Reads every record of an uncompressed WARC stream; `max_record` bounds one record's block.
pub fn read_records(mut r: impl BufRead, max_record: u64) -> WarcContents {
    let mut out = WarcContents::default();
    let mut index = 0usize;
    loop {
        index += 1;
        // Skip blank lines between records.
        let mut version = String::new();
        loop {
            version.clear();
            match r.read_line(&mut version) {
                Ok(0) => return out,
                Ok(_) if version.trim().is_empty() => continue,
                Ok(_) => break,
                Err(e) => {
                    out.error = Some((index, format!("cannot read: {e}")));
                    return out;
                }
            }
        }
        if !version.starts_with("WARC/") {
            out.error = Some((
                index,
                format!(
                    "expected a `WARC/` version line, found {:?}",
                    version.trim_end().chars().take(40).collect::<String>()
                ),
            ));
            return out;
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) => {
                    out.error = Some((index, "truncated record header".into()));
                    return out;
                }
                Ok(_) if line.trim().is_empty() => break,
                Ok(_) => match line.split_once(':') {
                    Some((k, v)) => headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string())),
                    None => {
                        out.error = Some((index, format!("bad header line {:?}", line.trim_end())));
                        return out;
                    }
                },
                Err(e) => {
                    out.error = Some((index, format!("cannot read: {e}")));
                    return out;
                }
            }
        }
        let get = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.as_str());
        let Some(length) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            out.error = Some((index, "record without a valid Content-Length".into()));
            return out;
        };
        if length > max_record {
            out.error = Some((
                index,
                format!("record of {length} bytes is over the limit of {max_record}"),
            ));
            return out;
        }
        let mut block = vec![0u8; length as usize];
        if let Err(e) = r.read_exact(&mut block) {
            out.error = Some((index, format!("truncated record: {e}")));
            return out;
        }
        let record_id = get("warc-record-id").unwrap_or("").trim_matches(['<', '>']).to_string();
        let record_id = if record_id.is_empty() {
            format!("record-{index}")
        } else {
            record_id
        };
        let is_response = get("warc-type") == Some("response")
            && get("content-type").is_some_and(|ct| ct.to_ascii_lowercase().contains("application/http"));
        if !is_response {
            out.skipped += 1;
            continue;
        }
        match http_response(&block) {
            Some((content_type, body)) if is_html(content_type.as_deref()) => out.documents.push(WarcDocument {
                record_id,
                url: get("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string()),
                content_type,
                body,
            }),
            _ => out.skipped += 1,
        }
    }
}

fn is_html(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("text/html") || ct.starts_with("application/xhtml+xml")
    })
}

/// The Content-Type and decoded body of an HTTP response message.
fn http_response(block: &[u8]) -> Option<(Option<String>, Vec<u8>)> {
    let split = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| block.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2)))?;
    let head = String::from_utf8_lossy(&block[..split.0]);
    let mut lines = head.lines();
    if !lines.next()?.starts_with("HTTP/") {
        return None;
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.clone());
    let mut body = block[split.1..].to_vec();
    if get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body)?;
    }
    if get("content-encoding").is_some_and(|e| e.to_ascii_lowercase().contains("gzip")) {
        let mut decoded = Vec::new();
        flate2::read::MultiGzDecoder::new(body.as_slice())
            .read_to_end(&mut decoded)
            .ok()?;
        body = decoded;
    }
    Some((get("content-type"), body))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn reads_html_responses_and_counts_the_rest() {
        let mut warc = record(
            "warcinfo",
            "urn:uuid:0",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        );
        warc.extend(record(
            "request",
            "urn:uuid:1",
            "https://a.test/",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        warc.extend(record(
            "response",
            "urn:uuid:2",
            "https://a.test/",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>hi\r\n5\r\n</p>!\r\n0\r\n\r\n",
        ));
        warc.extend(record(
            "response",
            "urn:uuid:3",
            "https://a.test/logo.png",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        let got = read_records(warc.as_slice(), 1 << 20);
        assert_eq!(got.documents.len(), 1);
        assert_eq!(got.documents[0].record_id, "urn:uuid:2");
        assert_eq!(got.documents[0].url.as_deref(), Some("https://a.test/"));
        assert_eq!(got.documents[0].body, b"<p>hi</p>!");
        assert_eq!(got.skipped, 3);
        assert!(got.error.is_none());

        let mut corrupt = record(
            "response",
            "urn:uuid:9",
            "https://a.test/x",
            "application/http",
            b"HTTP/1.1 200 OK\r\n\r\n",
        );
        corrupt.extend_from_slice(b"WARC/1.0\r\nContent-Length: 99999\r\n\r\nshort");
        let got = read_records(corrupt.as_slice(), 1 << 20);
        assert_eq!(got.error.as_ref().map(|e| e.0), Some(2));
        assert!(got.error.unwrap().1.starts_with("truncated record"));
    }
}
