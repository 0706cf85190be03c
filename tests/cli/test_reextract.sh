# declass reextract: archived PDFs read again, committed as a text revision
# that changes text only; every reader of history takes it as such.
. "$(dirname "$0")/lib.sh"

g() { git -C "$A" "$@"; }

if ! "$DECLASS" --version 2>/dev/null | grep -q poppler; then
	echo "skipped: this declass has no PDF support (poppler)"
	finish
	exit
fi

# The sample, its newest release (PDFs and an .xlsx manifest, as NARA
# publishes them) ingested without text extraction.
A=$T/a
new_archive a
export DECLASS_ARCHIVE=$A
ingest_sample "$A" 2017-10-26
ingest_sample "$A" 2021-12-15
ingest_sample "$A" 2022-12-15
expect 0 "ingest 2023 without text" ingest --release 2023-06-27 --date 2023-06-27 \
	--manifest "$SAMPLE/2023-06-27/manifest.xlsx" --no-extract "$SAMPLE/2023-06-27/files"
rel_tip=$(g rev-parse main)
cp -a "$A" "$T/pre" # for the kill points below
expect 0 "no text yet" show 104-10015-10052@2023-06-27 --text
assert "empty text before" test ! -s "$T/out"
# changes: the records and how each changed (its word counts come from the text).
changed_records() { jq -r '.records[] | .record + " " + .status' "$T/out"; }
expect 0 "changes before" changes 2022-12-15 2023-06-27 --json
changed_records >"$T/changes.before"
expect 0 "releases before" releases --json
jq .releases "$T/out" >"$T/releases.before"

## --help, and refusals that leave the archive as it was
expect 0 "reextract --help" reextract --help
out_has "Example:"
before=$(fingerprint "$A")
expect 2 "unknown release" reextract --release 1999-01-01
err_has "no release '1999-01-01'"
expect 2 "unknown record" reextract 999-99999-99999
err_has "record 999-99999-99999 is not in the archive"
expect 2 "bad --ocr" reextract --ocr sometimes
assert "refusals leave the archive as it was" test "$(fingerprint "$A")" = "$before"

## The revision: only records of 2023-06-27 (two PDFs, text layer)
expect 0 "reextract --release 2023-06-27" reextract --release 2023-06-27 --json
assert "two records changed" test "$(jq -r .changed "$T/out")" = 2
assert "two PDFs read" test "$(jq -r .files "$T/out")" = 2
rev=$(jq -r .commit "$T/out")
assert "the branch moved to the revision" test "$(g rev-parse main)" = "$rev"
assert "the revision's parent is the release" test "$(g rev-parse "$rev^")" = "$rel_tip"
assert "the revision has no tag" test -z "$(g tag --points-at "$rev")"
msg=$(g log -1 --format=%B "$rev")
assert "trailer Text-Revision names the release" \
	test "$(g log -1 --format='%(trailers:key=Text-Revision,valueonly)' "$rev" | head -n 1)" = 2023-06-27
assert "trailer Revision-Scope" sh -c 'printf "%s" "$1" | grep -q "^Revision-Scope: records of release 2023-06-27$"' sh "$msg"
assert "trailer Extractor" sh -c 'printf "%s" "$1" | grep -q "^Extractor: poppler "' sh "$msg"

# Only text.txt and meta.json of those two records changed.
changed=$(g diff --name-only "$rel_tip" "$rev" | LC_ALL=C sort | tr '\n' ' ')
assert "only text changed ($changed)" test "$changed" = \
	"records/104/10015/10052/meta.json records/104/10015/10052/text.txt records/104/10100/10001/meta.json records/104/10100/10001/text.txt "
assert "released bytes untouched" test \
	"$(g rev-parse "$rel_tip:records/104/10015/10052/104-10015-10052.pdf")" = \
	"$(g rev-parse "$rev:records/104/10015/10052/104-10015-10052.pdf")"
g show "$rev:records/104/10015/10052/meta.json" >"$T/meta.json"
assert "meta.json: text from the extractor" test \
	"$(jq -r '.text.parts[0].source' "$T/meta.json")" = extracted
