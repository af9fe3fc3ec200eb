//! The command line: parse arguments, call the library, map the outcome to an exit code.

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::authoring;
use crate::dedup::template::TemplateOptions;
use crate::output::Status;
use crate::pipeline::{self, CleanOptions, Format};
use crate::rules::RuleBook;

/// Exit codes of the contract.
pub const EXIT_OK: u8 = 0;
pub const EXIT_SOME_FAILED: u8 = 1;
pub const EXIT_FATAL: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "ghirbal",
    version,
    about = "Turns captured web pages into clean text (غربال: a sieve)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Clean captures (files or folders, walked recursively) into --out.
    Clean(CleanArgs),
    /// Combine the shard files of `clean --shard K/N` runs into one output, as one run would write it.
    Merge(MergeArgs),
    /// Work with rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Show a capture paragraph by paragraph: kept, or removed and by which rule or heuristic.
    Explain(ExplainArgs),
    /// Capture pages politely into a folder (each with its sidecar), optionally cleaning them.
    #[cfg(feature = "fetch")]
    Fetch(FetchArgs),
}

#[cfg(feature = "fetch")]
#[derive(Debug, clap::Args)]
struct FetchArgs {
    /// URLs to fetch.
    urls: Vec<String>,
    /// A file of URLs, one per line (`#` starts a comment).
    #[arg(long)]
    list: Option<PathBuf>,
    /// A sitemap (or sitemap index) whose pages to fetch.
    #[arg(long)]
    sitemap: Option<String>,
    /// An RSS or Atom feed whose items to fetch.
    #[arg(long)]
    feed: Option<String>,
    /// Capture folder: DIR/<host>/<name>.html with NAME.meta.json beside it, and fetch-manifest.jsonl.
    #[arg(long)]
    out: PathBuf,
    /// Then clean the captures into this folder (as `ghirbal clean DIR --out CLEAN`).
    #[arg(long, value_name = "CLEAN_DIR")]
    clean: Option<PathBuf>,
    /// The User-Agent sent, and matched against robots.txt.
    #[arg(long, default_value = concat!("ghirbal/", env!("CARGO_PKG_VERSION"), " (+https://example.invalid/ghirbal; text-corpus fetcher)"))]
    user_agent: String,
    /// Requests in flight at once, over all hosts.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Requests in flight at once to one host.
    #[arg(long, default_value_t = 2)]
    per_host: usize,
    /// Milliseconds between the starts of two requests to one host.
    #[arg(long, default_value_t = 1000)]
    delay_ms: u64,
    /// Seconds to connect.
    #[arg(long, default_value_t = 10)]
    connect_timeout: u64,
    /// Seconds for a whole request.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Retries for 5xx answers and network errors (never for 4xx).
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// Largest body kept, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_body: u64,
    /// Redirects followed at most.
    #[arg(long, default_value_t = 5)]
    max_redirects: usize,
    /// Longest Retry-After honoured, in seconds.
    #[arg(long, default_value_t = 120)]
    max_retry_after: u64,
    /// Fetch again what is already captured.
    #[arg(long)]
    refresh: bool,
    /// Do not read robots.txt (only for sites you own).
    #[arg(long)]
    ignore_robots: bool,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// One capture file.
    file: PathBuf,
    /// A folder of rule files layered over the built-in rules (repeatable; later wins).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Use only the rules given with --rules.
    #[arg(long)]
    no_builtin_rules: bool,
    /// Largest capture accepted, in bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    max_bytes: u64,
    /// Other captures of the same site: learn its template paragraphs from them (and FILE) and
    /// show which of FILE's paragraphs are template chrome, seen on how many pages.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct CleanArgs {
    /// Captures: files or folders.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// A folder of rule files layered over the built-in rules (repeatable; later wins).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Use only the rules given with --rules.
    #[arg(long)]
    no_builtin_rules: bool,
    /// Largest capture accepted, in bytes, before and after gunzip.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    max_bytes: u64,
    /// Clean only shard K of N (0-based; files chosen by a stable hash of their path) and write
    /// `--out/shard-K-of-N.jsonl` for `ghirbal merge`, which takes the corpus-wide decisions.
    #[arg(long, value_name = "K/N")]
    shard: Option<pipeline::Shard>,
    #[command(flatten)]
    decide: DecideArgs,
}

#[derive(Debug, clap::Args)]
struct MergeArgs {
    /// Shard files (shard-K-of-N.jsonl), or folders holding them; all N shards of one run.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    decide: DecideArgs,
}

