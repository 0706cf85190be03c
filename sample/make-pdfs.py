#!/usr/bin/env python3
"""Generate the sample's PDF files from their text sidecars.

    python3 sample/make-pdfs.py            write sample/*/files/NAME.pdf from NAME.txt
    python3 sample/make-pdfs.py --check    exit 1 if a committed PDF differs from
                                           what this script makes (nothing written)

Two kinds of source, same rules for both:

  * sample/D/files/NAME.txt, a text sidecar: declass reads it as the text of
    the PDF beside it;
  * sample/D/text/NAME.txt, the source of sample/D/files/NAME.pdf in a release
    shipped as PDFs only (2023-06-27): the text stays out of files/, so it is
    no sidecar and declass must extract the text from the PDF's text layer.

A NAME that has both a files/NAME.txt and a text/NAME.txt is an error.

Python 3 standard library only. The output is deterministic: no timestamps
(CreationDate is the release date taken from the folder name), no random file
ID, objects and fonts always written in the same order, so running the script
again gives byte-identical files.

What a PDF looks like (PDF 1.4, US Letter, uncompressed content streams so the
text can be read with any tool):

  * each line of NAME.txt is drawn in Helvetica 10 pt, 13 pt leading, 50 lines
    a page; a line "PAGE <n> WITHHELD IN FULL" starts a new page, the way NARA
    puts a withheld-page placeholder sheet in a released file;
  * Helvetica is one of the 14 standard PDF fonts, so no font is embedded: codes
    follow WinAnsiEncoding, characters outside it (the Cyrillic of the sample)
    get free codes through a /Differences array naming Adobe glyph names, and a
    /ToUnicode map makes text extraction (pdftotext, copy and paste) give back
    the UTF-8 of the sidecar;
  * the full block U+2588 "█" used as a redaction marker is drawn as a black
    rectangle, a one-glyph Type 3 font, so the blacked-out run is a real black
    box on the page and still extracts as "█"; other markers ([REDACTED],
    XXXXXX, (b)(1), ...) are ordinary text.

A character with no Helvetica glyph in the table below, a tab, a CR, a form
feed, a missing final newline or a line too wide for the page is an error
naming the file and line: fix the text, not the script.
"""

import os
import re
import sys