assert "meta.json: revised_at" test "$(jq -r '.text.revised_at' "$T/meta.json")" != null
assert "meta.json: the SHA-256 of text.txt" test "$(jq -r .text.sha256 "$T/meta.json")" = \
	"$(g show "$rev:records/104/10015/10052/text.txt" | sha256sum | cut -d' ' -f1)"
assert "meta.json: the file's SHA-256 as released" test \
	"$(jq -r '.files["104-10015-10052.pdf"].sha256' "$T/meta.json")" = \
	"$(sha256sum <"$SAMPLE/2023-06-27/files/104-10015-10052.pdf" | cut -d' ' -f1)"

## Readers: the version's text is the revised one
expect 0 "show @2023-06-27 --text" show 104-10015-10052@2023-06-27 --text
out_has "STATION OBSERVATION POST"
expect 0 "show (newest) --text" show 104-10015-10052 --text
out_has "STATION OBSERVATION POST"
expect 0 "older version untouched" show 104-10015-10052@2022-12-15 --text
assert "2022 text is its sidecar" cmp -s "$T/out" "$SAMPLE/2022-12-15/files/104-10015-10052.txt"
expect 0 "diff 2022..2023 from the revised text" diff 104-10015-10052 2022-12-15 2023-06-27 --json
assert "words released" test "$(jq '.totals.released.new_words' "$T/out")" -gt 0
assert "diff says where each text came from" test "$(jq -r '.text_from.from' "$T/out")" = sidecar
expect 0 "diff (human) notes the change of extractor" diff 104-10015-10052 2022-12-15 2023-06-27 --stat
err_has "the two texts were made differently"
expect 0 "log" log 104-10015-10052
out_has "text re-extracted"
expect 0 "log --json" log --json 104-10015-10052
assert "log: three versions, not four" test "$(jq '.versions | length' "$T/out")" = 3
assert "log: revision on the 2023 version" test "$(jq -r '.versions[2].text_commit' "$T/out")" = "$rev"
assert "log: older versions not revised" test "$(jq -r '.versions[1].text_revisions' "$T/out")" = 0
expect 0 "blame" blame 104-10015-10052
out_has "2023-06-27"
expect 0 "grep finds the new text" grep LIENVOY
out_has "104-10015-10052"
expect 0 "releases unchanged" releases --json
jq .releases "$T/out" >"$T/releases.after"
assert "the revision is no release" cmp -s "$T/releases.after" "$T/releases.before"
assert "releases lists the revision apart" \
	test "$(jq -r '.text_revisions[0].commit + " " + .text_revisions[0].after' "$T/out")" = "$rev 2023-06-27"
expect 0 "releases (human)" releases
out_has "text revision after 2023-06-27"
expect 0 "changes unchanged" changes 2022-12-15 2023-06-27 --json
changed_records >"$T/changes.after"
assert "changes: the same records" cmp -s "$T/changes.after" "$T/changes.before"
expect 0 "verify accepts the revision" verify
assert "git fsck is clean" git -C "$A" fsck --full --no-progress --no-dangling

## Again: nothing to do, nothing written
before=$(fingerprint "$A")
expect 0 "reextract again" reextract
out_has "nothing written"
err_has "already read by these tools"
err_has "kept as they were"
assert "no-op leaves the archive as it was" test "$(fingerprint "$A")" = "$before"

## --force and named records: same text, so no new commit
expect 0 "reextract --force one record" reextract --force 104-10015-10052 --json
assert "forced: one PDF read" test "$(jq -r .files "$T/out")" = 1
assert "forced: same text, nothing changed" test "$(jq -r .commit "$T/out")" = null

## A release after a revision
N=$T/next
mkdir "$N"
printf 'MEMO FOR THE RECORD\nNEW RECORD OF A LATER RELEASE\n' >"$N/104-10999-10001.txt"
expect 2 "older than the newest release, below the revision" \
	ingest --release old --date 2023-01-01 "$N"
