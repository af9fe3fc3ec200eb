//! Capture bytes as they come off disk or out of a WARC file: gzip, BOM, sidecar charset,
//! `<meta>` prescan, detection. Nothing may panic; decoded text is never empty of meaning
//! by accident (replacements are counted), and a WARC stream is read or reported as corrupt.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// File names that steer kind detection and the gzip path.
const NAMES: &[&str] = &["page.html", "page.txt", "page.html.gz", "capture", "record.htm"];
/// Charsets a sidecar may declare, well-formed or not.
const CHARSETS: &[Option<&str>] = &[
    None,
    Some("utf-8"),
    Some("windows-1256"),
    Some("iso-8859-8"),
    Some("x-bogus"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let charset = CHARSETS[usize::from(selector / 8) % CHARSETS.len()];
    if let Ok(capture) = ghirbal::capture::decode_file_bytes(bytes, name, charset, None, 1 << 20) {
        // A valid UTF-8 input without BOM decodes to itself.
        if charset.is_none() && !bytes.starts_with(&[0x1F, 0x8B]) && !bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            if let Ok(s) = std::str::from_utf8(bytes) {
                if capture.decoded_encoding == "UTF-8" {
                    assert_eq!(capture.text, s);
                }
            }
        }
    }
    let contents = ghirbal::capture::warc::read_records(bytes, 1 << 20);
    for d in &contents.documents {
        assert!(d.body.len() <= 1 << 20);
    }
});
