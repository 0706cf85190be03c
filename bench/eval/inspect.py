#!/usr/bin/env python3
"""Show, for records of the dev set, each labelled passage with what the
diff made of its words, and each span the diff calls released or withheld
that no label covers (with its line in context).  For tuning on the dev
set only: never run it on the eval set.

    bench/eval/inspect.py ARCHIVE RECORD... [-- DIFF OPTIONS]
"""
import json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
declass = os.environ.get("DECLASS", os.path.join(here, "..", "..", "build", "declass"))
sys.path.insert(0, here)
from score import locate  # noqa: E402


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    archive, recs = args[0], args[1:]
    for rec in recs:
        path = next(p for p in (os.path.join(here, "labels", d, rec + ".json") for d in ("dev", "dev2")) if os.path.exists(p))
        lab = json.load(open(path, encoding="utf-8"))
        a, b = lab["from"], lab["to"]
        t = {s: subprocess.run([declass, "-C", archive, "show", "--text", f"{rec}@{r}"],
                               check=True, capture_output=True).stdout
             for s, r in (("old", a), ("new", b))}
        d = json.loads(subprocess.run([declass, "-C", archive, "diff", "--json", *extra, rec,
                                       a, b], check=True, capture_output=True).stdout)
        print(f"=== {rec} {a}..{b}")

        def cls_at(side, s, e):
            out = []
            for sp in d["spans"]:
                r = sp[side]
                if r[0] < e and s < r[1] and r[1] > r[0]:
                    out.append(f"{sp['op']}" + (f"/{sp.get('evidence')}:{sp.get('confidence')}"
                                                if 'evidence' in sp else ""))
            return ",".join(out)

        def line_of(text, pos):
            ls = text.rfind(b"\n", 0, pos) + 1
            le = text.find(b"\n", pos)
            le = len(text) if le < 0 else le
            return text.count(b"\n", 0, pos) + 1, text[ls:le].decode("utf-8", "replace")

        labelled = {"new": [], "old": []}
        for op, side in (("released", "new"), ("uncertain_released", "new"),
                         ("withheld", "old"), ("uncertain_withheld", "old")):
            for p in lab.get(op, []):
                at, e = locate(t[side], p["line"], p["text"])
                labelled[side].append((at, e))
                print(f"  LABEL {op:18s} L{p['line']:<4d} {p['text'][:60]!r:64s} -> "
                      f"{cls_at(side, at, e) or '?'}")
        for sp in d["spans"]:
            if sp["op"] not in ("released", "withheld"):
                continue
            side = "new" if sp["op"] == "released" else "old"
            s, e = sp[side]
            if any(s < le and ls < e for ls, le in labelled[side]):
                continue
            ln, line = line_of(t[side], s)
            print(f"  FALSE {sp['op']:8s} {sp.get('evidence')}:{sp.get('confidence')} "
                  f"L{ln}: {t[side][s:e].decode('utf-8','replace')[:50]!r}  | {line[:90]}")


main()
