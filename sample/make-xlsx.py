#!/usr/bin/env python3
"""Generate the sample's .xlsx manifests from their CSV sources.

    python3 sample/make-xlsx.py            write sample/D/manifest.xlsx from
                                           sample/D/manifest-source.csv
    python3 sample/make-xlsx.py --check    exit 1 if a committed manifest.xlsx
                                           differs from what this script makes
                                           (nothing written)

Exit status: 0 all written or all up to date, 1 (--check) some workbook stale
or missing, 2 bad input.

NARA publishes its manifests as Excel workbooks. The one declass reads is
manifest.xlsx; manifest-source.csv beside it is only what this script builds
it from, kept so the workbook can be reviewed and edited as text. Pass
manifest.xlsx to `declass ingest --manifest`, never the CSV.

Python 3 standard library only. The output is deterministic: the zip members
are always written in the same order, with the same fixed timestamp
(1980-01-01 00:00, the zip epoch, as in NARA's 2021 workbook), the same
attributes and no compression (stored), so no zlib version can change a
byte, and running the script again gives a byte-identical file.

The workbook is a minimal but valid Office Open XML spreadsheet in the shape
of NARA's real ones:

  [Content_Types].xml, _rels/.rels, xl/workbook.xml (one sheet, "Worksheet"),
  xl/_rels/workbook.xml.rels, xl/styles.xml, xl/sharedStrings.xml,
  xl/worksheets/sheet1.xml

Cells, by the column's header in the CSV source:

  * NARA Release Date: the source holds an ISO date (2023-06-27); the cell is
    a number, the Excel serial day (45104; serial 0 = 1899-12-30), with a
    date number format (numFmtId 14), as NARA's 2021 workbook stores dates;
  * Num Pages, Pages Released: the source holds digits; the cell is a number;
  * every other column: a text cell (t="s") pointing into the shared strings,
    as NARA's 2023 workbook stores Doc Date and Review Date (mm/dd/yyyy text);
  * an empty source cell has no cell element at all.

The header row is bold (style 1) and frozen, as in NARA's files.

manifest-source.csv: UTF-8 without BOM, LF line ends, RFC 4180 quoting, a
header row and rows all of the header's width. Anything else is an error
naming the file and line.
"""

import csv
import datetime
import io
import os
import re
import sys
import zipfile

