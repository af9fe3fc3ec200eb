//! The HTML standard's `<meta>` charset prescan of the first 1024 bytes
//! ("prescan a byte stream to determine its encoding"); no crate implements it.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

const LIMIT: usize = 1024;

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// The encoding a `<meta charset>` or `<meta http-equiv=content-type content="…charset=…">`
/// declares within the first 1024 bytes, if any.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(LIMIT)];
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i += 4 + find(&b[i + 4..], b"-->").map_or(b.len(), |p| p + 3);
        } else if starts_with_ci(rest, b"<meta") && rest.get(5).is_some_and(|&c| is_space(c) || c == b'/') {
            let (found, next) = meta_tag(b, i + 5);
            if found.is_some() {
                return found;
            }
            i = next;
        } else if rest.len() >= 2
            && rest[0] == b'<'
            && (rest[1].is_ascii_alphabetic() || (rest[1] == b'/' && rest.get(2).is_some_and(u8::is_ascii_alphabetic)))
        {
            // Skip the tag name, then its attributes.
            let mut j = i + 1;
            while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                j += 1;
            }
            while let Some((_, _, next)) = attribute(b, j) {
                j = next;
            }
            i = j + 1;
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            i += find(rest, b">").map_or(b.len(), |p| p + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// Reads the attributes of one `<meta>`; returns the declared encoding and where scanning resumes.
fn meta_tag(b: &[u8], mut i: usize) -> (Option<&'static Encoding>, usize) {
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    let mut seen: Vec<Vec<u8>> = Vec::new();
    while let Some((name, value, next)) = attribute(b, i) {
        i = next;
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" if value.eq_ignore_ascii_case(b"content-type") => got_pragma = true,
            b"content" if charset.is_none() => {
                if let Some(enc) = charset_in_content(&value).and_then(Encoding::for_label) {
                    charset = Some(enc);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(trim_space(&value));
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    let ok = match need_pragma {
        None => false,
        Some(true) => got_pragma,
        Some(false) => true,
    };
    let found = charset.filter(|_| ok).map(|enc| {
        if enc == encoding_rs::UTF_16BE || enc == encoding_rs::UTF_16LE {
            UTF_8
        } else if enc == encoding_rs::X_USER_DEFINED {
            WINDOWS_1252
        } else {
            enc
        }
    });
    (found, i)
}

/// One attribute at `i`: (lower-case name, value, position after it), or None at `>` or the end.
fn attribute(b: &[u8], mut i: usize) -> Option<(Vec<u8>, Vec<u8>, usize)> {
    while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
        i += 1;
    }
    if i >= b.len() || b[i] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == b'=' && !name.is_empty() {
            break;
        }
        if is_space(c) || c == b'/' || c == b'>' {
            break;
        }
        name.push(c.to_ascii_lowercase());
        i += 1;
    }
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    if i >= b.len() || b[i] != b'=' {
        return Some((name, Vec::new(), i));
    }
    i += 1;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let mut value = Vec::new();
    if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
        let quote = b[i];
        i += 1;
        while i < b.len() && b[i] != quote {
            value.push(b[i].to_ascii_lowercase());
            i += 1;
        }
        i += 1;
    } else {
        while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
            value.push(b[i].to_ascii_lowercase());
            i += 1;
        }
    }
    Some((name, value, i.min(b.len())))
}

/// The standard's "extract a character encoding from a meta element" on a content value.
fn charset_in_content(value: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    loop {
        let pos = from + find(&value[from..], b"charset")?;
        let mut i = pos + 7;
        while i < value.len() && is_space(value[i]) {
            i += 1;
        }
        if value.get(i) != Some(&b'=') {
            from = pos + 7;
            continue;
        }
        i += 1;
        while i < value.len() && is_space(value[i]) {
            i += 1;
        }
        let rest = &value[i..];
        return match rest.first() {
            Some(&q @ (b'"' | b'\'')) => find(&rest[1..], &[q]).map(|end| &rest[1..1 + end]),
            Some(_) => Some(
                &rest[..rest
                    .iter()
                    .position(|&c| is_space(c) || c == b';')
                    .unwrap_or(rest.len())],
            ),
            None => None,
        };
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn trim_space(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&c| !is_space(c)).unwrap_or(v.len());
    let end = v.iter().rposition(|&c| !is_space(c)).map_or(start, |e| e + 1);
    &v[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(html: &str) -> Option<&'static str> {
        meta_charset(html.as_bytes()).map(|e| e.name())
    }

    #[test]
    fn finds_both_meta_forms() {
        assert_eq!(
            name("<html><head><meta charset=\"windows-1256\">"),
            Some("windows-1256")
        );
        assert_eq!(name("<META CHARSET=iso-8859-6>"), Some("ISO-8859-6"));
        assert_eq!(
            name("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1255\">"),
            Some("windows-1255")
        );
        assert_eq!(
            name("<meta content='text/html;charset=\"iso-8859-8\"' http-equiv='content-type'>"),
            Some("ISO-8859-8")
        );
    }

    #[test]
    fn ignores_what_the_standard_ignores() {
        assert_eq!(
            name("<meta content=\"text/html; charset=windows-1256\">"),
            None,
            "content without http-equiv"
        );
        assert_eq!(
            name("<!-- <meta charset=windows-1256> --><p>x"),
            None,
            "inside a comment"
        );
        assert_eq!(
            name("<div title='<meta charset=windows-1256>'>"),
            None,
            "inside an attribute value"
        );
        assert_eq!(name("<meta charset=utf-16le>"), Some("UTF-8"));
        let late = format!("{}<meta charset=windows-1256>", " ".repeat(1100));
        assert_eq!(name(&late), None, "past 1024 bytes");
    }
}
