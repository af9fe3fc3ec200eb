//! Bytes -> text, deciding the encoding as a browser would: BOM, then the transport charset, then
//! (HTML) a `<meta>` prescan, then statistical detection.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

/// How the encoding was decided, recorded per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    Header,
    Meta,
    Utf8Valid,
    Detected,
}

impl EncodingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Header => "header",
            EncodingSource::Meta => "meta",
            EncodingSource::Utf8Valid => "utf-8-valid",
            EncodingSource::Detected => "detected",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: EncodingSource,
    /// Byte sequences that were not valid in the chosen encoding (each became U+FFFD).
    pub replaced: usize,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("not a text or HTML capture: it starts like a {0} file")]
    KnownBinary(&'static str),
    #[error("not a text or HTML capture: binary data ({0} NUL or control bytes in the first 8 KiB)")]
    Binary(usize),
    #[error("undecodable: {replaced} of {chars} characters are invalid in {encoding}")]
    Garbled {
        replaced: usize,
        chars: usize,
        encoding: &'static str,
    },
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "PNG"),
    (b"PK\x03\x04", "ZIP"),
    (b"%PDF", "PDF"),
    (b"GIF8", "GIF"),
    (b"\xFF\xD8\xFF", "JPEG"),
    (b"RIFF", "RIFF (WebP/WAV)"),
    (b"\x7FELF", "ELF executable"),
    (b"7z\xBC\xAF", "7-Zip"),
    (b"BZh", "bzip2"),
    (b"\xFD7zXZ", "xz"),
    (b"\x28\xB5\x2F\xFD", "zstd"),
];

/// Rejects what is plainly not text, before any decoding.
fn check_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Err(DecodeError::KnownBinary(kind));
    }
    let head = &bytes[..bytes.len().min(8192)];
    // UTF-16 text is full of NULs; it is told by its BOM and handled by the decoder.
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Ok(());
    }
    let bad = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)))
        .count();
    if bad > 0 && (head.contains(&0) || bad * 100 > head.len()) {
        return Err(DecodeError::Binary(bad));
    }
    Ok(())
}

/// Decodes a capture. `header_charset` is the charset of the transport Content-Type (from a
/// sidecar or WARC record) when known; `is_html` enables the `<meta>` prescan.
pub fn decode(bytes: &[u8], header_charset: Option<&str>, is_html: bool) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Borrowed(bytes), header_charset, is_html)
}

/// [`decode`] of bytes that may be owned: UTF-8 without a BOM then becomes the text in place,
/// with no copy.
pub(crate) fn decode_cow(
    bytes: Cow<'_, [u8]>,
    header_charset: Option<&str>,
    is_html: bool,
) -> Result<Decoded, DecodeError> {
    check_binary(&bytes)?;
    let (encoding, source, start) = if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        (enc, EncodingSource::Bom, bom_len)
    } else if let Some(enc) = header_charset.and_then(|c| Encoding::for_label(c.trim().as_bytes())) {
        (enc, EncodingSource::Header, 0)
    } else if let Some(enc) = is_html.then(|| super::prescan::meta_charset(&bytes)).flatten() {
        (enc, EncodingSource::Meta, 0)
    } else if std::str::from_utf8(&bytes).is_ok() {
        (UTF_8, EncodingSource::Utf8Valid, 0)
    } else {
        (detect(&bytes), EncodingSource::Detected, 0)
    };
    // A page may declare UTF-16 in <meta> while being ASCII-compatible; browsers then use UTF-8.
    let encoding = if source == EncodingSource::Meta {
        encoding.output_encoding()
    } else {
        encoding
    };
    let (text, had_errors) = if encoding == UTF_8 && start == 0 {
        match String::from_utf8(bytes.into_owned()) {
            Ok(text) => (text, false),
            Err(e) => (UTF_8.decode_without_bom_handling(e.as_bytes()).0.into_owned(), true),
        }
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[start..]);
        (text.into_owned(), had_errors)
    };
    let replaced = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count()
    } else {
        0
    };
    // A few bad bytes are tolerated (replaced); a page that is mostly invalid is not text in this encoding.
    if replaced > 16 {
        let chars = text.chars().count();
        if replaced * 20 > chars {
            return Err(DecodeError::Garbled {
                replaced,
                chars,
                encoding: encoding.name(),
            });
        }
    }
    Ok(Decoded {
        text,
        encoding,
        source,
        replaced,
    })
}

/// Statistical detection on a prefix (chardetng is slow; 64 KiB is plenty for a verdict).
fn detect(bytes: &[u8]) -> &'static Encoding {
    let prefix = &bytes[..bytes.len().min(64 * 1024)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(prefix, prefix.len() == bytes.len());
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str =
        "هبط الرئيس الروسي فلاديمير بوتين في كوريا الشمالية في زيارة نادرة تشير إلى تعمق التقارب بين البلدين.";

    #[test]
    fn windows_1256_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC);
        let d = decode(&bytes, None, false).map_err(|e| e.to_string()).unwrap();
        assert_eq!(d.encoding.name(), "windows-1256");
        assert_eq!(d.source, EncodingSource::Detected);
        assert_eq!(d.text, ARABIC);
    }

    #[test]
    fn bom_and_header_win_in_that_order() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(ARABIC.as_bytes());
        let d = decode(&bytes, Some("windows-1256"), false)
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!((d.encoding.name(), d.source), ("UTF-8", EncodingSource::Bom));
        assert_eq!(d.text, ARABIC);
        let (cp, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC);
        let d = decode(&cp, Some("Windows-1256"), false)
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!((d.encoding.name(), d.source), ("windows-1256", EncodingSource::Header));
    }

    #[test]
    fn binary_is_refused_with_its_kind() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0", None, false).unwrap_err(),
            DecodeError::KnownBinary("PNG")
        );
        assert!(matches!(
            decode(b"abc\0\0\x01def", None, false),
            Err(DecodeError::Binary(_))
        ));
    }

    #[test]
    fn garbled_utf8_declared_is_an_error_but_a_few_bad_bytes_are_not() {
        let mut few = ARABIC.as_bytes().to_vec();
        few.extend_from_slice(b"\xFF\xFE\xFA");
        let d = decode(&few, Some("utf-8"), false).map_err(|e| e.to_string()).unwrap();
        assert_eq!(d.replaced, 3);
        let (cp, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC);
        assert!(matches!(
            decode(&cp, Some("utf-8"), false),
            Err(DecodeError::Garbled { .. })
        ));
    }
}
