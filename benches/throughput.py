#!/usr/bin/env python3
"""Throughput benchmark for the whole `ghirbal clean` run (decode, parse, extract, write).

usage: throughput.py GHIRBAL_BINARY CAPTURE_DIR [--runs N] [--jobs N]

Runs the binary over CAPTURE_DIR (gzip HTML is measured as given, and again unzipped into a
temporary folder), prints MB/s of uncompressed HTML per core (median of N runs, one worker
thread by default) and the peak resident memory of the process.
"""
import argparse, gzip, os, resource, shutil, statistics, subprocess, sys, tempfile, time


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


def run(binary, folder, jobs, runs):
    times = []
    for _ in range(runs):
        out = tempfile.mkdtemp()
        start = time.perf_counter()
        subprocess.run([binary, "clean", folder, "--out", out, "--jobs", str(jobs)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        shutil.rmtree(out)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("captures")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    size = html_bytes(args.captures)
    with tempfile.TemporaryDirectory() as plain:
        for root, _, files in os.walk(args.captures):
            for f in files:
                if f.endswith(".gz"):
                    with gzip.open(os.path.join(root, f), "rb") as g, open(os.path.join(plain, f[:-3]), "wb") as o:
                        o.write(g.read())
        for label, folder in [("gzip captures", args.captures), ("plain captures", plain)]:
            t = run(args.binary, folder, args.jobs, args.runs)
            mbs = size / 1e6 / t / args.jobs
            print(f"{label}:\t{size / 1e6:.1f} MB of HTML in {t:.3f} s (median of {args.runs}, --jobs {args.jobs})"
                  f"\t{mbs:.1f} MB/s per core")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak memory (largest single run):\t{peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
