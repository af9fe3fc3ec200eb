//! Progress while a batch runs: a live line with rate and ETA when standard error is a terminal,
//! a plain log line every `--progress-every` seconds (10) when it is not (a Docker log, a CI job).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn line(done: usize, total: usize, started: Instant) -> String {
    let secs = started.elapsed().as_secs_f64().max(0.001);
    let rate = done as f64 / secs;
    let eta = if rate > 0.0 {
        (total.saturating_sub(done)) as f64 / rate
    } else {
        f64::NAN
    };
    format!("cleaning: {done}/{total} files, {rate:.1} files/s, ETA {eta:.0} s")
}

/// Reports until `finished` is set; log lines `log_every` seconds apart off a terminal. Waits by
/// parking, so the thread that sets `finished` and unparks this one is not kept waiting.
pub fn report(done: &AtomicUsize, total: usize, finished: &AtomicBool, log_every: f64) {
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let every = if terminal {
        Duration::from_millis(200)
    } else {
        Duration::from_secs_f64(log_every.max(0.05))
    };
    let mut last = Instant::now();
    while !finished.load(Ordering::Relaxed) {
        std::thread::park_timeout(Duration::from_millis(50));
        if last.elapsed() < every {
            continue;
        }
        last = Instant::now();
        let l = line(done.load(Ordering::Relaxed), total, started);
        let mut err = std::io::stderr().lock();
        let _ = if terminal {
            write!(err, "\r{l}\x1b[K")
        } else {
            writeln!(err, "{l}")
        };
    }
    if terminal {
        let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_has_count_rate_and_eta() {
        let started = Instant::now() - Duration::from_secs(10);
        let l = line(50, 150, started);
        assert!(l.starts_with("cleaning: 50/150 files, 5.0 files/s, ETA 20 s"), "{l}");
    }
}