# Helvetica advance widths (1/1000 em) and glyph names, for the characters the
# sample may use: ASCII, the Latin-1 letters, common punctuation of
# WinAnsiEncoding, basic Cyrillic. Metrics as in the standard Helvetica AFM
# (the metric-compatible URW Nimbus Sans AFM was used to fill the table).
GLYPHS = {
    0x0020: ('space', 278), 0x0021: ('exclam', 278), 0x0022: ('quotedbl', 355),
    0x0023: ('numbersign', 556), 0x0024: ('dollar', 556), 0x0025: ('percent', 889),
    0x0026: ('ampersand', 667), 0x0027: ('quotesingle', 191), 0x0028: ('parenleft', 333),
    0x0029: ('parenright', 333), 0x002A: ('asterisk', 389), 0x002B: ('plus', 584),
    0x002C: ('comma', 278), 0x002D: ('hyphen', 333), 0x002E: ('period', 278),
    0x002F: ('slash', 278), 0x0030: ('zero', 556), 0x0031: ('one', 556),
    0x0032: ('two', 556), 0x0033: ('three', 556), 0x0034: ('four', 556),
    0x0035: ('five', 556), 0x0036: ('six', 556), 0x0037: ('seven', 556),
    0x0038: ('eight', 556), 0x0039: ('nine', 556), 0x003A: ('colon', 278),
    0x003B: ('semicolon', 278), 0x003C: ('less', 584), 0x003D: ('equal', 584),
    0x003E: ('greater', 584), 0x003F: ('question', 556), 0x0040: ('at', 1015),
    0x0041: ('A', 667), 0x0042: ('B', 667), 0x0043: ('C', 722),
    0x0044: ('D', 722), 0x0045: ('E', 667), 0x0046: ('F', 611),
    0x0047: ('G', 778), 0x0048: ('H', 722), 0x0049: ('I', 278),
    0x004A: ('J', 500), 0x004B: ('K', 667), 0x004C: ('L', 556),
    0x004D: ('M', 833), 0x004E: ('N', 722), 0x004F: ('O', 778),
    0x0050: ('P', 667), 0x0051: ('Q', 778), 0x0052: ('R', 722),
    0x0053: ('S', 667), 0x0054: ('T', 611), 0x0055: ('U', 722),
    0x0056: ('V', 667), 0x0057: ('W', 944), 0x0058: ('X', 667),
    0x0059: ('Y', 667), 0x005A: ('Z', 611), 0x005B: ('bracketleft', 278),
    0x005C: ('backslash', 278), 0x005D: ('bracketright', 278), 0x005E: ('asciicircum', 469),
    0x005F: ('underscore', 556), 0x0060: ('grave', 333), 0x0061: ('a', 556),
    0x0062: ('b', 556), 0x0063: ('c', 500), 0x0064: ('d', 556),
    0x0065: ('e', 556), 0x0066: ('f', 278), 0x0067: ('g', 556),
    0x0068: ('h', 556), 0x0069: ('i', 222), 0x006A: ('j', 222),
    0x006B: ('k', 500), 0x006C: ('l', 222), 0x006D: ('m', 833),
    0x006E: ('n', 556), 0x006F: ('o', 556), 0x0070: ('p', 556),
    0x0071: ('q', 556), 0x0072: ('r', 333), 0x0073: ('s', 500),
    0x0074: ('t', 278), 0x0075: ('u', 556), 0x0076: ('v', 500),
    0x0077: ('w', 722), 0x0078: ('x', 500), 0x0079: ('y', 500),
    0x007A: ('z', 500), 0x007B: ('braceleft', 334), 0x007C: ('bar', 260),
    0x007D: ('braceright', 334), 0x007E: ('asciitilde', 584), 0x00A0: ('space', 278),
    0x00A7: ('section', 556), 0x00AB: ('guillemotleft', 556), 0x00B0: ('degree', 400),
    0x00B7: ('periodcentered', 278), 0x00BB: ('guillemotright', 556), 0x00C0: ('Agrave', 667),
    0x00C1: ('Aacute', 667), 0x00C2: ('Acircumflex', 667), 0x00C3: ('Atilde', 667),
    0x00C4: ('Adieresis', 667), 0x00C5: ('Aring', 667), 0x00C6: ('AE', 1000),
    0x00C7: ('Ccedilla', 722), 0x00C8: ('Egrave', 667), 0x00C9: ('Eacute', 667),
    0x00CA: ('Ecircumflex', 667), 0x00CB: ('Edieresis', 667), 0x00CC: ('Igrave', 278),
    0x00CD: ('Iacute', 278), 0x00CE: ('Icircumflex', 278), 0x00CF: ('Idieresis', 278),
    0x00D1: ('Ntilde', 722), 0x00D2: ('Ograve', 778), 0x00D3: ('Oacute', 778),
    0x00D4: ('Ocircumflex', 778), 0x00D5: ('Otilde', 778), 0x00D6: ('Odieresis', 778),
    0x00D8: ('Oslash', 778), 0x00D9: ('Ugrave', 722), 0x00DA: ('Uacute', 722),
    0x00DB: ('Ucircumflex', 722), 0x00DC: ('Udieresis', 722), 0x00DD: ('Yacute', 667),
    0x00DF: ('germandbls', 611), 0x00E0: ('agrave', 556), 0x00E1: ('aacute', 556),
    0x00E2: ('acircumflex', 556), 0x00E3: ('atilde', 556), 0x00E4: ('adieresis', 556),
    0x00E5: ('aring', 556), 0x00E6: ('ae', 889), 0x00E7: ('ccedilla', 500),
    0x00E8: ('egrave', 556), 0x00E9: ('eacute', 556), 0x00EA: ('ecircumflex', 556),
    0x00EB: ('edieresis', 556), 0x00EC: ('igrave', 278), 0x00ED: ('iacute', 278),
    0x00EE: ('icircumflex', 278), 0x00EF: ('idieresis', 278), 0x00F1: ('ntilde', 556),
    0x00F2: ('ograve', 556), 0x00F3: ('oacute', 556), 0x00F4: ('ocircumflex', 556),
    0x00F5: ('otilde', 556), 0x00F6: ('odieresis', 556), 0x00F8: ('oslash', 611),
    0x00F9: ('ugrave', 556), 0x00FA: ('uacute', 556), 0x00FB: ('ucircumflex', 556),
    0x00FC: ('udieresis', 556), 0x00FD: ('yacute', 500), 0x00FF: ('ydieresis', 500),
    0x0401: ('afii10023', 667), 0x0410: ('afii10017', 667), 0x0411: ('afii10018', 656),
    0x0412: ('afii10019', 667), 0x0413: ('afii10020', 542), 0x0414: ('afii10021', 677),
    0x0415: ('afii10022', 667), 0x0416: ('afii10024', 923), 0x0417: ('afii10025', 604),
    0x0418: ('afii10026', 719), 0x0419: ('afii10027', 719), 0x041A: ('afii10028', 583),
    0x041B: ('afii10029', 656), 0x041C: ('afii10030', 833), 0x041D: ('afii10031', 722),
    0x041E: ('afii10032', 778), 0x041F: ('afii10033', 719), 0x0420: ('afii10034', 667),
    0x0421: ('afii10035', 722), 0x0422: ('afii10036', 611), 0x0423: ('afii10037', 635),
    0x0424: ('afii10038', 760), 0x0425: ('afii10039', 667), 0x0426: ('afii10040', 740),
    0x0427: ('afii10041', 667), 0x0428: ('afii10042', 917), 0x0429: ('afii10043', 938),
    0x042A: ('afii10044', 792), 0x042B: ('afii10045', 885), 0x042C: ('afii10046', 656),
    0x042D: ('afii10047', 719), 0x042E: ('afii10048', 1010), 0x042F: ('afii10049', 722),
    0x0430: ('afii10065', 556), 0x0431: ('afii10066', 573), 0x0432: ('afii10067', 531),
    0x0433: ('afii10068', 365), 0x0434: ('afii10069', 583), 0x0435: ('afii10070', 556),
    0x0436: ('afii10072', 669), 0x0437: ('afii10073', 458), 0x0438: ('afii10074', 559),
    0x0439: ('afii10075', 559), 0x043A: ('afii10076', 438), 0x043B: ('afii10077', 583),
    0x043C: ('afii10078', 688), 0x043D: ('afii10079', 552), 0x043E: ('afii10080', 556),
    0x043F: ('afii10081', 542), 0x0440: ('afii10082', 556), 0x0441: ('afii10083', 500),
    0x0442: ('afii10084', 458), 0x0443: ('afii10085', 500), 0x0444: ('afii10086', 823),
    0x0445: ('afii10087', 500), 0x0446: ('afii10088', 573), 0x0447: ('afii10089', 521),
    0x0448: ('afii10090', 802), 0x0449: ('afii10091', 823), 0x044A: ('afii10092', 625),
    0x044B: ('afii10093', 719), 0x044C: ('afii10094', 521), 0x044D: ('afii10095', 510),
    0x044E: ('afii10096', 750), 0x044F: ('afii10097', 542), 0x0451: ('afii10071', 556),
    0x2013: ('endash', 556), 0x2014: ('emdash', 1000), 0x2018: ('quoteleft', 222),
    0x2019: ('quoteright', 222), 0x201C: ('quotedblleft', 333), 0x201D: ('quotedblright', 333),
    0x2026: ('ellipsis', 1000),
}

