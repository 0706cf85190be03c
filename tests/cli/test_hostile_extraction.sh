# Hostile PDFs and texts, and extraction without its tools (issue 19,
# "Hostile mirrors, hostile files, hostile terminals": defects 3, 4, 9 and
# 15).  Every PDF is built at run time by mkpdf.py.
#
#   - limits on PDF work (--max-pages, --max-page-seconds,
#     --max-pdf-seconds, --max-pdf-content): a PDF over one is archived,
#     with a warning naming the limit, its text marked incomplete in
#     meta.json, and `reextract` with the limit raised completes it;
#   - poppler or Tesseract that cannot be loaded: a loud warning, a count,
#     and meta.json says so, for `reextract` to fill in later;
#   - a C++ exception thrown inside Tesseract (std::bad_alloc) is an error
#     for that page, not an abort of the process;
#   - the cap on one text (--max-text) at ingest and in the readers.
#
# The sidecar of 400 MB is a hostile case (tests/hostile/E_text_*).
. "$(dirname "$0")/lib.sh"

if ! "$DECLASS" --version 2>/dev/null | grep -q poppler; then
	echo "skipped: this declass has no PDF support (poppler)"
	finish
	exit
fi
MKPDF() { python3 "$DECLASS_SOURCE_DIR/tests/cli/mkpdf.py" "$@"; }
have_ocr() {
	"$DECLASS" --version | grep -q tesseract &&
		{ ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 ||
			[ -n "${TESSDATA_PREFIX:-}" ]; }
}
REC=104-10000-00001
META=records/104/10000/00001/meta.json

# pdf_archive NAME MKPDF-ARGS...: a fresh archive $T/NAME and a tranche
# $T/NAME.in holding one PDF, $REC.pdf, made by mkpdf.py.
pdf_archive() {
	name=$1
	shift
	A=$T/$name
	new_archive "$name"
	mkdir "$T/$name.in"
	MKPDF "$T/$name.in/$REC.pdf" "$@" || fail "mkpdf $*"
}
ingest_in() { run -C "$A" ingest --release r1 --date 2020-01-01 "$@" "$A.in"; }
# The text_extraction of the PDF in the archive's newest meta.json.
tx() { git -C "$A" show "main:$META" | jq -r ".files[\"$REC.pdf\"].text_extraction.$1"; }
text_of() { "$DECLASS" -C "$A" show "$REC" --text; }

## Options: the limits are refused when they are not numbers
new_archive opts
expect 2 "--max-pages 0" -C "$T/opts" ingest --release r --date 2020-01-01 --max-pages 0 "$T"
err_has "--max-pages"
expect 2 "--max-pdf-content abc" -C "$T/opts" ingest --release r --date 2020-01-01 \
	--max-pdf-content abc "$T"
err_has "--max-pdf-content"
expect 2 "--max-page-seconds -1" -C "$T/opts" reextract --max-page-seconds -1
err_has "--max-page-seconds"
expect 0 "ingest --help names the limits" ingest --help
out_has "--max-pages N"
out_has "--max-text SIZE"
expect 0 "reextract --help names the limits" reextract --help
out_has "--max-pdf-content SIZE"

## Defect 3: pages.  12 pages, a limit of 5: the first 5 are read.
pdf_archive pages --text 12
ingest_in --max-pages 5 --json
assert "pages: exit 0" test "$rc" = 0
err_has "warning"
err_has "over the limit of 5 pages (--max-pages)"
assert "pages: counted in the summary" test "$(jq -r .text.incomplete "$T/out")" = 1
assert "pages: meta.json says incomplete" test "$(tx incomplete)" = max-pages
assert "pages: 5 pages read" test "$(tx pages)" = 5
assert "pages: the note names the limit" sh -c 'printf "%s" "$1" | grep -q "12 pages"' sh "$(tx note)"
text_of >"$T/got.txt"
assert "pages: page 5 is in the text" grep -q 'page 5$' "$T/got.txt"
assert "pages: page 6 is not" sh -c '! grep -q "page 6$" "$1"' sh "$T/got.txt"
# reextract with the limit raised completes it; within the limit it stays.
expect 0 "pages: reextract within the same limit" -C "$A" reextract --max-pages 5
out_has "no text changed"
assert "pages: still incomplete" test "$(tx incomplete)" = max-pages
expect 0 "pages: reextract with the limit raised" -C "$A" reextract --max-pages 20 --json
assert "pages: one record changed" test "$(jq -r .changed "$T/out")" = 1
assert "pages: complete now" test "$(tx incomplete)" = null
assert "pages: 12 pages read" test "$(tx pages)" = 12
expect 0 "pages: verify after the revision" -C "$A" verify

