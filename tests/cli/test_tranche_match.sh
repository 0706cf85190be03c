# How a tranche's files are matched to its manifest rows where the rows
# name no file (a record's files are those named after it), where a
# manifest lists a NAME.txt in its own right (then it is no sidecar), and
# for text-only tranches.  What reaches the archive is read back with git.
. "$(dirname "$0")/lib.sh"

# meta ARCHIVE RECORD_PATH: the record's meta.json at the tip.
meta() { git -C "$1" show "HEAD:$2/meta.json"; }
tree() { git -C "$1" ls-tree --name-only "HEAD:$2"; }

echo "== rows without a file: files named after the record"
D=$T/nofile
mkdir -p "$D/files/sub"
printf '%%PDF-1.4 one\n' >"$D/files/104-10001-10001.pdf"
printf 'audio\n' >"$D/files/sub/104-10001-10001.wav"
printf 'text of two\n' >"$D/files/104-10002-10002.txt"
printf '%%PDF-1.4 three\n' >"$D/files/104-10003-10003 (C06932208).pdf"
printf 'Record Number,Agency\n104-10001-10001,CIA\n104-10002-10002,FBI\n104-10003-10003,NARA\n' \
	>"$D/manifest.csv"
new_archive a
expect 0 "ingest by record names" -C "$T/a" ingest --release r1 --date 2021-01-01 --no-extract \
	--manifest "$D/manifest.csv" "$D/files"
assert "record 1 has its two files" test "$(tree "$T/a" records/104/10001/10001 |
	tr '\n' ' ')" = "104-10001-10001.pdf 104-10001-10001.wav meta.json "
assert "record 2 is its text" test "$(tree "$T/a" records/104/10002/10002 |
	tr '\n' ' ')" = "104-10002-10002.txt meta.json text.txt "
assert "record 3 by its suffixed name" sh -c \
	"git -C '$T/a' ls-tree --name-only HEAD:records/104/10003/10003 |
	grep -qx '104-10003-10003 (C06932208).pdf'"
assert "record 1 has its row" sh -c "git -C '$T/a' show \
	HEAD:records/104/10001/10001/meta.json | grep -q '\"agency\": \"CIA\"'"

expect 0 "verify --tranche finds the files named after each record" \
	verify --tranche "$D/files" --manifest "$D/manifest.csv"
printf '104-10004-10004,DOD\n' >>"$D/manifest.csv"
expect 1 "verify --tranche: a record without a file" \
	verify --tranche "$D/files" --manifest "$D/manifest.csv"
out_has "record 104-10004-10004 has no file named after it"

new_archive b
expect 2 "a row whose record has no file" -C "$T/b" ingest --release r1 --date 2021-01-01 \
	--manifest "$D/manifest.csv" "$D/files"
err_has "record 104-10004-10004 has no file in"
assert "nothing written" test -z "$(git -C "$T/b" for-each-ref)"

echo "== a NAME.txt the manifest lists is released, not NAME.pdf's text"
D=$T/listed
mkdir -p "$D/files"
printf '%%PDF-1.4 one\n' >"$D/files/104-10001-10001.pdf"
printf 'a released transcript\n' >"$D/files/104-10001-10001.txt"
printf '%%PDF-1.4 two\n' >"$D/files/104-10002-10002.pdf"
printf 'text of two\n' >"$D/files/104-10002-10002.txt"
printf 'Record Number,File Name\n104-10001-10001,104-10001-10001.pdf\n' >"$D/manifest.csv"
printf '104-10001-10001,104-10001-10001.txt\n104-10002-10002,104-10002-10002.pdf\n' \
	>>"$D/manifest.csv"
new_archive c
expect 0 "ingest" -C "$T/c" ingest --release r1 --date 2021-01-01 --no-extract \
	--manifest "$D/manifest.csv" "$D/files"
m1=$(meta "$T/c" records/104/10001/10001)
assert "the listed .txt is a released file" sh -c "echo '$m1' | grep -q '\"104-10001-10001.txt\": {'"
assert "and the record's text is that file, released" sh -c \
	"echo '$m1' | tr -d ' \n' |
	grep -Eq '\"file\":\"104-10001-10001.txt\",\"sha256\":\"[0-9a-f]+\",\"size\":22,\"source\":\"released\"'"
assert "not a sidecar of the PDF" sh -c "! echo '$m1' | grep -q '\"sidecar\"'"
m2=$(meta "$T/c" records/104/10002/10002)
assert "an unlisted NAME.txt stays a sidecar" sh -c "echo '$m2' | grep -q '\"sidecar\"'"
assert "and is not a released file" sh -c "! echo '$m2' | grep -q '\"104-10002-10002.txt\": {'"

echo "== text-only: a row without a file takes the text named for its record"
D=$T/texts
mkdir -p "$D/files"
printf 'one\n' >"$D/files/104-10001-10001.md"
printf 'two\n' >"$D/files/104-10002-10002.txt"
printf 'Record Number,Agency\n104-10001-10001,CIA\n104-10002-10002,FBI\n104-10003-10003,NARA\n' \
	>"$D/manifest.csv"
new_archive d
expect 0 "text-only ingest" -C "$T/d" ingest --release r1 --date 2021-01-01 --text-only \
	--text-provider example.org --manifest "$D/manifest.csv" "$D/files"
assert "record 1's text" test "$(git -C "$T/d" show HEAD:records/104/10001/10001/text.txt)" = one
assert "record 2's text" test "$(git -C "$T/d" show HEAD:records/104/10002/10002/text.txt)" = two
assert "no record 3" sh -c "! git -C '$T/d' cat-file -e HEAD:records/104/10003/10003 2>/dev/null"

echo "== text-only: an empty text is a fact (OCR found nothing), not a refusal"
: >"$D/files/104-10003-10003.md"
new_archive e
expect 0 "text-only ingest with an empty text" -C "$T/e" ingest --release r1 --date 2021-01-01 \
	--text-only --text-provider example.org --manifest "$D/manifest.csv" "$D/files"
err_has "1 text in $D/files was empty (the OCR found no text): left out, with its record"
assert "records 1 and 2 ingested" test "$(git -C "$T/e" show HEAD:records/104/10002/10002/text.txt)" = two
assert "record 3 left out" sh -c "! git -C '$T/e' cat-file -e HEAD:records/104/10003/10003 2>/dev/null"
new_archive f
expect 0 "and without a manifest" -C "$T/f" ingest --release r1 --date 2021-01-01 --text-only \
	--text-provider example.org "$D/files"
err_has "1 text in $D/files was empty"
mkdir -p "$D/pdfs" && : >"$D/pdfs/104-10001-10001.pdf"
new_archive g
expect 2 "an empty released file is still refused" -C "$T/g" ingest --release r1 \
	--date 2021-01-01 "$D/pdfs"
err_has "is empty (0 bytes)"

finish