BLOCK = "\u2588"          # full block: drawn as a black box (Type 3 font F2)
BLOCK_WIDTH = 600
FONT_SIZE = 10
LEADING = 13
PAGE_W, PAGE_H = 612, 792  # US Letter
LEFT, TOP = 72, 720        # first baseline
RIGHT_MARGIN = 54
LINES_PER_PAGE = 50
WITHHELD_PAGE = re.compile(r"^\s*PAGE \d+ WITHHELD IN FULL\s*$")
# free codes for characters outside WinAnsiEncoding (control range, then the
# five codes WinAnsiEncoding leaves undefined)
EXTRA_CODES = list(range(1, 32)) + [0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D]
DATE_DIR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class SampleError(Exception):
    pass


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SampleError("%s: not UTF-8 (byte %d)" % (path, e.start))
    if text.startswith("\ufeff"):
        raise SampleError("%s: starts with a byte order mark; remove it" % path)
    if not text.endswith("\n"):
        raise SampleError("%s: last line does not end with a newline" % path)
    lines = text[:-1].split("\n")
    for n, line in enumerate(lines, 1):
        for bad, what in (("\r", "a CR"), ("\t", "a tab"), ("\f", "a form feed")):
            if bad in line:
                raise SampleError("%s:%d: contains %s; use plain LF lines and spaces"
                                  % (path, n, what))
    return lines


def paginate(lines):
    pages = [[]]
    for line in lines:
        page = pages[-1]
        if page and (len(page) == LINES_PER_PAGE or WITHHELD_PAGE.match(line)):
            pages.append([])
        pages[-1].append(line)
    return pages


