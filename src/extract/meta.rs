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

/// Metadata gathered from a page's parts in document order, whichever parser walks it; each
/// source keeps its first non-empty value and `finish` ranks the sources.
#[derive(Default)]
pub(crate) struct Collector {
    m: Metadata,
    og_title: Option<String>,
    meta_title: Option<String>,
    json_ld_title: Option<String>,
    json_ld_date: Option<String>,
    json_ld_author: Option<String>,
    doc_title: Option<Option<String>>,
    h1: Option<Option<String>>,
    time_date: Option<String>,
}

impl Collector {
    /// A `<meta>` tag: its `property`, `name` or `itemprop`, and its `content`.
    pub fn meta_tag(&mut self, key: &str, content: &str) {
        let m = &mut self.m;
        let content = non_empty(Some(content));
        match key.to_ascii_lowercase().as_str() {
            "og:title" | "twitter:title" => self.og_title = self.og_title.take().or(content),
            "title" | "headline" => self.meta_title = self.meta_title.take().or(content),
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

    /// The `href` of a `<link rel=canonical>`.
    pub fn canonical(&mut self, href: &str) {
        if self.m.canonical_url.is_none() {
            self.m.canonical_url = non_empty(Some(href));
        }
    }

    /// The `lang` of an `<html>` element.
    pub fn html_lang(&mut self, lang: &str) {
        if self.m.declared_lang.is_none() {
            self.m.declared_lang = non_empty(Some(lang));
        }
    }

    /// The text of a `<script type="application/ld+json">`.
    pub fn json_ld(&mut self, text: &str) {
        let parsed = serde_json::from_str::<serde_json::Value>(text)
            .or_else(|_| serde_json::from_str::<serde_json::Value>(&escape_raw_controls(text)));
        if let Ok(value) = parsed {
            let mut found = Metadata {
                date: self.json_ld_date.take(),
                author: self.json_ld_author.take(),
                json_ld_body: self.m.json_ld_body.take(),
                ..Metadata::default()
            };
            json_ld(&value, &mut found, &mut self.json_ld_title, 0);
            self.json_ld_date = found.date;
            self.json_ld_author = found.author;
            self.m.json_ld_body = found.json_ld_body;
        }
    }

    /// The text of a `<title>` element; only the first counts.
    pub fn doc_title(&mut self, text: &str) {
        self.doc_title
            .get_or_insert_with(|| Some(collapse(text)).filter(|t| !t.is_empty()));
    }

    /// Whether the first `<h1>` is still to come.
    pub fn wants_h1(&self) -> bool {
        self.h1.is_none()
    }

    /// The text of an `<h1>` element; only the first counts.
    pub fn h1(&mut self, text: &str) {
        self.h1
            .get_or_insert_with(|| Some(collapse(text)).filter(|t| !t.is_empty()));
    }

    /// The `datetime` of a `<time>` element.
    pub fn time(&mut self, datetime: &str) {
        if self.time_date.is_none() {
            self.time_date = non_empty(Some(datetime));
        }
    }

    pub fn finish(self) -> Metadata {
        let mut m = self.m;
        m.title = self
            .og_title
            .or(self.meta_title)
            .or(self.json_ld_title)
            .or_else(|| self.doc_title.flatten().map(|t| strip_site_suffix(&t)))
            .or(self.h1.flatten());
        m.date = m.date.or(self.json_ld_date).or(self.time_date);
        m.author = m.author.or(self.json_ld_author);
        m
    }
}

/// Reads the `<head>` metadata, Open Graph / article tags and JSON-LD of a parsed page.
pub fn read(html: &Html) -> Metadata {
    let mut c = Collector::default();
    for el in select(html, "meta") {
        let e = el.value();
        let key = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"));
        if let (Some(key), Some(content)) = (key, e.attr("content")) {
            c.meta_tag(key, content);
        }
    }
    for link in select(html, "link[rel~=canonical]") {
        if let Some(href) = link.value().attr("href") {
            c.canonical(href);
        }
    }
    for el in select(html, "html") {
        if let Some(lang) = el.value().attr("lang") {
            c.html_lang(lang);
        }
    }
    for script in select(html, "script[type=\"application/ld+json\"]") {
        c.json_ld(&script.text().collect::<String>());
    }
    if let Some(title) = select(html, "title").next() {
        c.doc_title(&title.text().collect::<String>());
    }
    if let Some(h1) = select(html, "h1").next() {
        c.h1(&h1.text().collect::<String>());
    }
    for time in select(html, "time[datetime]") {
        if let Some(datetime) = time.value().attr("datetime") {
            c.time(datetime);
        }
    }
    c.finish()
}

fn select<'h>(html: &'h Html, css: &str) -> impl Iterator<Item = ElementRef<'h>> + 'h {
    let selector = selector(css);
    let found: Vec<ElementRef<'h>> = selector.map(|s| html.select(&s).collect()).unwrap_or_default();
    found.into_iter()
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
