# The free control of the diff: one release of three real NARA scans read
# by two OCR engines, declass's own (Tesseract, from the PDFs in
# ../shared/data/jfk/pdf) and the third party's (Apple Vision, the texts in
# ../shared/data/jfk/text).  Nothing can have been released or withheld
# between the two, so every word the diff calls so is an error: at most 2 %
# of the words, both ways.  Also: the diff says the two texts were made
# differently.
. "$(dirname "$0")/lib.sh"

DATA=${DECLASS_SHARED:-}/data/jfk
if [ ! -d "$DATA/pdf" ] || [ ! -d "$DATA/text" ]; then
	echo "skipped: no $DATA (the real data lives in ../shared beside the clone)"
	finish
	exit 0
fi
if ! "$DECLASS" --version | grep -q tesseract; then
	echo "skipped: this build has no Tesseract"
	finish
	exit 0
fi

A=$T/control
new_archive control
mkdir -p "$T/pdf" "$T/text"
RECORDS="124-90158-10062 176-10011-10152 124-10180-10295"
cp "$DATA/pdf/2025/124-90158-10062.pdf" "$DATA/pdf/2023/176-10011-10152.pdf" \
	"$DATA/pdf/2023/124-10180-10295.pdf" "$T/pdf/"
cp "$DATA/text/2025/0318/124-90158-10062.md" "$DATA/text/2023/176-10011-10152.md" \
	"$DATA/text/2023/124-10180-10295.md" "$T/text/"

expect 0 "ingest the scans, OCR'd by declass" -C "$A" ingest --release ocr-tesseract \
	--date 2023-08-24 --ocr always "$T/pdf"
expect 0 "ingest the third party's text of the same scans" -C "$A" ingest --text-only \
	--text-provider "noops888/jfk-files-text (Apple Vision OCR)" --release ocr-vision \
	--date 2023-08-25 --allow-unlisted "$T/text"

# Words called released or withheld, and words in all, over both directions.
called=0
total=0
for r in $RECORDS; do
	for pair in "ocr-tesseract ocr-vision" "ocr-vision ocr-tesseract"; do
		set -- $pair
		expect 0 "diff $r $1 $2" -C "$A" diff --json "$r" "$1" "$2"
		n=$(python3 -c "import json; d=json.load(open('$T/out'))['totals']
print(d['released']['new_words'] + d['withheld']['old_words'])")
		called=$((called + n))
	done
	expect 0 "diff --stat $r" -C "$A" diff --stat "$r" ocr-tesseract ocr-vision
	err_has "the two texts were made differently"
	w=$("$DECLASS" -C "$A" show --text "$r@ocr-vision" | wc -w)
	total=$((total + 2 * w))
done
echo "control: $called of $total words called released or withheld"
assert "at most 2 % of the control's words called released or withheld ($called of $total)" \
	test $((called * 50)) -le "$total"

finish