## Defect 3: content that inflates.  2 MB of drawing operators behind each
## filter chain poppler decodes, and labelled as an image, against a limit
## of 1 MiB; 0.5 MB passes.
for chain in flate hex-flate lzw rle flate-as-image; do
	pdf_archive "content-$chain" --inflate 2000000 --filter "$chain"
	ingest_in --max-pdf-content 1M
	assert "content $chain: exit 0 ($rc)" test "$rc" = 0
	err_has "(--max-pdf-content)"
	assert "content $chain: meta.json says incomplete" test "$(tx incomplete)" = max-pdf-content
done
# Page content in an image codec cannot be measured: not read either.
pdf_archive content-dct --inflate 2000 --filter dct
ingest_in --max-pdf-content 1M
assert "content dct: exit 0" test "$rc" = 0
err_has "is decoded with /DCTDecode, which cannot be measured"
assert "content dct: meta.json says incomplete" test "$(tx incomplete)" = max-pdf-content
pdf_archive content-small --inflate 500000
ingest_in --max-pdf-content 1M
assert "content under the limit: exit 0" test "$rc" = 0
assert "content under the limit: complete" test "$(tx incomplete)" = null
# The default limit is far above any real PDF: the NARA samples all pass.
REAL=${DECLASS_SHARED:-$DECLASS_SOURCE_DIR/../shared}/data/jfk/pdf
if [ -d "$REAL" ]; then
	A=$T/real
	new_archive real
	mkdir "$A.in"
	find "$REAL" -name '*.pdf' -exec cp {} "$A.in/" \;
	ingest_in --ocr never --json
	assert "real PDFs: exit 0" test "$rc" = 0
	assert "real PDFs: no text incomplete" test "$(jq -r .text.incomplete "$T/out")" = 0
	assert "real PDFs: no limit named" sh -c '! grep -q "over the limit" "$1"' sh "$T/err"
else
	echo "skipped real PDFs: $REAL is missing"
fi

## Defect 3: seconds on one PDF.  2,000 pages of text cannot be read in
## 10 ms: what was read is kept, the rest is left without text.
pdf_archive doc-seconds --text 2000
ingest_in --ocr never --max-pdf-seconds 0.01
assert "document seconds: exit 0" test "$rc" = 0
err_has "(--max-pdf-seconds)"
assert "document seconds: meta.json says incomplete" test "$(tx incomplete)" = max-pdf-seconds

## Defect 3: blank pages are not worth OCR: 100 of them take a few seconds
## (OCR of each took half a second).
pdf_archive blank --blank 100
t0=$(date +%s)
ingest_in
t1=$(date +%s)
assert "blank pages: exit 0" test "$rc" = 0
assert "blank pages: read in $((t1 - t0)) s, under 15 s" test $((t1 - t0)) -lt 15
assert "blank pages: complete" test "$(tx incomplete)" = null
assert "blank pages: 100 pages" test "$(tx pages)" = 100

if have_ocr; then
	## Defect 3: seconds on one page: OCR stopped after 1 ms.
	pdf_archive page-seconds --scan 1 --words "SECRET CABLE"
	ingest_in --max-page-seconds 0.001
	assert "page seconds: exit 0" test "$rc" = 0
	err_has "(--max-page-seconds)"
	assert "page seconds: meta.json says incomplete" test "$(tx incomplete)" = max-page-seconds
	assert "page seconds: the page is left without text" test "$(tx missing_pages)" = 1
else
	echo "skipped OCR time limit: no Tesseract English data"
fi

