#!/usr/bin/env python3
"""Check label files of the evaluation sets (bench/eval/labels/*/*.json):
every passage must be found, exactly, starting on the line it names, in
the text it belongs to (NEW for released, OLD for withheld).

    check_labels.py LABEL.json...           texts from TEXTS (below)

The texts are those `declass show --text RECORD@RELEASE` prints on the
real collection; TEXTS (default /work/label/*/RECORD/) holds them as
old.txt and new.txt.  Exit 1 if a passage is not found.
"""
import glob, json, os, sys

KINDS = {"released": "new", "uncertain_released": "new",
         "withheld": "old", "uncertain_withheld": "old"}


def find(text, line, passage):
    """Byte offset of `passage` starting on 1-based `line` of text, or -1."""
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    if line < 1 or line > len(starts):
        return -1
    lo = starts[line - 1]
    hi = starts[line] if line < len(starts) else len(text) + 1
    at = text.find(passage, lo)
    return at if 0 <= at < hi else -1


def texts_for(label):
    base = os.environ.get("TEXTS")
    dirs = [os.path.join(base, label["record"])] if base else \
        glob.glob(f"/work/label/*/{label['record']}")
    for d in dirs:
        if os.path.exists(os.path.join(d, "new.txt")):
            return {s: open(os.path.join(d, f"{s}.txt"), encoding="utf-8").read()
                    for s in ("old", "new")}
    sys.exit(f"no texts for {label['record']}")


def main():
    bad = 0
    for path in sys.argv[1:]:
        label = json.load(open(path, encoding="utf-8"))
        texts = texts_for(label)
        for kind, side in KINDS.items():
            for p in label.get(kind, []):
                if not p.get("text", "").strip():
                    print(f"{path}: {kind} line {p.get('line')}: empty text")
                    bad += 1
                elif find(texts[side], p["line"], p["text"]) < 0:
                    print(f"{path}: {kind} line {p['line']}: {p['text']!r} "
                          f"not found on that line of {side.upper()}")
                    bad += 1
        print(f"{path}: {'OK' if not bad else 'problems'}")
    sys.exit(1 if bad else 0)


main()
