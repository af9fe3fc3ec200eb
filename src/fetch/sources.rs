//! URLs from a sitemap (or sitemap index, one level deep) or an RSS/Atom feed.

use super::Shared;

#[derive(Clone, Copy)]
pub enum Kind {
    Sitemap,
    Feed,
}

async fn get_text(shared: &Shared, url: &str) -> Result<String, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("{url}: not a URL: {e}"))?;
    let host = shared
        .host(&format!(
            "{}:{}",
            parsed.host_str().unwrap_or(""),
            parsed.port_or_known_default().unwrap_or(0)
        ))
        .await;
    let response = shared
        .polite(&host, shared.client.get(parsed).send())
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: HTTP {}", response.status().as_u16()));
    }
    response.text().await.map_err(|e| format!("{url}: {e}"))
}

/// The text of every `<tag>…</tag>`, and the `href` of every `<tag href="…">` (Atom links).
fn tag_values(xml: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(end_of_open) = after.find('>') else { break };
        let attrs = &after[..end_of_open];
        if !attrs.is_empty() && !attrs.starts_with([' ', '\t', '\n', '\r', '/']) {
            rest = after; // a longer tag name, like <linkedin>
            continue;
        }
        if let Some(h) = attrs.find("href=") {
            let v = &attrs[h + 5..];
            let q = v.chars().next().unwrap_or('"');
            if let Some(end) = v[1..].find(q) {
                out.push(v[1..1 + end].to_string());
            }
        } else if !attrs.ends_with('/')
            && let Some(j) = after[end_of_open + 1..].find(&close)
        {
            let value = after[end_of_open + 1..end_of_open + 1 + j].trim();
            let value = value.trim_start_matches("<![CDATA[").trim_end_matches("]]>").trim();
            out.push(value.replace("&amp;", "&"));
        }
        rest = &after[end_of_open..];
    }
    out.into_iter()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .collect()
}

pub async fn urls_from(shared: &Shared, url: &str, kind: Kind) -> Result<Vec<String>, String> {
    let text = get_text(shared, url).await?;
    match kind {
        Kind::Feed => Ok(tag_values(&text, "link")),
        Kind::Sitemap => {
            if text.contains("<sitemapindex") {
                let mut urls = Vec::new();
                for child in tag_values(&text, "loc") {
                    let child_text = get_text(shared, &child).await?;
                    urls.extend(tag_values(&child_text, "loc"));
                }
                Ok(urls)
            } else {
                Ok(tag_values(&text, "loc"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_locs_and_links() {
        let sitemap = "<urlset><url><loc>https://a.test/1</loc></url><url><loc> https://a.test/2?x=1&amp;y=2 </loc></url></urlset>";
        assert_eq!(
            tag_values(sitemap, "loc"),
            vec!["https://a.test/1", "https://a.test/2?x=1&y=2"]
        );
        let rss = "<rss><channel><link>https://a.test/</link><item><link><![CDATA[https://a.test/p]]></link></item></channel></rss>";
        assert_eq!(tag_values(rss, "link"), vec!["https://a.test/", "https://a.test/p"]);
        let atom = "<feed><link rel=\"self\" href=\"https://a.test/feed\"/><entry><link href='https://a.test/e1'/></entry></feed>";
        assert_eq!(
            tag_values(atom, "link"),
            vec!["https://a.test/feed", "https://a.test/e1"]
        );
    }
}