/// What is decided over the whole batch, and how it is written (`clean` and `merge`).
#[derive(Debug, clap::Args)]
struct DecideArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "txt")]
    format: Format,
    /// Worker threads (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// No duplicate detection at all: every document is `clean` and written.
    #[arg(long)]
    no_dedup: bool,
    /// Estimated Jaccard similarity (MinHash over 5-word shingles) at or above which a later
    /// document is a `near_duplicate` of an earlier one.
    #[arg(long, default_value_t = pipeline::DEFAULT_NEAR_THRESHOLD, value_parser = fraction)]
    near_threshold: f64,
    /// No near-duplicate detection (exact duplicates are still found).
    #[arg(long)]
    no_near_dedup: bool,
    /// Write no output for near-duplicates (they are still in the manifest).
    #[arg(long)]
    drop_near_duplicates: bool,
    /// Site-template learning: a paragraph must be on at least this many pages of a site …
    #[arg(long, default_value_t = TemplateOptions::default().min_pages)]
    template_min_pages: usize,
    /// … and on at least this share of them to be removed as the site's template chrome.
    #[arg(long, default_value_t = TemplateOptions::default().min_share, value_parser = fraction)]
    template_min_share: f64,
    /// No site-template learning.
    #[arg(long)]
    no_template: bool,
    /// No progress reports while running (the summary is still printed).
    #[arg(long, short)]
    quiet: bool,
    /// Seconds between progress log lines when standard error is not a terminal (a Docker log).
    #[arg(long, default_value_t = 10.0, value_name = "SECS", value_parser = seconds)]
    progress_every: f64,
    /// Exit 0 when the batch ran even if some inputs failed (each is still an `error` entry in
    /// the manifest): for schedulers that would retry a task on exit code 1.
    #[arg(long)]
    input_errors_ok: bool,
}

impl DecideArgs {
    /// The exit code of a batch that ran, with `failed` inputs.
    fn exit_code(&self, failed: usize) -> u8 {
        if failed > 0 && !self.input_errors_ok {
            EXIT_SOME_FAILED
        } else {
            EXIT_OK
        }
    }

    fn options(&self, out: PathBuf, max_bytes: u64) -> CleanOptions {
        let jobs = self
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1);
        CleanOptions {
            progress: !self.quiet,
            progress_every: self.progress_every,
            out,
            format: self.format,
            jobs,
            dedup: !self.no_dedup,
            max_bytes,
            template: (!self.no_template).then_some(TemplateOptions {
                min_pages: self.template_min_pages.max(2),
                min_share: self.template_min_share,
            }),
            near_threshold: (!self.no_near_dedup).then_some(self.near_threshold),
            drop_near_duplicates: self.drop_near_duplicates,
        }
    }
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Load rule folders over the built-in rules and report every problem, each as PATH:LINE:COL.
    Check {
        /// Rule folders; none checks the built-in rules alone.
        dirs: Vec<PathBuf>,
        /// Check the folders without the built-in rules under them.
        #[arg(long)]
        no_builtin_rules: bool,
    },
    /// Run every rule set's [[test]] fixtures offline and report each failure with the rules involved.
    Test {
        /// Rule folders; none tests the built-in rules.
        dirs: Vec<PathBuf>,
        /// Test the folders without the built-in rules under them.
        #[arg(long)]
        no_builtin_rules: bool,
    },
    /// Propose a rule file for one site from a folder of its captures.
    Suggest {
        /// A folder of one site's captures.
        dir: PathBuf,
        /// The id of the proposed rule set (its file stem).
        #[arg(long)]
        site: String,
        /// Write the proposal here instead of to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Rule folders layered over the built-in rules (what they already remove is not proposed).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Print the rule-file reference (docs/rules.md is this output).
    Reference,
}

fn load_rules(dirs: &[PathBuf], with_builtin: bool) -> Result<RuleBook, u8> {
    RuleBook::load(dirs, with_builtin).map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        eprintln!("error: {} problem(s) in rule files; nothing was cleaned", errors.len());
        EXIT_FATAL
    })
}

/// Runs the command line and returns the exit code.
pub fn main() -> u8 {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_FATAL } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    if let Some(("clean", clean_matches)) = matches.subcommand() {
        warn_decisions_in_a_shard(clean_matches);
    }
    match cli.command {
        Command::Clean(args) => clean(args),
        Command::Merge(args) => merge(args),
        Command::Explain(args) => explain(args),
        #[cfg(feature = "fetch")]
        Command::Fetch(args) => fetch(args),
        Command::Rules(command) => rules(command),
    }
}