err_has "older than the newest release in the archive (2023-06-27)"
expect 0 "ingest after the revision" ingest --release 2025-03-18 --date 2025-03-18 "$N"
assert "the release's parent is the revision" test "$(g rev-parse "release/2025-03-18^")" = "$rev"
expect 0 "revised text still the version's text" show 104-10015-10052@2025-03-18 --text
out_has "STATION OBSERVATION POST"
expect 0 "releases lists five" releases --json
assert "five releases" test "$(jq '.releases | length' "$T/out")" = 5
expect 0 "verify after a release on a revision" verify
expect 0 "changes across the revision" changes 2023-06-27 2025-03-18 --json
assert "changes: the new record only, not the revised ones" \
	test "$(changed_records | tr '\n' ' ')" = "104-10999-10001 added "

## The record released again after the revision: each version keeps its own text
N2=$T/next2
mkdir "$N2"
printf 'A LATER RELEASE OF THE CABLE, READ BY HAND\n' >"$N2/104-10015-10052.txt"
expect 0 "ingest the record again" ingest --release 2025-06-01 --date 2025-06-01 "$N2"
expect 0 "the 2023 version keeps its revised text" show 104-10015-10052@2023-06-27 --text
out_has "STATION OBSERVATION POST"
expect 0 "as of 2025-03-18 too" show 104-10015-10052@2025-03-18 --text
out_has "STATION OBSERVATION POST"
expect 0 "the new version has its own" show 104-10015-10052@2025-06-01 --text
out_has "READ BY HAND"
expect 0 "log: four versions" log --json 104-10015-10052
assert "four versions, the revision on the third" \
	test "$(jq -r '[.versions[] | .text_revisions] | join(",")' "$T/out")" = "0,0,1,0"
expect 0 "verify" verify

## Mirrors carry the revision
expect 0 "clone an archive with a text revision" clone --json "$A" "$T/copy"
assert "clone: six releases, the revision is none" \
	test "$(jq '.releases | length' "$T/out")" = 6
expect 0 "the clone has the revised text" -C "$T/copy" show 104-10015-10052@2023-06-27 --text
out_has "STATION OBSERVATION POST"

## verify: a "revision" that changes released bytes is caught
F=$T/forged
cp -a "$A" "$F"
tree=$(git -C "$F" rev-parse "main^{tree}")
pdf=$(printf 'not the released file\n' | git -C "$F" hash-object -w --stdin)
folder=$(git -C "$F" ls-tree "$tree:records/104/10100/10001" |
	sed "s/[0-9a-f]\{40\}\t104-10100-10001.pdf/$pdf\t104-10100-10001.pdf/" | git -C "$F" mktree)
# Rebuild the tree up from the record folder.
rebuild() { # TREE PATH NEWOID: TREE with PATH's entry replaced by NEWOID
	git -C "$F" ls-tree "$1" | awk -v n="$2" -v o="$3" 'BEGIN{FS=OFS="\t"} $2==n{split($1,a," "); $1=a[1]" "a[2]" "o} {print}' |
		git -C "$F" mktree
}
t3=$(rebuild "$(git -C "$F" rev-parse "$tree:records/104/10100")" 10001 "$folder")
t2=$(rebuild "$(git -C "$F" rev-parse "$tree:records/104")" 10100 "$t3")
t1=$(rebuild "$(git -C "$F" rev-parse "$tree:records")" 104 "$t2")
t0=$(rebuild "$tree" records "$t1")
assert "the forged tree differs" test "$t0" != "$tree"
forged=$(printf 'Text revision\n\nText-Revision: 2025-06-01\n' |
	GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x \
		git -C "$F" commit-tree "$t0" -p main)
git -C "$F" update-ref refs/heads/main "$forged"
expect 1 "verify: a revision that changes a released file" -C "$F" verify
out_has "the text revision changed released file '104-10100-10001.pdf'"

