#!/usr/bin/env python3
"""Draw the labelled evaluation sets of the text engine at random, from the
records that `declass changes` calls changed on the real collection.

    bench/eval/draw.py ARCHIVE            writes bench/eval/sets.json

ARCHIVE is the whole real collection built by scripts/real-archive.sh from
the full third-party OCR (see README, "Accuracy").  For each of the three
release pairs below, the candidates are the records `changes FROM TO`
lists as "changed" whose two texts are each under 10 kB (so that a person
can read both side by side).  Records used while the engine was built (the
field report's worked examples and tests/unit/test_text_real.c) are left
out.  Two disjoint sets are drawn with fixed seeds:

- "eval": 12 records a pair (36).  Labelled blind, before the engine's
  output on them was looked at, and never tuned on: README's figures.
- "dev": 6 records a pair (18).  Labelled the same way; for tuning.
- "dev2": 8 records a pair (24), drawn after the first figures on "eval"
  were taken, to choose the confidence threshold on more than 18 records
  without touching "eval".
- "dev3": 8 records a pair (24), drawn in the fifth session because the
  engine tuned on dev and dev2 scored lower on "eval" than on them: more
  records to tune on, still without touching "eval".

When sets.json exists, its list of changed records and the sets already
drawn are kept, and only a set it lacks is drawn (in the order above, so
that a new set never takes a record of an older one).

The draw depends only on the archive's content and the seeds, so anyone
with the same collection gets the same sets.  The changes run is the one
of the declass build that drew it (0.1.0, commit 047ce6a); its list of
changed records is kept in sets.json beside the draw.
"""
import json, os, random, subprocess, sys

PAIRS = [("2018-04-26", "2022-12-15"), ("2022-12-15", "2023-08-24"),
         ("2023-08-24", "2025-03-18")]
EXCLUDE = {
    # field report (../shared/field-reports/real-collection-2026-12.md)
    "104-10004-10143", "104-10004-10156", "104-10012-10024", "104-10001-10034",
    "104-10002-10008", "104-10001-10008", "104-10003-10041", "104-10003-10119",
    "104-10004-10097", "104-10012-10070", "177-10002-10092",
    # tests/unit/test_text_real.c
    "104-10072-10001", "104-10180-10162", "104-10326-10040", "177-10002-10016",
}
MAX_BYTES = 10 * 1024
SEEDS = {"eval": 20261207, "dev": 424242, "dev2": 777, "dev3": 31337}
PER_PAIR = {"eval": 12, "dev": 6, "dev2": 8, "dev3": 8}

here = os.path.dirname(os.path.abspath(__file__))
declass = os.environ.get("DECLASS", os.path.join(here, "..", "..", "build", "declass"))


def run(*args):
    return subprocess.run([declass, "-C", sys.argv[1], *args], check=True,
                          capture_output=True).stdout


def text_len(record, release):
    return len(run("show", "--text", f"{record}@{release}"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = os.path.join(here, "sets.json")
    kept = json.load(open(path)) if os.path.exists(path) else {}
    changed = kept.get("changed", {})
    for a, b in PAIRS:
        if f"{a}..{b}" in changed:
            continue
        doc = json.loads(run("changes", "--json", a, b))
        changed[f"{a}..{b}"] = sorted(r["record"] for r in doc["records"]
                                      if r["status"] == "changed")
    sets = kept.get("sets", {})
    taken = set(EXCLUDE)
    for name in SEEDS:
        if name in sets:
            taken.update(e["record"] for e in sets[name])
            continue
        sets[name] = []
        rng = random.Random(SEEDS[name])
        for a, b in PAIRS:
            pool = [r for r in changed[f"{a}..{b}"] if r not in taken]
            rng.shuffle(pool)
            n = 0
            for r in pool:
                if n == PER_PAIR[name]:
                    break
                if text_len(r, a) >= MAX_BYTES or text_len(r, b) >= MAX_BYTES:
                    continue
                sets[name].append({"record": r, "from": a, "to": b})
                taken.add(r)
                n += 1
    out = {"seeds": SEEDS, "max_bytes": MAX_BYTES, "excluded": sorted(EXCLUDE),
           "sets": sets, "changed": changed}
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    for name in sets:
        print(f"{name}: {len(sets[name])} records")


main()
