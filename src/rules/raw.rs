//! Rule files as written: plain structs deserialized from TOML. Unknown keys are reported, all of
//! them, by the walk in `schema.rs` before these are read.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawRuleFile {
    pub id: Spanned<String>,
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default, rename = "match")]
    pub matching: Option<RawMatch>,
    /// Heuristic ids, shared set ids or shared rule ids (`set/rule`) switched off for this site.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub drop_line: Vec<RawDropLine>,
    #[serde(default)]
    pub drop_regex: Vec<RawDropRegex>,
    #[serde(default)]
    pub cut_after: Vec<RawMarkers>,
    #[serde(default)]
    pub cut_before: Vec<RawMarkers>,
    /// HTML: CSS selectors of the main content, tried in order.
    #[serde(default)]
    pub main_content: Vec<RawSelectors>,
    /// HTML: CSS selectors of elements removed before anything else.
    #[serde(default)]
    pub strip: Vec<RawSelectors>,
    /// Offline tests: fixtures and what their output must and must not hold.
    #[serde(default)]
    pub test: Vec<RawTest>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawTest {
    pub fixture: Spanned<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub must_contain: Vec<String>,
    #[serde(default)]
    pub must_not_contain: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawSelectors {
    pub id: Spanned<String>,
    pub reason: Spanned<String>,
    pub selectors: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawMatch {
    #[serde(default)]
    pub hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub url_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub fingerprints: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawDropLine {
    pub id: Spanned<String>,
    pub reason: Spanned<String>,
    #[serde(default)]
    pub starts_with: Vec<Spanned<String>>,
    #[serde(default)]
    pub contains: Vec<Spanned<String>>,
    #[serde(default)]
    pub equals: Vec<Spanned<String>>,
    #[serde(default)]
    pub max_words: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawDropRegex {
    pub id: Spanned<String>,
    pub reason: Spanned<String>,
    pub patterns: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawMarkers {
    pub id: Spanned<String>,
    pub reason: Spanned<String>,
    pub markers: Spanned<Vec<Spanned<String>>>,
}
