#!/usr/bin/env python3
"""Score `declass diff` against the hand labels of an evaluation set.

    bench/eval/score.py ARCHIVE [eval|dev] [--per-record] [-- DIFF OPTIONS]

ARCHIVE is the real collection built by scripts/real-archive.sh from the
full third-party OCR (README, "Accuracy").  For every labelled record of
the set (bench/eval/labels/SET/*.json) it runs `declass diff --json RECORD
FROM TO` and compares, word by word, what the diff calls released (in the
newer text) and withheld (in the older) with what the labeller marked.

A word is a whitespace-separated chunk holding a letter or a digit.  A
word is *labelled* if it overlaps a labelled passage, *called* if it
overlaps a span the diff classes released (withheld).  Words of passages
the labeller marked uncertain count neither way.  Precision = called and
labelled / called; recall = called and labelled / labelled.  Spans: a
labelled passage is *found* if half its words are called; a called span is
*right* if it overlaps a labelled passage.

--per-record prints each record's counts: use it on the dev set only (the
eval set is for the final figures, never for tuning).

--bootstrap N adds a 95 % interval to each released-word figure: the
2.5th and 97.5th percentiles over N resamplings of the set's records
(with replacement, fixed seed).  A few records hold most labelled words,
so the interval says how far another draw of the same size could land.
"""
import json, os, random, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
declass = os.environ.get("DECLASS", os.path.join(here, "..", "..", "build", "declass"))
WORD = re.compile(rb"\S+")


def words(text):
    return [(m.start(), m.end()) for m in WORD.finditer(text)
            if any(c.isalnum() for c in m.group().decode("utf-8", "replace"))]


def locate(text, line, passage):
    """Byte range of passage starting on 1-based line of text (bytes)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == 0x0A]
    lo = starts[line - 1]
    hi = starts[line] if line < len(starts) else len(text) + 1
    p = passage.encode("utf-8")
    at = text.find(p, lo)
    if not (0 <= at < hi):
        raise SystemExit(f"passage {passage!r} not on line {line}")
    return at, at + len(p)


def overlaps(w, ranges):
    return any(w[0] < e and s < w[1] for s, e in ranges)


def score_side(text, labelled, uncertain, called_spans):
    ws = words(text)
    lab = set(i for i, w in enumerate(ws) if overlaps(w, labelled))
    unc = set(i for i, w in enumerate(ws) if overlaps(w, uncertain)) - lab
    called = set(i for i, w in enumerate(ws) if overlaps(w, called_spans)) - unc
    tp = len(lab & called)
    found = 0
    for s, e in labelled:
        idx = [i for i, w in enumerate(ws) if w[0] < e and s < w[1]]
        if idx and sum(i in called for i in idx) * 2 >= len(idx):
            found += 1
    right = sum(1 for s, e in called_spans if any(s < le and ls < e for ls, le in labelled))
    wrong = sum(1 for s, e in called_spans
                if not any(s < le and ls < e for ls, le in labelled + uncertain))
    return {"tp": tp, "called": len(called), "labelled": len(lab), "found": found,
            "passages": len(labelled), "spans_right": right, "spans_wrong": wrong,
            "spans": len(called_spans)}


def split_args(argv):
    """The arguments before `--`, and the diff options after it."""
    if "--" in argv:
        return argv[:argv.index("--")], argv[argv.index("--") + 1:]
    return argv, []


def run_record(archive, rec, a, b, extra):
    """The texts of rec at releases a ("old") and b ("new"), as bytes, and
    `declass diff --json` between them."""
    texts = {side: subprocess.run([declass, "-C", archive, "show", "--text", f"{rec}@{rel}"],
                                  check=True, capture_output=True).stdout
             for side, rel in (("old", a), ("new", b))}
    d = json.loads(subprocess.run([declass, "-C", archive, "diff", "--json", *extra, rec, a, b],
                                  check=True, capture_output=True).stdout)
    return texts, d


def add(a, b):
    for k, v in b.items():
        a[k] = a.get(k, 0) + v


def pr(t):
    p = t["tp"] / t["called"] if t["called"] else float("nan")
    r = t["tp"] / t["labelled"] if t["labelled"] else float("nan")
    return p, r


def main():
    args, extra = split_args(sys.argv[1:])
    per = "--per-record" in args
    args = [a for a in args if a != "--per-record"]
    boot = 0
    if "--bootstrap" in args:
        at = args.index("--bootstrap")
        boot = int(args[at + 1])
        del args[at:at + 2]
    rows = []
    if not args:
        sys.exit(__doc__)
    archive = args[0]
    which = args[1] if len(args) > 1 else "eval"
    ldir = os.path.join(here, "labels", which)
    tot = {"released": {}, "withheld": {}}
    n = 0
    for name in sorted(os.listdir(ldir)):
        if not name.endswith(".json"):
            continue
        lab = json.load(open(os.path.join(ldir, name), encoding="utf-8"))
        rec, a, b = lab["record"], lab["from"], lab["to"]
        texts, d = run_record(archive, rec, a, b, extra)
        n += 1
        line = [rec]
        for op, side, key in (("released", "new", "new"), ("withheld", "old", "old")):
            t = texts[side]
            labelled = [locate(t, p["line"], p["text"]) for p in lab.get(op, [])]
            unc = [locate(t, p["line"], p["text"]) for p in lab.get("uncertain_" + op, [])]
            spans = [tuple(s[key]) for s in d["spans"] if s["op"] == op and s[key][1] > s[key][0]]
            r = score_side(t, labelled, unc, spans)
            add(tot[op], r)
            if op == "released":
                rows.append(r)
            line.append(f"{op} called {r['called']:4d} labelled {r['labelled']:4d} tp {r['tp']:4d}")
        if per:
            print("  ".join(line))
    print(f"{which}: {n} records, diff options {' '.join(extra) or '(defaults)'}")
    for op in ("released", "withheld"):
        t = tot[op]
        p, r = pr(t)
        print(f"  {op:8s} words: precision {p:.2f} ({t['tp']}/{t['called']}), "
              f"recall {r:.2f} ({t['tp']}/{t['labelled']}); passages found "
              f"{t['found']}/{t['passages']}; spans right {t['spans_right']}/{t['spans']}, "
              f"wrong {t['spans_wrong']}")
    if boot:
        rng = random.Random(20261208)
        ps, rs = [], []
        for _ in range(boot):
            t = {}
            for r in rng.choices(rows, k=len(rows)):
                add(t, r)
            p, r = pr(t)
            ps.append(p)
            rs.append(r)
        def ci(v):
            v = sorted(x for x in v if x == x)
            return v[int(0.025 * (len(v) - 1))], v[int(0.975 * (len(v) - 1))]
        print(f"  released words, 95 % interval over {boot} resamplings of the records: "
              f"precision {ci(ps)[0]:.2f} to {ci(ps)[1]:.2f}, recall {ci(rs)[0]:.2f} to {ci(rs)[1]:.2f}")


if __name__ == "__main__":
    main()