SOURCE = "manifest-source.csv"
TARGET = "manifest.xlsx"
SHEET_NAME = "Worksheet"
DATE_COLUMNS = {"NARA Release Date"}
NUMBER_COLUMNS = {"Num Pages", "Pages Released"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EXCEL_EPOCH = datetime.date(1899, 12, 30)

STYLE_HEADER = 1
STYLE_DATE = 2

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CT_PREFIX = "application/vnd.openxmlformats-officedocument.spreadsheetml."

# XML 1.0 forbids these characters even as references
BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# text that reads as an OOXML _xHHHH_ escape must itself be escaped
XSTRING_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


class SampleError(Exception):
    pass


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(s):
    return xml_text(s).replace('"', "&quot;")


def xstring(s):
    """A string as an OOXML ST_Xstring: a literal "_xHHHH_" gets its '_'
    written as _x005F_ so a reader does not decode it."""
    return XSTRING_ESCAPE.sub("_x005F_", s)


def column_name(i):
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(ord("A") + r) + name
    return name


def read_source(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SampleError("%s: not UTF-8 (byte %d)" % (path, e.start))
    if text.startswith("\ufeff"):
        raise SampleError("%s: starts with a byte order mark; remove it" % path)
    if "\r" in text:
        raise SampleError("%s: has CR characters; use LF line ends" % path)
    if not text.endswith("\n"):
        raise SampleError("%s: last line does not end with a newline" % path)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as e:
        raise SampleError("%s:%d: %s" % (path, reader.line_num, e))
    if len(rows) < 2:
        raise SampleError("%s: needs a header row and at least one row" % path)
    header = rows[0][1]
    if len(set(header)) != len(header) or "" in header:
        raise SampleError("%s:1: header has an empty or repeated column name" % path)
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise SampleError("%s:%d: %d cells, the header has %d"
                              % (path, line, len(row), len(header)))
        for cell in row:
            if BAD_XML_CHARS.search(cell):
                raise SampleError("%s:%d: a control character XML cannot hold"
                                  % (path, line))
    return header, rows[1:]


class Strings:
    """The shared strings table, in order of first use."""

    def __init__(self):
        self.index = {}
        self.order = []
        self.uses = 0

    def get(self, s):
        self.uses += 1
        if s not in self.index:
            self.index[s] = len(self.order)
            self.order.append(s)
        return self.index[s]

    def xml(self):
        out = [XML_DECL, '<sst xmlns="%s" count="%d" uniqueCount="%d">'
               % (NS_MAIN, self.uses, len(self.order))]
        for s in self.order:
            space = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
            out.append("<si><t%s>%s</t></si>" % (space, xml_text(xstring(s))))
        out.append("</sst>")
        return "".join(out)


def cell_xml(ref, column, value, strings, where):
    if value == "":
        return ""
    if column in DATE_COLUMNS:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise SampleError("%s: %s '%s' is not an ISO date (YYYY-MM-DD)"
                              % (where, column, value))
        return '<c r="%s" s="%d"><v>%d</v></c>' % (ref, STYLE_DATE,
                                                     (day - EXCEL_EPOCH).days)
    if column in NUMBER_COLUMNS:
        if not re.fullmatch(r"[0-9]+", value):
            raise SampleError("%s: %s '%s' is not a whole number"
                              % (where, column, value))
        return '<c r="%s"><v>%d</v></c>' % (ref, int(value))
    return '<c r="%s" t="s"><v>%d</v></c>' % (ref, strings.get(value))


def sheet_xml(header, rows, strings, path):
    last = "%s%d" % (column_name(len(header) - 1), len(rows) + 1)
    spans = "1:%d" % len(header)
    out = [XML_DECL,
           '<worksheet xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL),
           '<dimension ref="A1:%s"/>' % last,
           '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
           '</sheetView></sheetViews>',
           '<sheetFormatPr defaultRowHeight="14.4"/>',
           "<sheetData>"]
    cells = "".join('<c r="%s1" s="%d" t="s"><v>%d</v></c>'
                    % (column_name(i), STYLE_HEADER, strings.get(name))
                    for i, name in enumerate(header))
    out.append('<row r="1" spans="%s">%s</row>' % (spans, cells))
    for n, (line, row) in enumerate(rows, 2):
        where = "%s:%d" % (path, line)
        cells = "".join(cell_xml("%s%d" % (column_name(i), n), header[i], value,
                                 strings, where)
                        for i, value in enumerate(row))
        out.append('<row r="%d" spans="%s">%s</row>' % (n, spans, cells))
    out.append("</sheetData>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
               'header="0.3" footer="0.3"/>')
    out.append("</worksheet>")
    return "".join(out)


def content_types():
    overrides = [
        ("/xl/workbook.xml", CT_PREFIX + "sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", CT_PREFIX + "worksheet+xml"),
        ("/xl/styles.xml", CT_PREFIX + "styles+xml"),
        ("/xl/sharedStrings.xml", CT_PREFIX + "sharedStrings+xml"),
    ]
    return (XML_DECL +
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' +
            "".join('<Override PartName="%s" ContentType="%s"/>' % o for o in overrides) +
            "</Types>")


def root_rels():
    return (XML_DECL + '<Relationships xmlns="%s">' % NS_PKG_REL +
            '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
            % NS_REL + "</Relationships>")


def workbook():
    return (XML_DECL + '<workbook xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL) +
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            '<sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets>'
            % xml_attr(SHEET_NAME) + "</workbook>")


def workbook_rels():
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "styles", "styles.xml"),
            ("rId3", "sharedStrings", "sharedStrings.xml")]
    return (XML_DECL + '<Relationships xmlns="%s">' % NS_PKG_REL +
            "".join('<Relationship Id="%s" Type="%s/%s" Target="%s"/>'
                    % (i, NS_REL, t, target) for i, t, target in rels) +
            "</Relationships>")


def styles():
    # cellXfs: 0 default, 1 bold (header), 2 date (built-in numFmtId 14, m/d/yyyy)
    return (XML_DECL + '<styleSheet xmlns="%s">' % NS_MAIN +
            '<fonts count="2">'
            '<font><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>'
            "</fonts>"
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")


def build_xlsx(source):
    header, rows = read_source(source)
    strings = Strings()
    sheet = sheet_xml(header, rows, strings, source)
    parts = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook()),
        ("xl/_rels/workbook.xml.rels", workbook_rels()),
        ("xl/styles.xml", styles()),
        ("xl/sharedStrings.xml", strings.xml()),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, xml in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3                      # Unix, on every host
            info.external_attr = 0o100644 << 16         # a regular file, rw-r--r--
            z.writestr(info, xml.encode("utf-8"))
    return buf.getvalue()


def sources(sample_dir):
    found = []
    for release in sorted(os.listdir(sample_dir)):
        path = os.path.join(sample_dir, release, SOURCE)
        if os.path.isfile(path):
            found.append(path)
    return found


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        sys.stderr.write("usage: make-xlsx.py [--check] [SAMPLE_DIR]\n")
        return 2
    sample_dir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    stale = 0
    try:
        todo = sources(sample_dir)
        if not todo:
            raise SampleError("%s: no */%s found" % (sample_dir, SOURCE))
        for source in todo:
            data = build_xlsx(source)
            target = os.path.join(os.path.dirname(source), TARGET)
            old = None
            if os.path.exists(target):
                with open(target, "rb") as f:
                    old = f.read()
            if old == data:
                continue
            if check:
                sys.stderr.write("%s: %s; run python3 sample/make-xlsx.py\n"
                                 % (target, "missing" if old is None else
                                    "differs from what make-xlsx.py makes"))
                stale += 1
            else:
                with open(target, "wb") as f:
                    f.write(data)
                print("wrote %s" % os.path.relpath(target))
    except (SampleError, OSError) as e:
        sys.stderr.write("make-xlsx.py: %s\n" % e)
        return 2
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
