#!/usr/bin/env python3
"""Show, for records of the dev set, each labelled passage with what the
diff made of its words, and each span the diff calls released or withheld
that no label covers (with its line in context).  For tuning on the dev
set only: never run it on the eval set.

    bench/eval/inspect.py ARCHIVE RECORD... [-- DIFF OPTIONS]
"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from score import locate, overlaps, run_record, split_args  # noqa: E402


def main():
    args, extra = split_args(sys.argv[1:])
    archive, recs = args[0], args[1:]
    for rec in recs:
        path = next(p for p in (os.path.join(here, "labels", d, rec + ".json") for d in ("dev", "dev2", "dev3")) if os.path.exists(p))
        lab = json.load(open(path, encoding="utf-8"))
        a, b = lab["from"], lab["to"]
        t, d = run_record(archive, rec, a, b, extra)
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
            if overlaps((s, e), labelled[side]):
                continue
            ln, line = line_of(t[side], s)
            print(f"  FALSE {sp['op']:8s} {sp.get('evidence')}:{sp.get('confidence')} "
                  f"L{ln}: {t[side][s:e].decode('utf-8','replace')[:50]!r}  | {line[:90]}")


main()
