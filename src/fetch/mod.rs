//! `ghirbal fetch`: captures pages politely — robots.txt, per-host and global concurrency limits,
//! a per-host delay, Retry-After, retries with backoff for 5xx and network errors only, timeouts,
//! a body cap, a redirect limit — and writes each HTML page as a capture with its sidecar, so
//! that `ghirbal clean` matches site rules by URL and decodes by the real charset. A second run
//! skips what is already captured.

mod name;
mod robots;
mod sources;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{Mutex, Semaphore};

pub use name::capture_path;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub out: PathBuf,
    pub user_agent: String,
    /// Requests in flight at once, over all hosts.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Pause between the starts of two requests to one host.
    pub delay: Duration,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// Retries after the first attempt, for 5xx and network errors.
    pub retries: u32,
    pub max_body: u64,
    pub max_redirects: usize,
    /// Fetch again what is already captured.
    pub refresh: bool,
    pub respect_robots: bool,
    /// Longest Retry-After honoured; a longer one fails the URL instead of stalling the run.
    pub max_retry_after: Duration,
}

/// What happened to one URL: a line of `fetch-manifest.jsonl`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FetchRecord {
    pub url: String,
    /// `fetched`, `skipped` (already captured), `disallowed` (robots.txt), `not_html`, `failed`.
    pub status: &'static str,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    /// The capture, relative to the output folder.
    pub path: Option<String>,
    pub reason: Option<String>,
    pub attempts: u32,
}

impl FetchRecord {
    fn new(url: &str, status: &'static str) -> Self {
        FetchRecord {
            url: url.to_string(),
            status,
            http_status: None,
            final_url: None,
            path: None,
            reason: None,
            attempts: 0,
        }
    }
}

struct Shared {
    client: reqwest::Client,
    opts: FetchOptions,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
}

/// One host's politeness state: its request slots, when its next request may start, its robots.
struct HostState {
    slots: Semaphore,
    next_start: Mutex<Instant>,
    robots: tokio::sync::OnceCell<robots::Robots>,
}

impl Shared {
    async fn host(&self, host: &str) -> Arc<HostState> {
        let mut hosts = self.hosts.lock().await;
        hosts
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(HostState {
                    slots: Semaphore::new(self.opts.per_host.max(1)),
                    next_start: Mutex::new(Instant::now()),
                    robots: tokio::sync::OnceCell::new(),
                })
            })
            .clone()
    }

    /// Waits for a global and a per-host slot and for the host's delay; holds them while `f` runs.
    async fn polite<T>(&self, host: &HostState, f: impl std::future::Future<Output = T>) -> T {
        let _global = self.global.acquire().await;
        let _slot = host.slots.acquire().await;
        {
            let mut next = host.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep(*next - now).await;
            }
            *next = Instant::now() + self.opts.delay;
        }
        f.await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot start the HTTP client: {0}")]
    Client(String),
    #[error("cannot write to {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("{0}")]
    Source(String),
}

/// The URLs to fetch: given ones, a list file, and the pages a sitemap or feed names.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub urls: Vec<String>,
    pub list: Option<PathBuf>,
    pub sitemap: Option<String>,
    pub feed: Option<String>,
}

/// Fetches every URL of `sources` into `opts.out`; returns one record per URL, in input order.
pub fn run(sources: &Sources, opts: &FetchOptions) -> Result<Vec<FetchRecord>, FetchError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))?;
    runtime.block_on(run_async(sources, opts))
}

async fn run_async(sources: &Sources, opts: &FetchOptions) -> Result<Vec<FetchRecord>, FetchError> {
    std::fs::create_dir_all(&opts.out).map_err(|source| FetchError::Write {
        path: opts.out.display().to_string(),
        source,
    })?;
    let client = reqwest::Client::builder()
        .user_agent(opts.user_agent.clone())
        .connect_timeout(opts.connect_timeout)
        .timeout(opts.timeout)
        .redirect(reqwest::redirect::Policy::limited(opts.max_redirects))
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))?;
    let shared = Arc::new(Shared {
        client,
        opts: opts.clone(),
        global: Semaphore::new(opts.concurrency.max(1)),
        hosts: Mutex::new(HashMap::new()),
    });

    let mut urls = sources.urls.clone();
    if let Some(list) = &sources.list {
        let text = std::fs::read_to_string(list).map_err(|e| FetchError::Source(format!("{}: {e}", list.display())))?;
        urls.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    for (source, kind) in [
        (&sources.sitemap, sources::Kind::Sitemap),
        (&sources.feed, sources::Kind::Feed),
    ] {
        if let Some(url) = source {
            let found = sources::urls_from(&shared, url, kind)
                .await
                .map_err(FetchError::Source)?;
            urls.extend(found);
        }
    }
    let mut seen = std::collections::HashSet::new();
    urls.retain(|u| seen.insert(u.clone()));

    let mut tasks = Vec::new();
    for url in urls {
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move { fetch_one(&shared, &url).await }));
    }
    let mut records = Vec::new();
    for t in tasks {
        match t.await {
            Ok(r) => records.push(r),
            Err(e) => records.push(FetchRecord {
                reason: Some(format!("task failed: {e}")),
                ..FetchRecord::new("?", "failed")
            }),
        }
    }
    let mut bytes = Vec::new();
    for r in &records {
        serde_json::to_writer(&mut bytes, r).map_err(|e| FetchError::Source(e.to_string()))?;
        bytes.push(b'\n');
    }
    let manifest = opts.out.join("fetch-manifest.jsonl");
    crate::output::write_atomic(&manifest, &bytes).map_err(|source| FetchError::Write {
        path: manifest.display().to_string(),
        source,
    })?;
    Ok(records)
}

