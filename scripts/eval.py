#!/usr/bin/env python3
"""Quality gate: run `ghirbal clean --format jsonl` over the shared dev corpora and score the
extracted bodies with the benchmark's own metric (shared/tools/score.py: F1 over word 4-grams).

usage: eval.py GHIRBAL_BINARY SHARED_DIR [--floor CORPUS=F1 ...] [--show-worst N]
Exits 1 when a corpus scores below its floor.
"""
import argparse, json, os, subprocess, sys, tempfile


def predictions(binary, html_dir, out, extra=()):
    subprocess.run([binary, "clean", html_dir, "--out", out, "--format", "jsonl", "--no-dedup", *extra],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pred = {}
    with open(os.path.join(out, "documents.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            key = os.path.basename(d["path"]).split(".")[0]
            pred[key] = {"articleBody": d["text"]}
    return pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("shared")
    ap.add_argument("--floor", action="append", default=[])
    ap.add_argument("--show-worst", type=int, default=0)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.shared, "tools"))
    import score as scorer

    floors = dict(f.split("=") for f in args.floor)
    failed = False
    for corpus in ["scrapinghub-dev", "arabic-dev"]:
        base = os.path.join(args.shared, "corpus", corpus)
        truth = scorer.load(os.path.join(base, "ground-truth.json"))
        with tempfile.TemporaryDirectory() as out:
            pred = predictions(args.binary, os.path.join(base, "html"), out)
        f1, p, r = scorer.score(truth, pred)
        floor = float(floors.get(corpus, 0))
        verdict = "ok" if f1 >= floor else "BELOW FLOOR"
        print(f"{corpus}\tpages {len(truth)}\tF1 {f1:.3f}\tP {p:.3f}\tR {r:.3f}\tfloor {floor:.3f}\t{verdict}")
        failed |= f1 < floor
        if args.show_worst:
            rows = []
            for k in truth:
                tp, fp, fn = scorer.tp_fp_fn(truth[k].get("articleBody", ""), pred.get(k, {}).get("articleBody", ""))
                rows.append((tp, fp, fn, k))
            for tp, fp, fn, k in sorted(rows)[: args.show_worst]:
                print(f"  {k}\ttp {tp:.2f} fp {fp:.2f} fn {fn:.2f}")
    # For information: Arabic pages with the shared rules and heuristics only (no site files).
    base = os.path.join(args.shared, "corpus", "arabic-dev")
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as shared_only:
        rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules", "shared")
        for f in os.listdir(rules):
            with open(os.path.join(rules, f), encoding="utf-8") as src, open(os.path.join(shared_only, f), "w", encoding="utf-8") as dst:
                dst.write(src.read())
        pred = predictions(args.binary, os.path.join(base, "html"), out, ["--no-builtin-rules", "--rules", shared_only])
    f1, p, r = scorer.score(scorer.load(os.path.join(base, "ground-truth.json")), pred)
    print(f"arabic-dev (generic: no site files)\tF1 {f1:.3f}\tP {p:.3f}\tR {r:.3f}\t(information, no floor)")

    failed |= not encodings_ok(args.binary, os.path.join(args.shared, "corpus", "encodings"))
    sys.exit(1 if failed else 0)


def encodings_ok(binary, folder):
    """Each page must come out in its script: Arabic for 1256 / 8859-6, Hebrew for 1255 / 8859-8."""
    ok = True
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, "clean", folder, "--out", out, "--no-dedup"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name in sorted(os.listdir(folder)):
            stem = name.rsplit(".", 1)[0]
            hebrew = "1255" in name or "8859-8" in name
            lo, hi = (0x05D0, 0x05EA) if hebrew else (0x0621, 0x064A)
            try:
                text = open(os.path.join(out, stem + ".txt"), encoding="utf-8").read()
            except OSError:
                text = ""
            letters = [c for c in text if c.isalpha()]
            share = sum(lo <= ord(c) <= hi for c in letters) / len(letters) if letters else 0.0
            good = share >= 0.9
            ok &= good
            print(f"encodings/{name}\t{'Hebrew' if hebrew else 'Arabic'} letters {share:.0%}\t{'ok' if good else 'WRONG'}")
    return ok


if __name__ == "__main__":
    main()