## verify: a "revision" that rewrites a text that came with its release
## (issue 19, 1): a sidecar's words forged, meta.json's hashes updated to
## match, made with git plumbing as an attacker would.
G=$T/forged-text
cp -a "$A" "$G"
R=records/104/10004/10143
tree=$(git -C "$G" rev-parse "main^{tree}")
text=$(printf 'FORGED WORDS no release ever held\n' | git -C "$G" hash-object -w --stdin)
sha=$(printf 'FORGED WORDS no release ever held\n' | sha256sum | cut -c1-64)
meta=$(git -C "$G" show "main:$R/meta.json" | python3 -c "
import json, sys
m = json.load(sys.stdin)
assert m['text']['parts'][0]['source'] == 'sidecar', m['text']
for t in [m['text']] + m['text']['parts'][:1]:
    t['sha256'] = '$sha'; t['size'] = 34
print(json.dumps(m, indent=2, sort_keys=True))" | git -C "$G" hash-object -w --stdin)
folder=$(git -C "$G" ls-tree "$tree:$R" |
	sed -e "s/[0-9a-f]\{40\}\ttext.txt/$text\ttext.txt/" \
		-e "s/[0-9a-f]\{40\}\tmeta.json/$meta\tmeta.json/" | git -C "$G" mktree)
F=$G
t3=$(rebuild "$(git -C "$G" rev-parse "$tree:records/104/10004")" 10143 "$folder")
t2=$(rebuild "$(git -C "$G" rev-parse "$tree:records/104")" 10004 "$t3")
t1=$(rebuild "$(git -C "$G" rev-parse "$tree:records")" 104 "$t2")
t0=$(rebuild "$tree" records "$t1")
forged=$(printf 'Text revision\n\nText-Revision: 2025-06-01\nExtractor: poppler\n' |
	GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x \
		git -C "$G" commit-tree "$t0" -p main)
git -C "$G" update-ref refs/heads/main "$forged"
expect 0 "the forgery shows through show" -C "$G" show 104-10004-10143 --text
out_has "FORGED WORDS"
expect 1 "verify: a revision that rewrites a sidecar's text" -C "$G" verify
out_has "the text revision changed the text of '104-10004-10143[c00546914].pdf'"
out_has "which came with its release (source 'sidecar')"
assert "and nothing else is wrong with it" sh -c "! grep -q 'Text-Revision says' '$T/out'"

## Signed text revisions: verify --trust and pull --trust require them
openssl genpkey -algorithm ed25519 -out "$T/k.pem" 2>/dev/null
openssl pkey -in "$T/k.pem" -pubout -out "$T/k.pub.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub.pem" 2>/dev/null
S=$T/signed
new_archive signed
for r in 2017-10-26 2021-12-15 2022-12-15; do
	expect 0 "signed ingest $r" -C "$S" ingest --sign "$T/k.pem" --release $r --date $r \
		--manifest "$SAMPLE/$r/manifest.csv" "$SAMPLE/$r/files"
done
expect 0 "signed ingest 2023, no text" -C "$S" ingest --sign "$T/k.pem" --release 2023-06-27 \
	--date 2023-06-27 --manifest "$SAMPLE/2023-06-27/manifest.xlsx" --no-extract \
	"$SAMPLE/2023-06-27/files"
cp -a "$S" "$T/unsigned"
expect 0 "reextract --sign" -C "$S" reextract --sign "$T/k.pem" --release 2023-06-27
assert "the revision carries its signature" \
	sh -c "git -C '$S' log -1 --format=%B main | grep -q '^Declass-Signature: ed25519 '"
expect 0 "verify --trust: releases and the revision signed" -C "$S" verify --trust "$T/k.pub.pem"
out_has "4 of 4 releases and 1 of 1 text revisions signed by a trusted key: OK"
expect 1 "verify --trust another key" -C "$S" verify --trust "$T/other.pub.pem"
out_has "text revision"
out_has "which is not a trusted key"
expect 2 "reextract --sign with a public key" -C "$T/unsigned" reextract \
	--sign "$T/k.pub.pem" --release 2023-06-27
err_has "is a public key"
expect 0 "reextract unsigned" -C "$T/unsigned" reextract --release 2023-06-27
expect 0 "verify without --trust: an unsigned revision is fine" -C "$T/unsigned" verify
expect 1 "verify --trust: an unsigned revision fails" -C "$T/unsigned" verify \
	--trust "$T/k.pub.pem"
out_has "is not signed"
expect 0 "clone --trust of the signed archive" clone --trust "$T/k.pub.pem" "$S" "$T/mirror"
expect 1 "clone --trust refuses the unsigned revision" clone --trust "$T/k.pub.pem" \
	"$T/unsigned" "$T/mirror2"
# The signed revision's message altered after signing: the signature fails.
H=$T/altered
cp -a "$S" "$H"
msg=$(git -C "$H" log -1 --format=%B main | sed 's/^Revision-Scope: .*/Revision-Scope: all records/')
alt=$(printf '%s\n' "$msg" | GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x GIT_COMMITTER_NAME=x \
	GIT_COMMITTER_EMAIL=x git -C "$H" commit-tree "main^{tree}" -p main^)
git -C "$H" update-ref refs/heads/main "$alt"
expect 1 "verify --trust: an altered revision message" -C "$H" verify --trust "$T/k.pub.pem"
out_has "does not verify"

## A writer killed at each step of the commit: the archive holds the
## release or the whole revision, and the next reextract finishes the job.
# kill_at WHERE SYSCALL PATH N: SIGKILL on the Nth SYSCALL touching PATH.
kill_at() {
	X=$T/x
	rm -rf "$X"
	cp -a "$T/pre" "$X"
	kill_writer_at "$X" "$2" "$3" "$4" reextract --release 2023-06-27
	assert "$1: the writer was killed" test $? -eq 137
	tip=$(git -C "$X" rev-parse main)
	assert "$1: the release, or the whole revision after it" \
		test "$tip" = "$rel_tip" -o "$(git -C "$X" rev-parse "$tip^" 2>/dev/null)" = "$rel_tip"
	assert "$1: git fsck" git -C "$X" fsck --strict --no-dangling --no-progress
	expect 0 "$1: verify" -C "$X" verify
	expect 0 "$1: the next reextract" -C "$X" reextract --release 2023-06-27
	expect 0 "$1: the revised text" -C "$X" show 104-10015-10052 --text
	out_has "STATION OBSERVATION POST"
	assert "$1: one revision" test "$(git -C "$X" rev-list --count "$rel_tip..main")" = 1
	left=$(find "$X/declass-incoming" -mindepth 1 2>/dev/null | head -1)
	assert "$1: quarantine removed ($left)" test -z "$left"
}
if have_strace; then
	kill_at "objects migrated, before sync" syncfs . 1
	kill_at "branch lock written" rename refs/heads/main.lock 1
	kill_at "branch moved, before sync" syncfs . 2
else
	echo "skipped: kill points need strace and ptrace"
fi

## OCR where there was none: a real NARA scan (image-only) ingested with
## --ocr never gets its text from a later reextract.
SCAN=${DECLASS_SHARED:-$DECLASS_SOURCE_DIR/../shared}/data/jfk/pdf/2023/104-10165-10033.pdf
if [ ! -f "$SCAN" ]; then
	echo "skipped OCR case: $SCAN is missing"
elif ! ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 &&
	[ -z "${TESSDATA_PREFIX:-}" ]; then
	echo "skipped OCR case: no Tesseract English data (apt-get install tesseract-ocr-eng)"
else
	O=$T/ocr
	mkdir "$T/scan"
	cp "$SCAN" "$T/scan/"
	"$DECLASS" -C "$O" init >/dev/null
	expect 0 "ingest a scan without OCR" -C "$O" ingest --release 2023-06-27 \
		--date 2023-06-27 --ocr never "$T/scan"
	err_has "1 page left without text"
	expect 0 "no text before" -C "$O" show 104-10165-10033 --text
	assert "empty before" test ! -s "$T/out"
	expect 0 "reextract with OCR" -C "$O" reextract --json
	assert "one page read by OCR" test "$(jq -r .pages_ocr "$T/out")" = 1
	assert "no page missing now" test "$(jq -r .pages_missing "$T/out")" = 0
	expect 0 "the OCR text" -C "$O" show 104-10165-10033 --text
	out_has "Copenhagen"
	expect 0 "log names tesseract" -C "$O" log 104-10165-10033
	out_has "+ tesseract"
	expect 0 "verify" -C "$O" verify
	before=$(fingerprint "$O")
	expect 0 "read by these tools: left alone" -C "$O" reextract
	assert "nothing written" test "$(fingerprint "$O")" = "$before"
	# Without OCR, a forced re-read would lose the OCR text.
	expect 0 "forced, without OCR" -C "$O" reextract --force --ocr never
	err_has "would have lost text"
	out_has "nothing written"
	assert "the OCR text is kept" test "$(fingerprint "$O")" = "$before"
fi

finish