## Defect 4: poppler cannot be loaded.  A library of that name that is not
## one, first on LD_LIBRARY_PATH, is what a broken install or a memory
## limit looks like to dlopen().
soname() { ldconfig -p 2>/dev/null | grep -o "$1\.so\.[0-9]*" | head -n 1; }
fake_lib() {
	mkdir -p "$T/fake-$1"
	printf 'not a library\n' >"$T/fake-$1/$2"
	echo "$T/fake-$1"
}
POPPLER_SO=$(soname libpoppler-glib)
if [ -n "$POPPLER_SO" ]; then
	pdf_archive no-poppler --text 2
	LD_LIBRARY_PATH=$(fake_lib poppler "$POPPLER_SO") ingest_in --json
	assert "no poppler: exit 0" test "$rc" = 0
	err_has "warning"
	err_has "cannot load $POPPLER_SO"
	err_has "reextract"
	assert "no poppler: counted in the summary" test "$(jq -r .text.incomplete "$T/out")" = 1
	assert "no poppler: meta.json says why" test "$(tx incomplete)" = no-pdf-reader
	assert "no poppler: meta.json names the library" sh -c \
		'printf "%s" "$1" | grep -q "$2"' sh "$(tx note)" "$POPPLER_SO"
	expect 0 "no poppler: reextract fills it in" -C "$A" reextract --json
	assert "no poppler: one record changed" test "$(jq -r .changed "$T/out")" = 1
	assert "no poppler: complete now" test "$(tx incomplete)" = null
	text_of >"$T/got.txt"
	assert "no poppler: the text is there" grep -q 'page 2$' "$T/got.txt"
else
	echo "skipped: no soname for libpoppler-glib"
fi

TESS_SO=$(soname libtesseract)
if [ -n "$TESS_SO" ] && have_ocr; then
	pdf_archive no-tesseract --scan 1
	LD_LIBRARY_PATH=$(fake_lib tesseract "$TESS_SO") ingest_in --json
	assert "no tesseract: exit 0" test "$rc" = 0
	err_has "warning"
	err_has "cannot load $TESS_SO"
	assert "no tesseract: counted in the summary" test "$(jq -r .text.incomplete "$T/out")" = 1
	assert "no tesseract: meta.json says why" test "$(tx incomplete)" = no-ocr
	expect 0 "no tesseract: reextract fills it in" -C "$A" reextract --json
	assert "no tesseract: one page by OCR" test "$(jq -r .pages_ocr "$T/out")" = 1
	assert "no tesseract: complete now" test "$(tx incomplete)" = null
else
	echo "skipped: no Tesseract to hide"
fi

## Defect 15: std::bad_alloc inside Tesseract, as under memory pressure.
## failnew.so (tests/cli/failnew.cc) makes one operator new called from
## libtesseract throw: the first once it is loaded (starting an instance),
## or one in the middle of the page's OCR.  The counts come from runs that
## only count: loading Tesseract (n0, in static constructors, which nothing
## can guard), loading and starting it (a blank page needs no OCR), and
## reading the scan as well.
if [ -n "${DECLASS_FAILNEW:-}" ] && [ -f "$DECLASS_FAILNEW" ] && have_ocr; then
	preload=$DECLASS_FAILNEW
	# Under ASan, failnew's operator new must still come before the
	# runtime's: ASan is told not to insist on being first.  Tesseract
	# leaks what an exception interrupts (its lists, leptonica's images):
	# not ours to free, so leaks are not looked for in these runs.
	asan_options=${ASAN_OPTIONS:-}
	ldd "$DECLASS" 2>/dev/null | grep -q libasan &&
		asan_options=${asan_options:+$asan_options:}verify_asan_link_order=0:detect_leaks=0
	count() { # ARGS...: Tesseract's allocations in `declass ARGS...`
		FAILNEW_LIB=libtesseract FAILNEW_REPORT=1 LD_PRELOAD=$preload \
			ASAN_OPTIONS=$asan_options "$DECLASS" "$@" 2>&1 >/dev/null |
			sed -n 's/^failnew: //p'
	}
	pdf_archive count-blank --blank 1
	pdf_archive count-scan --scan 1
	n0=$(count --version)
	n_start=$(count -C "$T/count-blank" ingest --release r --date 2020-01-01 "$T/count-blank.in")
	n_read=$(count -C "$T/count-scan" ingest --release r --date 2020-01-01 "$T/count-scan.in")
	assert "failnew counts Tesseract's allocations ($n0 < $n_start < $n_read)" \
		test "${n0:-0}" -gt 0 -a "${n_start:-0}" -gt "${n0:-0}" -a "${n_read:-0}" -gt "${n_start:-0}"
	for after in "${n0:-0}" $(((${n_start:-0} + ${n_read:-0}) / 2)); do
		pdf_archive "bad-alloc-$after" --scan 1
		FAILNEW_LIB=libtesseract FAILNEW_AFTER=$after LD_PRELOAD=$preload \
			ASAN_OPTIONS=$asan_options ingest_in --json
		assert "bad_alloc after $after: exit 0, not an abort ($rc)" test "$rc" = 0
		err_has "out of memory (std::bad_alloc)"
		assert "bad_alloc after $after: counted" test "$(jq -r .text.incomplete "$T/out")" = 1
		assert "bad_alloc after $after: meta.json says incomplete" test "$(tx incomplete)" = ocr-failed
	done
	err_has "out of memory (std::bad_alloc) in OCR"
