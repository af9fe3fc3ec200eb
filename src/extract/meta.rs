//! Document metadata: title, author, date, language, canonical URL, site name.

use scraper::{ElementRef, Html, Selector};
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    /// The `lang` attribute as written; the language reported is decided from the text later.
    pub declared_lang: Option<String>,
    pub canonical_url: Option<String>,
    pub og_url: Option<String>,
    pub site_name: Option<String>,
    /// The article body a page states in its JSON-LD, when it does.
    #[serde(skip)]
    pub json_ld_body: Option<String>,
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(collapse).filter(|s| !s.is_empty())
}

/// Reads the `<head>` metadata, Open Graph / article tags and JSON-LD of a parsed page.
pub fn read(html: &Html) -> Metadata {
    let mut m = Metadata::default();
    let mut og_title = None;
    let mut meta_title = None;
    if let Some(sel) = selector("meta") {
        for el in html.select(&sel) {
            let e = el.value();
            let key = e
                .attr("property")
                .or_else(|| e.attr("name"))
                .or_else(|| e.attr("itemprop"));
            let (Some(key), Some(content)) = (key, e.attr("content")) else {
                continue;
            };
            let content = non_empty(Some(content));
            let key = key.to_ascii_lowercase();
            match key.as_str() {
                "og:title" | "twitter:title" => og_title = og_title.or(content),
                "title" | "headline" => meta_title = meta_title.or(content),
                "author" | "article:author" | "byl" | "dc.creator" | "sailthru.author" | "parsely-author"
                    if m.author.is_none() && !content.as_deref().is_some_and(|c| c.starts_with("http")) =>
                {
                    m.author = content.map(|c| c.trim_start_matches("By ").trim_start_matches("by ").to_string());
                }
                "article:published_time"
                | "datepublished"
                | "pubdate"
                | "publishdate"
                | "date"
                | "dc.date"
                | "dc.date.issued"
                | "sailthru.date"
                | "parsely-pub-date"
                | "og:published_time" => m.date = m.date.take().or(content),
                "og:url" => m.og_url = m.og_url.take().or(content),
                "og:site_name" | "application-name" => m.site_name = m.site_name.take().or(content),
                _ => {}
            }
        }
    }
    if let Some(sel) = selector("link[rel~=canonical]") {
        m.canonical_url = html.select(&sel).find_map(|l| non_empty(l.value().attr("href")));
    }
    if let Some(sel) = selector("html") {
        m.declared_lang = html.select(&sel).find_map(|h| non_empty(h.value().attr("lang")));
    }
    if let Some(sel) = selector("script[type=\"application/ld+json\"]") {
        for script in html.select(&sel) {
            let text: String = script.text().collect();
            let parsed = serde_json::from_str::<serde_json::Value>(&text)
                .or_else(|_| serde_json::from_str::<serde_json::Value>(&escape_raw_controls(&text)));
            if let Ok(value) = parsed {
                json_ld(&value, &mut m, &mut meta_title, 0);
            }
        }
    }
    let doc_title = selector("title")
        .and_then(|sel| html.select(&sel).next().map(text_of))
        .filter(|t| !t.is_empty());
    let h1 = selector("h1")
        .and_then(|sel| html.select(&sel).next().map(text_of))
        .filter(|t| !t.is_empty());
    m.title = og_title
        .or(meta_title)
        .or_else(|| doc_title.map(|t| strip_site_suffix(&t)))
        .or(h1);
    if m.date.is_none() {
        m.date = selector("time[datetime]")
            .and_then(|sel| html.select(&sel).find_map(|t| non_empty(t.value().attr("datetime"))));
    }
    m
}

/// JSON-LD in the wild often carries raw line breaks inside strings, which JSON forbids;
/// escape control characters that stand inside strings.
fn escape_raw_controls(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            } else if c.is_control() {
                out.push_str(match c {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => " ",
                });
                continue;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    out
}