fn rules(command: RulesCommand) -> u8 {
    const MAX_BYTES: u64 = 64 * 1024 * 1024;
    match command {
        RulesCommand::Check { dirs, no_builtin_rules } => {
            match RuleBook::load(&dirs, dirs.is_empty() || !no_builtin_rules) {
                Ok(book) => {
                    println!("ok: {} rule set(s) load without problems", book.sets().count());
                    EXIT_OK
                }
                Err(errors) => {
                    for e in &errors {
                        println!("{e}");
                    }
                    eprintln!("{} problem(s)", errors.len());
                    EXIT_FATAL
                }
            }
        }
        RulesCommand::Test { dirs, no_builtin_rules } => {
            let book = match load_rules(&dirs, dirs.is_empty() || !no_builtin_rules) {
                Ok(book) => book,
                Err(code) => return code,
            };
            let report = authoring::run_rule_tests(&book, MAX_BYTES);
            for line in &report.lines {
                println!("{line}");
            }
            for f in &report.failures {
                println!("{}: [{}] {}", f.place, f.set, f.message);
            }
            println!("rules: {} passed, {} failed", report.passed, report.failures.len());
            if report.failures.is_empty() {
                EXIT_OK
            } else {
                EXIT_SOME_FAILED
            }
        }
        RulesCommand::Suggest { dir, site, out, rules } => {
            let book = match load_rules(&rules, true) {
                Ok(book) => book,
                Err(code) => return code,
            };
            match authoring::suggest::suggest(&dir, &site, &book, MAX_BYTES) {
                Ok(text) => match out {
                    Some(path) => match crate::output::write_atomic(&path, text.as_bytes()) {
                        Ok(()) => {
                            eprintln!("wrote {}", path.display());
                            EXIT_OK
                        }
                        Err(e) => {
                            eprintln!("error: cannot write {}: {e}", path.display());
                            EXIT_FATAL
                        }
                    },
                    None => {
                        print!("{text}");
                        EXIT_OK
                    }
                },
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_FATAL
                }
            }
        }
        RulesCommand::Reference => {
            print!("{}", crate::rules::schema::reference());
            EXIT_OK
        }
    }
}

fn clean(args: CleanArgs) -> u8 {
    let book = match load_rules(&args.rules, !args.no_builtin_rules) {
        Ok(book) => book,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let opts = args.decide.options(args.out, args.max_bytes);
    if let Some(shard) = args.shard {
        let report = match pipeline::run_shard(&args.inputs, &book, &opts, shard) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_FATAL;
            }
        };
        let failed = report_errors(&report);
        eprintln!(
            "shard {} of {}: {} document(s) cleaned, {} empty, {} error -> {}; duplicates and templates are decided by `ghirbal merge`",
            shard.index,
            shard.count,
            report.count(Status::Clean),
            report.count(Status::Empty),
            failed,
            opts.out.join(shard.file_name()).display()
        );
        print_summary(&report, started.elapsed());
        return args.decide.exit_code(failed);
    }
    let report = match pipeline::run_clean(&args.inputs, &book, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FATAL;
        }
    };
    let code = args.decide.exit_code(report_batch(&report, &opts, started));
    let stale = authoring::stale::stale_rules(&book, &report.entries);
    if !stale.is_empty() {
        eprintln!("stale rules (has a site changed?):");
        for s in &stale {
            eprintln!("  {}: {}", s.id, s.message);
        }
    }
    code
}

fn merge(args: MergeArgs) -> u8 {
    let started = std::time::Instant::now();
    // --max-bytes belongs to pass 1, which the shards ran; the merge reads no captures.
    let opts = args.decide.options(args.out, 0);
    match pipeline::run_merge(&args.shards, &opts) {
        Ok(report) => args.decide.exit_code(report_batch(&report, &opts, started)),
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_FATAL
        }
    }
}

/// A shard run takes no corpus-wide decision: options for them, given with `--shard`, would be
/// silently without effect.
fn warn_decisions_in_a_shard(matches: &clap::ArgMatches) {
    if matches.value_source("shard") != Some(clap::parser::ValueSource::CommandLine) {
        return;
    }
    const DECIDED_BY_MERGE: &[&str] = &[
        "format",
        "no_dedup",
        "near_threshold",
        "no_near_dedup",
        "drop_near_duplicates",
        "template_min_pages",
        "template_min_share",
        "no_template",
    ];
    for id in DECIDED_BY_MERGE {
        if matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
            eprintln!(
                "warning: --{} has no effect with --shard: give it to `ghirbal merge`, which takes the corpus-wide decisions",
                id.replace('_', "-")
            );
        }
    }
}

