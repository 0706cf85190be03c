#!/usr/bin/env python3
"""Lay out one drawn set for its labellers (GUIDE.md, "How work gets done").

    bench/eval/prepare.py ARCHIVE SET OUT

For each record of SET in sets.json, OUT/RECORD/ gets pair.json (record,
from, to), old.txt and new.txt (`declass show --text` of the two
releases) and old.numbered.txt, new.numbered.txt: the same texts with a
right-aligned line number and "| " before each line.  Labellers read
those, write their JSON beside them, and the labels are then committed
under labels/SET/.
"""
import json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
declass = os.environ.get("DECLASS", os.path.join(here, "..", "..", "build", "declass"))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    archive, name, out = sys.argv[1:]
    sets = json.load(open(os.path.join(here, "sets.json")))["sets"]
    for e in sets[name]:
        d = os.path.join(out, e["record"])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "pair.json"), "w") as f:
            json.dump(e, f, indent=1, sort_keys=True)
            f.write("\n")
        for side, rel in (("old", e["from"]), ("new", e["to"])):
            text = subprocess.run([declass, "-C", archive, "show", "--text",
                                   f"{e['record']}@{rel}"], check=True,
                                  capture_output=True).stdout
            with open(os.path.join(d, side + ".txt"), "wb") as f:
                f.write(text)
            lines = text.decode("utf-8").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            with open(os.path.join(d, side + ".numbered.txt"), "w", encoding="utf-8") as f:
                for i, line in enumerate(lines, 1):
                    f.write(f"{i:4d}| {line}\n")
    print(f"{name}: {len(sets[name])} records in {out}")


main()