async fn fetch_one(shared: &Shared, url_text: &str) -> FetchRecord {
    let mut record = FetchRecord::new(url_text, "failed");
    let url = match url::Url::parse(url_text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
        Ok(u) => {
            record.reason = Some(format!(
                "unsupported URL scheme `{}`: only http and https are fetched",
                u.scheme()
            ));
            return record;
        }
        Err(e) => {
            record.reason = Some(format!("not a URL: {e}"));
            return record;
        }
    };
    let rel = capture_path(&url);
    let path = shared.opts.out.join(&rel);
    let sidecar = sidecar_path(&path);
    if !shared.opts.refresh && path.is_file() && sidecar.is_file() {
        record.status = "skipped";
        record.path = Some(rel);
        record.reason = Some("already captured (use --refresh to fetch again)".into());
        return record;
    }
    let host_key = format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    );
    let host = shared.host(&host_key).await;
    if shared.opts.respect_robots {
        let robots = host.robots.get_or_init(|| robots::fetch(shared, &host, &url)).await;
        if !robots.allowed(url.as_str()) {
            record.status = "disallowed";
            record.reason = Some("robots.txt disallows it".into());
            return record;
        }
    }

    let mut attempt = 0;
    loop {
        attempt += 1;
        record.attempts = attempt;
        let outcome = shared.polite(&host, get(shared, &url)).await;
        let retry_in = match outcome {
            Ok(page) => {
                record.http_status = Some(page.status);
                record.final_url = Some(page.final_url.clone());
                if page.status >= 500 && attempt <= shared.opts.retries {
                    Some(page.retry_after.unwrap_or_else(|| backoff(attempt)))
                } else if page.status >= 400 {
                    record.reason = Some(format!("HTTP {}", page.status));
                    return record;
                } else if !page.is_html() {
                    record.status = "not_html";
                    record.reason = Some(format!("content-type {}", page.content_type().unwrap_or("(none)")));
                    return record;
                } else {
                    if let Err(e) = save(&path, &sidecar, url_text, &page) {
                        record.reason = Some(format!("cannot write {}: {e}", path.display()));
                        return record;
                    }
                    record.status = "fetched";
                    record.path = Some(rel);
                    return record;
                }
            }
            Err(GetError::Retryable(why)) if attempt <= shared.opts.retries => {
                record.reason = Some(why);
                Some(backoff(attempt))
            }
            Err(GetError::Retryable(why) | GetError::Final(why)) => {
                record.reason = Some(why);
                return record;
            }
        };
        if let Some(wait) = retry_in {
            if wait > shared.opts.max_retry_after {
                record.reason = Some(format!("Retry-After of {} s is over the limit", wait.as_secs()));
                return record;
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// Exponential backoff: 0.5 s, 1 s, 2 s … capped at 30 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((500u64 << attempt.saturating_sub(1).min(6)).min(30_000))
}

struct Page {
    status: u16,
    final_url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    retry_after: Option<Duration>,
}

impl Page {
    fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.as_str())
    }

    fn is_html(&self) -> bool {
        self.content_type().is_none_or(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("text/html") || ct.starts_with("application/xhtml+xml")
        })
    }
}

enum GetError {
    Retryable(String),
    Final(String),
}

async fn get(shared: &Shared, url: &url::Url) -> Result<Page, GetError> {
    let response = shared.client.get(url.clone()).send().await.map_err(|e| {
        if e.is_redirect() {
            GetError::Final(format!("more than {} redirects", shared.opts.max_redirects))
        } else if e.is_timeout() {
            GetError::Retryable("timed out".into())
        } else {
            GetError::Retryable(format!("network error: {e}"))
        }
    })?;
    let status = response.status().as_u16();
    let final_url = response.url().to_string();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let retry_after = headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    if let Some(len) = response.content_length()
        && len > shared.opts.max_body
    {
        return Err(GetError::Final(format!(
            "body of {len} bytes is over the limit of {}",
            shared.opts.max_body
        )));
    }
    let mut body = Vec::new();
    let mut response = response;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() as u64 > shared.opts.max_body {
                    return Err(GetError::Final(format!(
                        "body over the limit of {} bytes",
                        shared.opts.max_body
                    )));
                }
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => return Err(GetError::Retryable("timed out reading the body".into())),
            Err(e) => return Err(GetError::Retryable(format!("network error reading the body: {e}"))),
        }
    }
    Ok(Page {
        status,
        final_url,
        headers,
        body,
        retry_after,
    })
}

fn sidecar_path(capture: &Path) -> PathBuf {
    let mut name = capture.as_os_str().to_os_string();
    name.push(crate::capture::SIDECAR_SUFFIX);
    PathBuf::from(name)
}

/// The sidecar first, then the page: a run killed between the two leaves no capture without its
/// sidecar, and the next run fetches the page again.
fn save(path: &Path, sidecar: &Path, url: &str, page: &Page) -> std::io::Result<()> {
    let headers: serde_json::Map<String, serde_json::Value> = page
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let meta = serde_json::json!({
        "url": url,
        "final_url": page.final_url,
        "status": page.status,
        "fetched_at": name::rfc3339_now(),
        "headers": headers,
    });
    let _ = std::fs::remove_file(path);
    crate::output::write_atomic(sidecar, format!("{meta:#}\n").as_bytes())?;
    crate::output::write_atomic(path, &page.body)
}