fn text_of(el: ElementRef<'_>) -> String {
    collapse(&el.text().collect::<String>())
}

/// "Story title | Site" -> "Story title": the longest part of a title split on a separator.
fn strip_site_suffix(title: &str) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " « ", " » "] {
        if title.contains(sep)
            && let Some(best) = title.split(sep).max_by_key(|p| p.chars().count())
        {
            return best.trim().to_string();
        }
    }
    title.to_string()
}

/// Walks JSON-LD (objects, arrays, @graph) for the article's headline, author and date.
fn json_ld(v: &serde_json::Value, m: &mut Metadata, title: &mut Option<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| json_ld(i, m, title, depth + 1)),
        serde_json::Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                json_ld(g, m, title, depth + 1);
            }
            let is_article = o
                .get("@type")
                .map(|t| t.to_string().to_ascii_lowercase())
                .is_some_and(|t| t.contains("article") || t.contains("posting") || t.contains("report"));
            if !is_article {
                return;
            }
            if title.is_none() {
                *title = non_empty(o.get("headline").and_then(|h| h.as_str()));
            }
            if m.date.is_none() {
                m.date = non_empty(o.get("datePublished").and_then(|d| d.as_str()));
            }
            if m.author.is_none() {
                m.author = o.get("author").and_then(author_name);
            }
            if m.json_ld_body.is_none() {
                m.json_ld_body = o.get("articleBody").and_then(|b| b.as_str()).map(str::to_string);
            }
        }
        _ => {}
    }
}

fn author_name(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => non_empty(Some(s)),
        serde_json::Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(author_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        serde_json::Value::Object(o) => non_empty(o.get("name").and_then(|n| n.as_str())),
        _ => None,
    }
}

/// The document's language: from the text when it is long enough to tell, else the declared one.
/// Arabic sites often declare `lang="en"` on Arabic pages, so the text wins.
pub fn language(text: &str, declared: Option<&str>) -> Option<String> {
    let sample: String = text.chars().take(4000).collect();
    if let Some(info) = whatlang::detect(&sample)
        && sample.chars().filter(|c| c.is_alphabetic()).count() >= 40
        && (info.is_reliable() || info.confidence() > 0.5)
    {
        return Some(iso639_1(info.lang()).to_string());
    }
    declared.map(|d| d.split(['-', '_']).next().unwrap_or(d).to_ascii_lowercase())
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Ara => "ar",
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Rus => "ru",
        Tur => "tr",
        Pes => "fa",
        Urd => "ur",
        Heb => "he",
        Nld => "nl",
        Ukr => "uk",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Hin => "hi",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_head_metadata_and_json_ld() {
        let html = Html::parse_document(
            r#"<html lang="en"><head><title>قصة | الموقع</title>
            <meta property="og:site_name" content="الموقع">
            <link rel="canonical" href="https://a.test/x">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"العنوان","datePublished":"2024-06-19","author":{"name":"شروق صبري"}}</script>
            </head><body><h1>h</h1></body></html>"#,
        );
        let m = read(&html);
        assert_eq!(m.title.as_deref(), Some("العنوان"));
        assert_eq!(m.author.as_deref(), Some("شروق صبري"));
        assert_eq!(m.date.as_deref(), Some("2024-06-19"));
        assert_eq!(m.canonical_url.as_deref(), Some("https://a.test/x"));
        assert_eq!(m.site_name.as_deref(), Some("الموقع"));
        assert_eq!(m.declared_lang.as_deref(), Some("en"));
    }

    #[test]
    fn language_comes_from_the_text_over_a_wrong_attribute() {
        let arabic =
            "هبط الرئيس الروسي فلاديمير بوتين في كوريا الشمالية في زيارة نادرة تشير إلى تعمق التقارب بين البلدين";
        assert_eq!(language(arabic, Some("en")).as_deref(), Some("ar"));
        assert_eq!(language("ok", Some("en-US")).as_deref(), Some("en"));
    }
}