class Encoding:
    """Single-byte codes of font F1 for one document."""

    def __init__(self):
        self.code = {}    # char -> code
        self.extra = []   # (code, glyph name) outside WinAnsiEncoding

    def add(self, ch, where):
        if ch in self.code or ch == BLOCK:
            return
        if ord(ch) not in GLYPHS:
            raise SampleError("%s: character U+%04X %r has no Helvetica glyph in "
                              "make-pdfs.py's table" % (where, ord(ch), ch))
        try:
            b = ch.encode("cp1252")
        except UnicodeEncodeError:
            if len(self.extra) == len(EXTRA_CODES):
                raise SampleError("%s: too many characters outside WinAnsiEncoding "
                                  "in one file" % where)
            c = EXTRA_CODES[len(self.extra)]
            self.extra.append((c, GLYPHS[ord(ch)][0]))
            self.code[ch] = c
        else:
            self.code[ch] = b[0]

    def encode(self, s):
        return bytes(self.code[ch] for ch in s)


def pdf_literal(bs):
    out = ["("]
    for b in bs:
        if b in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    out.append(")")
    return "".join(out)


def runs(line):
    """Split a line into (is_block, text) runs."""
    return [(m.group(0)[0] == BLOCK, m.group(0))
            for m in re.finditer(BLOCK + "+|[^" + BLOCK + "]+", line)]


def line_ops(line, enc, where):
    ops, width = [], 0
    for is_block, text in runs(line.rstrip(" ")):
        if is_block:
            ops.append("/F2 %d Tf %s Tj /F1 %d Tf"
                       % (FONT_SIZE, pdf_literal(b"A" * len(text)), FONT_SIZE))
            width += BLOCK_WIDTH * len(text)
        else:
            ops.append(pdf_literal(enc.encode(text)) + " Tj")
            width += sum(GLYPHS[ord(ch)][1] for ch in text)
    if width * FONT_SIZE / 1000.0 > PAGE_W - LEFT - RIGHT_MARGIN:
        raise SampleError("%s: line too wide for the page (%.0f pt); break it"
                          % (where, width * FONT_SIZE / 1000.0))
    return " ".join(ops)


def tounicode_cmap(pairs):
    """A /ToUnicode CMap for single-byte codes: pairs of (code, unicode str)."""
    body = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<00> <FF>", "endcodespacerange"]
    pairs = sorted(pairs)
    for i in range(0, len(pairs), 100):
        chunk = pairs[i:i + 100]
        body.append("%d beginbfchar" % len(chunk))
        for code, u in chunk:
            body.append("<%02X> <%s>" % (code, u.encode("utf-16-be").hex().upper()))
        body.append("endbfchar")
    body += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(body) + "\n").encode("ascii")


