#!/usr/bin/env python3
"""Throughput benchmark for the whole `ghirbal clean` run (read, gunzip, decode, parse, extract,
dedup, write).

usage: throughput.py GHIRBAL_BINARY CAPTURE_DIR [--runs N] [--jobs N] [--out-base DIR]

Runs the binary over CAPTURE_DIR (gzip HTML is measured as given, and again unzipped into a
temporary folder) and prints MB/s of uncompressed HTML per core, from the median and the best of
N runs (one worker thread by default), MB per CPU-second (user + system time of the process,
which a busy shared machine disturbs less than wall time), and the peak resident memory.

Each run writes to a fresh folder under --out-base (default: the system temporary folder),
removed after all runs; the file system type of that folder is printed. Creating files can cost
more than cleaning them: ext4 without a journal (the root file system of the machine this was
written on) scans past every inode deleted in the last minutes when it creates a file, which
`perf` showed as a quarter of a run soon after other runs' outputs were deleted. `--out-base
/dev/shm` measures the same run with its output in memory.
"""
import argparse, gzip, os, resource, shutil, statistics, subprocess, tempfile, time


def html_bytes(folder):
    total = 0
    for root, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            if f.endswith(".gz"):
                with gzip.open(p, "rb") as g:
                    total += len(g.read())
            elif not f.endswith(".json"):
                total += os.path.getsize(p)
    return total


def filesystem(path):
    """The file system type of the mount holding `path`, from /proc/mounts when there is one."""
    try:
        path = os.path.realpath(path)
        best = ("", "unknown")
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                fields = line.split()
                mount, kind = fields[1], fields[2]
                if (path == mount or path.startswith(mount.rstrip("/") + "/")) and len(mount) > len(best[0]):
                    best = (mount, kind)
        return best[1]
    except OSError:
        return "unknown"


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(binary, folder, jobs, runs, out_base):
    times = []
    cpu = []
    outs = []
    try:
        for _ in range(runs):
            out = tempfile.mkdtemp(dir=out_base, prefix="ghirbal-bench-")
            outs.append(out)
            start, start_cpu = time.perf_counter(), cpu_seconds()
            subprocess.run([binary, "clean", folder, "--out", out, "--jobs", str(jobs)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            cpu.append(cpu_seconds() - start_cpu)
    finally:
        for out in outs:
            shutil.rmtree(out, ignore_errors=True)
    return statistics.median(times), min(times), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("captures")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out-base", default=tempfile.gettempdir())
    args = ap.parse_args()
    size = html_bytes(args.captures)
    print(f"output under {args.out_base} ({filesystem(args.out_base)})")
    with tempfile.TemporaryDirectory() as plain:
        for root, _, files in os.walk(args.captures):
            for f in files:
                if f.endswith(".gz"):
                    with gzip.open(os.path.join(root, f), "rb") as g, open(os.path.join(plain, f[:-3]), "wb") as o:
                        o.write(g.read())
        for label, folder in [("gzip captures", args.captures), ("plain captures", plain)]:
            median, best, cpu = run(args.binary, folder, args.jobs, args.runs, args.out_base)
            per_core = lambda t: size / 1e6 / t / args.jobs
            print(f"{label}:\t{size / 1e6:.1f} MB of HTML in {median:.3f} s (median of {args.runs}, --jobs {args.jobs})"
                  f"\t{per_core(median):.1f} MB/s per core (best run {per_core(best):.1f});"
                  f"\t{size / 1e6 / cpu:.1f} MB per CPU-second (median {cpu:.3f} s user+system)")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak memory (largest single run):\t{peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
