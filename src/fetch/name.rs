//! Where a fetched page is kept: `<host>/<path-derived name>.html`, and the time stamp format.

use xxhash_rust::xxh3::xxh3_64;

/// `https://news.test/a/b?id=3` -> `news.test/a_b_id-3-1f2e3d4c.html`: readable, and made unique
/// by a short hash of the whole URL (two URLs that read alike never share a file).
pub fn capture_path(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("unknown-host").to_ascii_lowercase();
    let host = match url.port() {
        Some(p) => format!("{host}_{p}"),
        None => host,
    };
    let mut stem: String = url
        .path()
        .trim_matches('/')
        .chars()
        .chain(url.query().map(|q| format!("_{q}")).unwrap_or_default().chars())
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    stem = stem.trim_matches(['_', '.']).to_string();
    for ext in [".html", ".htm", ".php", ".aspx", ".asp", ".jsp"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s.to_string();
        }
    }
    if stem.is_empty() {
        stem = "index".into();
    }
    let stem: String = stem.chars().take(100).collect();
    let hash = xxh3_64(url.as_str().as_bytes()) as u32;
    format!("{host}/{stem}-{hash:08x}.html")
}

/// The current UTC time as RFC 3339 (`2026-11-23T10:00:00Z`).
pub fn rfc3339_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_readable_and_distinct() {
        let a = url::Url::parse("https://News.test/world/2024/story.html?id=3").unwrap();
        let b = url::Url::parse("https://news.test/world/2024/story.html?id=4").unwrap();
        let pa = capture_path(&a);
        assert!(
            pa.starts_with("news.test/world_2024_story.html_id_3-") || pa.starts_with("news.test/world_2024_story"),
            "{pa}"
        );
        assert!(pa.ends_with(".html"));
        assert_ne!(pa, capture_path(&b));
        assert!(capture_path(&url::Url::parse("http://127.0.0.1:8080/").unwrap()).starts_with("127.0.0.1_8080/index-"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_428_000), "2026-11-23T10:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