def stream(data):
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def build_pdf(lines, path, title, date):
    enc = Encoding()
    for n, line in enumerate(lines, 1):
        for ch in line:
            enc.add(ch, "%s:%d" % (path, n))

    contents = []
    pages = paginate(lines)
    n = 1
    for page in pages:
        ops = ["BT", "/F1 %d Tf" % FONT_SIZE, "%d TL" % LEADING, "%d %d Td" % (LEFT, TOP)]
        for i, line in enumerate(page):
            if i:
                ops.append("T*")
            if line.strip(" "):
                ops.append(line_ops(line, enc, "%s:%d" % (path, n)))
            n += 1
        ops.append("ET")
        contents.append(("\n".join(ops) + "\n").encode("ascii"))

    # font F1: Helvetica, WinAnsiEncoding + Differences for the extra codes
    widths = [0] * 255                     # codes 1..255
    names = {}
    for ch, code in enc.code.items():
        names[code] = ch
    for cp, (glyph, w) in GLYPHS.items():
        try:
            b = chr(cp).encode("cp1252")
        except UnicodeEncodeError:
            continue
        widths[b[0] - 1] = w
    for ch, code in enc.code.items():
        widths[code - 1] = GLYPHS[ord(ch)][1]
    diff = []
    prev = None
    for code, glyph in sorted(enc.extra):
        if prev is None or code != prev + 1:
            diff.append(str(code))
        diff.append("/" + glyph)
        prev = code
    width_rows = [" ".join(str(w) for w in widths[i:i + 16]) for i in range(0, 255, 16)]

    objs = []  # object number = index + 1

    def add(body):
        objs.append(body)
        return len(objs)

    catalog = add(None)
    pages_obj = add(None)
    f1 = add(None)
    f1_cmap = add(stream(tounicode_cmap([(c, ch) for ch, c in enc.code.items()])))
    f2 = add(None)
    f2_block = add(stream(b"%d 0 0 -210 %d 790 d1\n0 -210 %d 1000 re f\n"
                          % (BLOCK_WIDTH, BLOCK_WIDTH, BLOCK_WIDTH)))
    f2_cmap = add(stream(tounicode_cmap([(0x41, BLOCK)])))
    info = add(("<< /Title %s /Producer (declass sample/make-pdfs.py) "
                "/CreationDate (D:%s000000Z) /ModDate (D:%s000000Z) >>"
                % (pdf_literal(title.encode("ascii")), date, date)).encode("ascii"))

    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    encoding = "/WinAnsiEncoding"
    if diff:
        encoding = ("<< /Type /Encoding /BaseEncoding /WinAnsiEncoding "
                    "/Differences [%s] >>" % " ".join(diff))
    objs[f1 - 1] = ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica\n"
                    "/Encoding %s\n/FirstChar 1 /LastChar 255 /Widths [\n%s\n]\n"
                    "/ToUnicode %d 0 R >>"
                    % (encoding, "\n".join(width_rows), f1_cmap)).encode("ascii")
    objs[f2 - 1] = ("<< /Type /Font /Subtype /Type3 /FontBBox [0 -210 %d 790]\n"
                    "/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /block %d 0 R >>\n"
                    "/Encoding << /Type /Encoding /Differences [65 /block] >>\n"
                    "/FirstChar 65 /LastChar 65 /Widths [%d] /Resources << >>\n"
                    "/ToUnicode %d 0 R >>"
                    % (BLOCK_WIDTH, f2_block, BLOCK_WIDTH, f2_cmap)).encode("ascii")
    kids = []
    for data in contents:
        c = add(stream(data))
        p = add(("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d]\n"
                 "/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /ProcSet [/PDF /Text] >>\n"
                 "/Contents %d 0 R >>" % (pages_obj, PAGE_W, PAGE_H, f1, f2, c)).encode("ascii"))
        kids.append(p)
    objs[pages_obj - 1] = ("<< /Type /Pages /Kids [%s] /Count %d >>"
                           % (" ".join("%d 0 R" % k for k in kids), len(kids))).encode("ascii")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, catalog, info, xref))
    return bytes(out)


def sources(sample_dir):
    """(release, NAME.txt, NAME.pdf) for every files/NAME.txt sidecar and
    every text/NAME.txt source, in release then file-name order."""
    found = []
    for release in sorted(os.listdir(sample_dir)):
        files = os.path.join(sample_dir, release, "files")
        text = os.path.join(sample_dir, release, "text")
        todo = {}
        for folder in (files, text):
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                if not name.endswith(".txt"):
                    continue
                if name in todo:
                    raise SampleError("%s and %s: one PDF, two texts; keep one"
                                      % (todo[name], os.path.join(folder, name)))
                todo[name] = os.path.join(folder, name)
        for name in sorted(todo):
            found.append((release, todo[name], os.path.join(files, name[:-4] + ".pdf")))
    return found


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        sys.stderr.write("usage: make-pdfs.py [--check] [SAMPLE_DIR]\n")
        return 2
    sample_dir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    stale = 0
    try:
        todo = sources(sample_dir)
        if not todo:
            raise SampleError("%s: no */files/*.txt or */text/*.txt found" % sample_dir)
        for release, txt, target in todo:
            m = DATE_DIR.match(release)
            date = "".join(m.groups()) if m else "19700101"
            stem = os.path.basename(txt)[:-4]
            pdf = build_pdf(read_text(txt), txt, "%s (declass sample, release %s)"
                            % (stem, release), date)
            old = None
            if os.path.exists(target):
                with open(target, "rb") as f:
                    old = f.read()
            if old == pdf:
                continue
            if check:
                sys.stderr.write("%s: %s; run python3 sample/make-pdfs.py\n"
                                 % (target, "missing" if old is None else
                                    "differs from what make-pdfs.py makes"))
                stale += 1
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(pdf)
                print("wrote %s" % os.path.relpath(target))
    except (SampleError, OSError) as e:
        sys.stderr.write("make-pdfs.py: %s\n" % e)
        return 2
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