/// Prints every failed document; returns how many there were.
fn report_errors(report: &pipeline::BatchReport) -> usize {
    for e in report.entries.iter().filter(|e| e.status == Status::Error) {
        eprintln!("error: {}: {}", e.path, e.error.as_deref().unwrap_or("failed"));
    }
    report.count(Status::Error)
}

/// The end of a whole batch (`clean` or `merge`): failures, counts, summary. Returns how many
/// inputs failed.
fn report_batch(report: &pipeline::BatchReport, opts: &CleanOptions, started: std::time::Instant) -> usize {
    let failed = report_errors(report);
    eprintln!(
        "{} document(s): {} clean, {} duplicate, {} near-duplicate, {} empty, {} error -> {}",
        report.entries.len(),
        report.count(Status::Clean),
        report.count(Status::Duplicate),
        report.count(Status::NearDuplicate),
        report.count(Status::Empty),
        failed,
        opts.out.join("manifest.jsonl").display()
    );
    if report.warc_records_skipped > 0 {
        eprintln!(
            "WARC: {} record(s) skipped (not HTML responses)",
            report.warc_records_skipped
        );
    }
    print_summary(report, started.elapsed());
    failed
}

fn explain(args: ExplainArgs) -> u8 {
    let book = match load_rules(&args.rules, !args.no_builtin_rules) {
        Ok(book) => book,
        Err(code) => return code,
    };
    let rel = args.file.display().to_string();
    let file = crate::capture::InputFile {
        abs: args.file.clone(),
        rel: rel.clone(),
    };
    let capture = match crate::capture::read_capture(&file, args.max_bytes) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {rel}: {e}");
            return EXIT_SOME_FAILED;
        }
    };
    let result = match pipeline::clean_capture(&capture, &book) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {rel}: {e}");
            return EXIT_SOME_FAILED;
        }
    };
    println!("file:     {rel}");
    println!("kind:     {}", capture.kind.as_str());
    println!(
        "encoding: {} ({})",
        capture.decoded_encoding,
        capture.encoding_source.as_str()
    );
    println!("url:      {}", result.url.as_deref().unwrap_or("-"));
    println!(
        "site:     {}",
        result
            .site
            .as_deref()
            .unwrap_or("- (no site rule: shared rules and heuristics only)")
    );
    if let Some(title) = &result.meta.title {
        println!("title:    {title}");
    }
    let templates = args.context.as_ref().map(|dir| {
        let mut counter = crate::dedup::template::TemplateCounter::default();
        let (files, _) = crate::capture::discover(std::slice::from_ref(dir));
        let mut pages = vec![kept_keys(&result)];
        for f in files.iter().filter(|f| f.abs != args.file) {
            if let Ok(c) = crate::capture::read_capture(f, args.max_bytes)
                && let Ok(r) = pipeline::clean_capture(&c, &book)
            {
                pages.push(kept_keys(&r));
            }
        }
        for keys in &pages {
            counter.add_page("context", keys);
        }
        (
            counter.learn(crate::dedup::template::TemplateOptions::default()),
            pages.len(),
        )
    });
    let mut template_hits = 0;
    println!();
    for v in &result.cleaned.paragraphs {
        let template = match (&v.removed_by, &templates) {
            (None, Some((t, _))) => crate::dedup::paragraph_key(&v.text).and_then(|k| t.seen_on("context", k)),
            _ => None,
        };
        match (&v.removed_by, template) {
            (None, Some((seen, pages))) => {
                template_hits += 1;
                println!("- drop  [template-chrome: on {seen} of {pages} pages] {}", v.text);
            }
            (None, None) => println!("  keep  {}", v.text),
            (Some(id), _) => println!("- drop  [{id}] {}", v.text),
        }
    }
    let kept = result
        .cleaned
        .paragraphs
        .iter()
        .filter(|v| v.removed_by.is_none())
        .count();
    println!();
    let kept = kept - template_hits;
    println!("{kept} kept, {} removed", result.cleaned.paragraphs.len() - kept);
    if let Some((_, pages)) = &templates {
        println!("  {template_hits:>5}  template-chrome (learned from {pages} page(s) with --context)");
    }
    for (id, n) in &result.cleaned.removed {
        println!("  {n:>5}  {id}");
    }
    EXIT_OK
}

fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if v.is_finite() && (0.05..=86_400.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("`{s}` is not between 0.05 and 86400 seconds"))
    }
}

fn fraction(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("`{s}` is not between 0 and 1"))
    }
}

/// The keys of the paragraphs a cleaning kept, for template learning.
fn kept_keys(r: &pipeline::CleanedCapture) -> Vec<u64> {
    r.cleaned
        .paragraphs
        .iter()
        .filter(|v| v.removed_by.is_none())
        .filter_map(|v| crate::dedup::paragraph_key(&v.text))
        .collect()
}

#[cfg(feature = "fetch")]
fn fetch(args: FetchArgs) -> u8 {
    use std::time::Duration;
    let sources = crate::fetch::Sources {
        urls: args.urls,
        list: args.list,
        sitemap: args.sitemap,
        feed: args.feed,
    };
    if sources.urls.is_empty() && sources.list.is_none() && sources.sitemap.is_none() && sources.feed.is_none() {
        eprintln!("error: nothing to fetch: give URLs, --list, --sitemap or --feed");
        return EXIT_FATAL;
    }
    let opts = crate::fetch::FetchOptions {
        out: args.out.clone(),
        user_agent: args.user_agent,
        concurrency: args.concurrency,
        per_host: args.per_host,
        delay: Duration::from_millis(args.delay_ms),
        connect_timeout: Duration::from_secs(args.connect_timeout),
        timeout: Duration::from_secs(args.timeout),
        retries: args.retries,
        max_body: args.max_body,
        max_redirects: args.max_redirects,
        refresh: args.refresh,
        respect_robots: !args.ignore_robots,
        max_retry_after: Duration::from_secs(args.max_retry_after),
    };
    let records = match crate::fetch::run(&sources, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FATAL;
        }
    };
    let count = |s: &str| records.iter().filter(|r| r.status == s).count();
    for r in records.iter().filter(|r| r.status == "failed") {
        eprintln!("failed: {}: {}", r.url, r.reason.as_deref().unwrap_or("?"));
    }
    eprintln!(
        "{} URL(s): {} fetched, {} already captured, {} disallowed by robots.txt, {} not HTML, {} failed -> {}",
        records.len(),
        count("fetched"),
        count("skipped"),
        count("disallowed"),
        count("not_html"),
        count("failed"),
        args.out.join("fetch-manifest.jsonl").display()
    );
    let fetch_code = if count("failed") > 0 { EXIT_SOME_FAILED } else { EXIT_OK };
    match args.clean {
        None => fetch_code,
        Some(clean_out) => {
            let book = match load_rules(&[], true) {
                Ok(book) => book,
                Err(code) => return code,
            };
            let mut opts = CleanOptions::new(clean_out.clone());
            opts.jobs = std::thread::available_parallelism().map_or(1, usize::from);
            match pipeline::run_clean(&[args.out], &book, &opts) {
                Ok(report) => {
                    eprintln!(
                        "cleaned {} document(s) ({} clean) -> {}",
                        report.entries.len(),
                        report.count(Status::Clean),
                        clean_out.join("manifest.jsonl").display()
                    );
                    if report.count(Status::Error) > 0 {
                        EXIT_SOME_FAILED
                    } else {
                        fetch_code
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_FATAL
                }
            }
        }
    }
}

/// The end-of-run table: bytes, throughput and the rules that removed the most.
fn print_summary(report: &pipeline::BatchReport, elapsed: std::time::Duration) {
    let bytes_in: u64 = report.entries.iter().map(|e| e.bytes_in).sum();
    let chars_out: usize = report.entries.iter().map(|e| e.chars_out).sum();
    let secs = elapsed.as_secs_f64().max(0.001);
    eprintln!(
        "read {:.1} MB from disk, wrote {} characters, {:.1} s, {:.1} MB/s read",
        bytes_in as f64 / 1e6,
        chars_out,
        secs,
        bytes_in as f64 / 1e6 / secs
    );
    let mut hits: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for e in &report.entries {
        for (id, n) in &e.removed {
            *hits.entry(id.as_str()).or_insert(0) += n;
        }
    }
    let mut top: Vec<(&str, usize)> = hits.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if !top.is_empty() {
        eprintln!("top rules by paragraphs removed:");
        for (id, n) in top.iter().take(10) {
            eprintln!("  {n:>8}  {id}");
        }
    }
}
