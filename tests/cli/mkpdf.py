#!/usr/bin/env python3
"""Write a small PDF for the extraction tests, built at run time (hostile
PDFs do not belong in Git).  Python's standard library only.

  mkpdf.py OUT --blank N              N pages with no content
  mkpdf.py OUT --text N [--words W]   N pages with a text layer
  mkpdf.py OUT --scan N               N pages, each a grey image of printed
                                      text (no text layer: OCR reads it)
  mkpdf.py OUT --inflate BYTES [--filter F]
                                      one page whose content stream holds
                                      BYTES of drawing operators once
                                      inflated; F is the filter chain:
                                      flate (default), hex-flate, lzw, rle,
                                      flate-as-image (labelled as a 1x1
                                      image, as an attacker would), dct
"""
import argparse
import zlib


def pdf(objects):
    """The file of these objects (bytes each, numbered from 1)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def lzw(data):
    """LZW as PDF's LZWDecode reads it (EarlyChange 1): the code widths
    follow the decoder's table, which runs one entry behind ours."""
    codes, w = [256], b""
    table, nxt = {bytes([i]): i for i in range(256)}, 258
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
            continue
        codes.append(table[w])
        table[wc] = nxt
        nxt += 1
        w = bytes([c])
        if nxt >= 4000:  # start afresh well before 12 bits run out
            codes += [table[w], 256]
            table, nxt, w = {bytes([i]): i for i in range(256)}, 258, b""
    if w:
        codes.append(table[w])
    codes.append(257)
    bits, acc, nbits, out = 9, 0, 0, bytearray()
    next_code, first = 258, True
    for code in codes:
        acc = (acc << bits) | code
        nbits += bits
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        acc &= (1 << nbits) - 1
        if code == 256:
            next_code, bits, first = 258, 9, True
            continue
        if first:
            first = False
            continue
        next_code += 1
        bits = {511: 10, 1023: 11, 2047: 12}.get(next_code, bits)
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def rle(data):
    out = bytearray()
    i = 0
    while i < len(data):
        n = 1
        while i + n < len(data) and n < 128 and data[i + n] == data[i]:
            n += 1
        out += bytes([257 - n if n > 1 else 0, data[i]])
        i += n
    return bytes(out + b"\x80")


def inflate_page(size, chain):
    ops = b"0 0 m 1 1 l S\n"
    body = ops * (size // len(ops) + 1)
    body = body[:size]
    if chain == "flate":
        return stream(zlib.compress(body, 9), b"/Filter /FlateDecode ")
    if chain == "dct":
        # page content through an image codec: its size cannot be known
        return stream(body[:1000], b"/Filter /DCTDecode ")
    if chain == "flate-as-image":
        # page content dressed as a 1x1 image: poppler reads it as content
        return stream(zlib.compress(body, 9),
                      b"/Filter /FlateDecode /Subtype /Image /Width 1 /Height 1 ")
    if chain == "hex-flate":
        return stream(zlib.compress(body, 9).hex().encode() + b">",
                      b"/Filter [/ASCIIHexDecode /FlateDecode] ")
    if chain == "lzw":
        return stream(lzw(body), b"/Filter /LZWDecode ")
    if chain == "rle":
        return stream(rle(body), b"/Filter /RunLengthDecode ")
    raise SystemExit("unknown filter chain " + chain)


# A 5x7 font for the scanned pages: enough letters for Tesseract to read.
GLYPHS = {
    "A": "01110100011000111111100011000110001", "C": "01110100011000010000100001000101110",
    "D": "11110100011000110001100011000111110", "E": "11111100001000011110100001000011111",
    "I": "01110001000010000100001000010001110", "L": "10000100001000010000100001000011111",
    "N": "10001110011010110011100011000110001", "O": "01110100011000110001100011000101110",
    "R": "11110100011000111110101001001010001", "S": "01111100001000001110000010000111110",
    "T": "11111001000010000100001000010000100", "W": "10001100011000110101101011101110001",
    " ": "00000000000000000000000000000000000",
}


def scan_page(line, width=1275, height=1650, scale=6):
    """A 150 dpi grey page image with `line` printed in large letters."""
    img = bytearray(b"\xff" * (width * height))
    x0, y0 = 100, 200
    for row in range(6):
        for k, ch in enumerate(line):
            g = GLYPHS.get(ch, GLYPHS[" "])
            for gy in range(7):
                for gx in range(5):
                    if g[gy * 5 + gx] == "1":
                        for dy in range(scale):
                            y = y0 + row * 12 * scale + gy * scale + dy
                            s = y * width + x0 + k * 6 * scale + gx * scale
                            img[s:s + scale] = b"\x00" * scale
    return bytes(img)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--blank", type=int)
    ap.add_argument("--text", type=int)
    ap.add_argument("--scan", type=int)
    ap.add_argument("--inflate", type=int)
    ap.add_argument("--filter", default="flate")
    ap.add_argument("--words", default="DECLASSIFIED TEXT")
    a = ap.parse_args()

    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []

    def page(contents=None, resources=b"/Font << /F1 3 0 R >>"):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    b"/Resources << " + resources + b" >>" +
                    (b" /Contents %d 0 R" % contents if contents else b"") + b" >>")
        kids.append(len(objs))

    if a.blank:
        for _ in range(a.blank):
            page()
    if a.text:
        for i in range(a.text):
            objs.append(stream(b"BT /F1 12 Tf 72 700 Td (%s page %d) Tj ET" %
                               (a.words.encode(), i + 1)))
            page(len(objs))
    if a.scan:
        img = scan_page(a.words.upper())
        objs.append(stream(zlib.compress(img, 6),
                           b"/Type /XObject /Subtype /Image /Width 1275 /Height 1650 "
                           b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "))
        im = len(objs)
        for _ in range(a.scan):
            objs.append(stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q"))
            page(len(objs), b"/XObject << /Im0 %d 0 R >>" % im)
    if a.inflate:
        objs.append(inflate_page(a.inflate, a.filter))
        page(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    with open(a.out, "wb") as f:
        f.write(pdf(objs))


main()
