#!/usr/bin/env python3
"""Generate a synthetic release collection with the shape of NARA's JFK
releases, for benchmarks (not tests):

  bench/gen.py OUT --records 800 --releases 3 [--mean-kb 150] [--seed 1]

OUT/<release>/files/ holds one "PDF" per record (random, incompressible
bytes behind a %PDF header; log-normal sizes around --mean-kb) and its text
sidecar; OUT/<release>/manifest.csv is a NARA-2022-style manifest.  Record
ids come in NARA's shapes (agency-series-item for CIA 104, FBI 124, HSCA 180,
NARA 176..., plus some docid-NNNNNNNN).  Each later release re-releases a
fraction of the records with redaction markers replaced by words (and new
PDF bytes), and adds some new records.  --small makes 1-3 kB files for
scale runs of 100,000+ records.
"""
import argparse
import math
import os
import random

AGENCIES = [(104, "CIA", 0.55), (124, "FBI", 0.2), (180, "HSCA", 0.1),
            (176, "NARA", 0.03), (178, "WH", 0.03), (157, "SSCIA", 0.04), (198, "ARMY", 0.05)]
WORDS = ("the station reported that subject met with consul at embassy on october "
         "cable memorandum director officer source contact visa mexico city soviet "
         "cuban intercepted telephone call agent file traces headquarters review "
         "operation report request information dispatch meeting travel").split()
NAMES = "Kostikov Duran Oswald Fulton Helms Angleton Scott Phillips Goodpasture Win".split()
RELEASES = ["2017-10-26", "2018-04-26", "2021-12-15", "2022-12-15", "2023-06-27", "2025-03-18"]


def record_ids(n, rng):
    ids, seen = [], set()
    while len(ids) < n:
        if rng.random() < 0.04:
            rid = "docid-%08d" % rng.randrange(32000000, 32999999)
        else:
            r, acc = rng.random(), 0.0
            for prefix, _, share in AGENCIES:
                acc += share
                if r <= acc:
                    break
            rid = "%03d-%05d-%05d" % (prefix, rng.randrange(10000, 10500), rng.randrange(10000, 10999))
        if rid not in seen:
            seen.add(rid)
            ids.append(rid)
    return ids


def agency(rid):
    for prefix, name, _ in AGENCIES:
        if rid.startswith("%03d-" % prefix):
            return name
    return "CIA"


def text_for(rid, rng, nwords, redacted):
    """A typed memo: words, some names behind markers in earlier releases."""
    lines, line = [], []
    for i in range(nwords):
        w = rng.choice(WORDS)
        if i % 37 == 5:
            w = "[REDACTED]" if redacted else rng.choice(NAMES)
        line.append(w)
        if len(line) == 11:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "MEMORANDUM FOR THE RECORD %s\n\n%s\n" % (rid, "\n".join(lines))


def write_release(out, rel, recs, sizes, rng, args, redacted):
    d = os.path.join(out, rel, "files")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(out, rel, "manifest.csv"), "w") as m:
        m.write("File Name,Record Num,NARA Release Date,Formerly Withheld,Agency,Doc Date,"
                "Doc Type,Title,Num Pages\n")
        for rid in recs:
            size = sizes[rid]
            with open(os.path.join(d, rid + ".pdf"), "wb") as f:
                f.write(b"%PDF-1.4\n" + os.urandom(max(size - 9, 1)))
            rng_t = random.Random("%s-%d" % (rid, args.seed))
            with open(os.path.join(d, rid + ".txt"), "w") as f:
                f.write(text_for(rid, rng_t, max(50, size // (40 if args.small else 400)), redacted[rid]))
            mm, dd, yy = rel[5:7], rel[8:10], rel[:4]
            m.write("%s.pdf,%s,%s/%s/%s,%s,%s,01/01/1964,PAPER - TEXTUAL DOCUMENT,SYNTHETIC %s,%d\n"
                    % (rid, rid, mm, dd, yy, "Redact" if redacted[rid] else "Release",
                       agency(rid), rid, max(1, size // 60000)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=800)
    ap.add_argument("--releases", type=int, default=3)
    ap.add_argument("--mean-kb", type=float, default=115)
    ap.add_argument("--comeback", type=float, default=0.2, help="share of records re-released")
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ids = record_ids(args.records, rng)
    mu = math.log(args.mean_kb * 1024)
    sizes = {r: (rng.randrange(800, 3000) if args.small else
                 int(min(max(rng.lognormvariate(mu, 0.6), 4096), 20 << 20))) for r in ids}
    redacted = {r: True for r in ids}
    write_release(args.out, RELEASES[0], ids, sizes, rng, args, redacted)
    for rel in RELEASES[1:args.releases]:
        back = [r for r in ids if rng.random() < args.comeback]
        for r in back:
            redacted[r] = False
            sizes[r] += 1000
        new = record_ids(max(1, len(ids) // 20), rng)
        new = [r for r in new if r not in sizes]
        for r in new:
            sizes[r] = rng.randrange(800, 3000) if args.small else int(rng.lognormvariate(mu, 0.6))
            redacted[r] = True
        ids += new
        write_release(args.out, rel, sorted(back + new), sizes, rng, args, redacted)
    print(args.out)


if __name__ == "__main__":
    main()