else
	echo "skipped: no failnew.so or no Tesseract English data"
fi

## Defect 9: the cap on one text.  A sidecar over --max-text is refused
## (the 400 MB one with the default limit is tests/hostile/E_text_sidecar_400MB).
A=$T/text
new_archive text
mkdir "$A.in"
cp "$SAMPLE/2017-10-26/files/104-10004-10143.pdf" "$A.in/$REC.pdf"
yes 'the quick brown fox jumps over the lazy dog' | head -c 2000000 >"$A.in/$REC.txt"
before=$(fingerprint "$A")
ingest_in --max-text 1M
assert "text over --max-text: exit 2" test "$rc" = 2
err_has "$REC.txt' is 2000000 bytes, over the limit of 1 MiB on one text (--max-text)"
assert "text over --max-text: archive unchanged" test "$(fingerprint "$A")" = "$before"
ingest_in --max-text 4M
assert "text within --max-text: exit 0" test "$rc" = 0
# Readers hold the same limit: a text over it is refused by name, and
# grep passes it by with a warning.
expect 2 "show --text over --max-text" -C "$A" show "$REC" --text --max-text 1M
err_has "record $REC: its text is 2000000 bytes, over the limit of 1 MiB"
expect 0 "show --text within the default" -C "$A" show "$REC" --text
expect 2 "blame over --max-text" -C "$A" blame "$REC" --max-text 1M
err_has "over the limit of 1 MiB"
expect 1 "grep over --max-text: nothing found" -C "$A" grep "lazy dog" --max-text 1M
err_has "record $REC: its text is 2000000 bytes, over the limit of 1 MiB on one text (--max-text): skipped"
expect 0 "grep within the default" -C "$A" grep "lazy dog"
out_has "$REC"
# The default bounds a reader's memory: 40 MB of text ingested with a
# raised limit costs grep, at the default limit, a warning, not 500 MB.
if [ ! -x /usr/bin/time ]; then
	echo "skipped memory bound: no /usr/bin/time"
elif ! head -c 4 "$DECLASS" | grep -q ELF; then
	echo "skipped memory bound: $DECLASS is a wrapper (valgrind?), not the binary"
else
	A=$T/big
	new_archive big
	mkdir "$A.in"
	cp "$SAMPLE/2017-10-26/files/104-10004-10143.pdf" "$A.in/$REC.pdf"
	yes 'the quick brown fox jumps over the lazy dog' | head -c 40000000 >"$A.in/$REC.txt"
	ingest_in --max-text 64M
	assert "40 MB text with --max-text 64M: exit 0" test "$rc" = 0
	/usr/bin/time -f %M -o "$T/rss" "$DECLASS" -C "$A" grep "lazy dog" >"$T/out" 2>"$T/err"
	rc=$?
	assert "grep at the default limit: nothing else to find ($rc)" test "$rc" = 1
	err_has "over the limit of 32 MiB"
	assert "grep's memory $(tail -n 1 "$T/rss") kB, under 200 MB" test "$(tail -n 1 "$T/rss")" -lt 200000
fi

## Defect 9: an extracted text over the cap keeps its first pages.
pdf_archive text-extracted --text 40
ingest_in --max-text 600
assert "extracted over --max-text: exit 0" test "$rc" = 0
err_has "(--max-text)"
assert "extracted over --max-text: incomplete" test "$(tx incomplete)" = max-text
text_of >"$T/got.txt"
assert "extracted over --max-text: within the cap" test "$(wc -c <"$T/got.txt")" -le 600
assert "extracted over --max-text: page 1 kept" grep -q 'page 1$' "$T/got.txt"

finish
