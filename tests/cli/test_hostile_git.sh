# Hostile mirrors and hostile bags (issue 19): what Git itself does with an
# archive, and what a bag claims beyond its files.
#   - `git gc` and `git maintenance` work on an archive (gc.auto is an
#     integer), and a writer mends an archive made with the old `false`;
#   - replace refs, grafts and a `shallow` file, which make `git show`,
#     `git log` and `git diff` show other objects than the archive holds,
#     are reported by `declass verify`;
#   - a bag whose fetch.txt lists files it does not hold is incomplete
#     (RFC 8493), and fetch.txt is checked like a manifest.
. "$(dirname "$0")/lib.sh"

R=104-10004-10143
TXT=records/104/10004/10143/text.txt

## git gc on an archive (defect 8)
A=$T/a
new_archive a
ingest_sample "$A" 2017-10-26
assert "init writes gc.auto = 0" test "$(git -C "$A" config gc.auto)" = 0
assert "git gc works on an archive" git -C "$A" gc --quiet
assert "git maintenance works on an archive" git -C "$A" maintenance run --task=gc --quiet
assert "git fsck after gc" git -C "$A" fsck --strict --no-progress
ingest_sample "$A" 2021-12-15
expect 0 "verify a packed archive" -C "$A" verify
out_has ": OK"

# An archive made by an older declass, with gc.auto = false.
git -C "$A" config --bool gc.auto false
cp "$A/config" "$T/config.before"
expect 0 "a reader" -C "$A" verify
assert "a reader leaves the config alone" cmp -s "$A/config" "$T/config.before"
assert "git gc fails on gc.auto = false" sh -c "! git -C '$A' gc --quiet 2>/dev/null"
ingest_sample "$A" 2022-12-15
assert "a writer mends gc.auto" test "$(git -C "$A" config gc.auto)" = 0
assert "the rest of the config kept" test "$(git -C "$A" config declass.formatVersion)" = \
	"$(git config -f "$T/config.before" declass.formatVersion)"
assert "git gc works after the writer" git -C "$A" gc --quiet
expect 0 "verify after the mend and gc" -C "$A" verify
# Any value Git cannot read as a number is mended; a number is kept.
# (A release ingested again is a writer with nothing to do.)
git -C "$A" config gc.auto nonsense
ingest_sample "$A" 2022-12-15
assert "gc.auto = nonsense mended" test "$(git -C "$A" config gc.auto)" = 0
git -C "$A" config gc.auto 6700
ingest_sample "$A" 2022-12-15
assert "gc.auto = 6700 kept" test "$(git -C "$A" config gc.auto)" = 6700
git -C "$A" config gc.auto 1k
ingest_sample "$A" 2022-12-15
assert "gc.auto = 1k kept" test "$(git -C "$A" config gc.auto)" = 1k

## replace refs and grafts (defect 13)
M=$T/m
new_archive m
ingest_sample "$M" 2017-10-26
ingest_sample "$M" 2021-12-15
git -C "$M" gc --quiet # packed objects and refs, as a mirror has them
cp -a "$M" "$T/m.clean"
old=$(git -C "$M" rev-parse "release/2021-12-15:$TXT")
new=$(printf 'Kostikov was never mentioned.\n' | git -C "$M" hash-object -w --stdin)
git -C "$M" replace "$old" "$new"
assert "git show shows the forgery" sh -c "git -C '$M' show 'release/2021-12-15:$TXT' | grep -q 'never mentioned'"
expect 1 "verify reports a replace ref" -C "$M" verify
out_has "refs/replace/$old"
out_has "update-ref -d refs/replace/$old"
out_has "problem"
expect 1 "verify --json: kind replaced" -C "$M" verify --json
assert "json names the replace ref" python3 -c "
import json; d=json.load(open('$T/out')); ps=[p for p in d['problems'] if p['kind']=='replaced']
assert len(ps)==1 and ps[0]['path']=='refs/replace/$old' and ps[0]['object']=='$new', d['problems']"
expect 1 "verify --quiet still fails" -C "$M" verify --quiet

# Packed: git pack-refs moves it into packed-refs.
git -C "$M" pack-refs --all
assert "replace ref packed" grep -q "refs/replace/$old" "$M/packed-refs"
expect 1 "verify reports a packed replace ref" -C "$M" verify
out_has "refs/replace/$old"
git -C "$M" update-ref -d "refs/replace/$old"
expect 0 "verify once it is removed" -C "$M" verify

# A replaced commit: git log shows another history.
c1=$(git -C "$M" rev-parse 'release/2017-10-26^{commit}')
c2=$(git -C "$M" rev-parse 'release/2021-12-15^{commit}')
fake=$(git -C "$M" commit-tree -m forged "$(git -C "$M" rev-parse "$c2^{tree}")")
git -C "$M" replace "$c2" "$fake"
expect 1 "verify reports a replaced commit" -C "$M" verify
out_has "refs/replace/$c2"
git -C "$M" replace -d "$c2" >/dev/null

# info/grafts: git log sees other parents.
mkdir -p "$M/info"
echo "$c2" >"$M/info/grafts"
assert "git log follows the graft" test "$(git -C "$M" rev-list --count main 2>/dev/null)" = 1
expect 1 "verify reports info/grafts" -C "$M" verify
out_has "info/grafts: FAIL git log, git show and git diff see other parents"
out_has "rm '$M/info/grafts'"
rm "$M/info/grafts"

# shallow: the same, as a shallow clone writes it.
echo "$c2" >"$M/shallow"
expect 1 "verify reports a shallow file" -C "$M" verify
out_has "shallow"
rm "$M/shallow"
before=$(fingerprint "$M")
expect 0 "verify of the mended mirror" -C "$M" verify
assert "verify changed nothing" test "$(fingerprint "$M")" = "$before"

## fetch.txt in a bag (defect 18)
expect 0 "export" -C "$T/m.clean" export --bag "$T/bag" 2021-12-15
B=$T/bag
PDF=data/records/104/10004/10143/$R.pdf
bag() {
	C=$T/bag-$1
	cp -r "$B" "$C"
}

bag absent
printf 'https://example.org/jfk/x.pdf 5000 data/records/x.pdf\n' >"$C/fetch.txt"
expect 1 "a fetch.txt file that is absent and unlisted" verify --bag "$C"
out_has "data/records/x.pdf: FAIL not fetched"
out_has "incomplete"
out_has "data/records/x.pdf: FAIL listed in fetch.txt but not in manifest-sha256.txt"

bag hole
size=$(stat -c %s "$C/$PDF")
rm "$C/$PDF"
printf 'https://example.org/jfk/%s.pdf %s %s\n' "$R" "$size" "$PDF" >"$C/fetch.txt"
expect 1 "a bag with a hole to fetch" verify --bag "$C"
out_has "$PDF: FAIL not fetched: fetch.txt lists it at https://example.org/jfk/$R.pdf"
assert "said once" test "$(grep -c "^$PDF:" "$T/out")" -eq 1
out_has "incomplete"
out_has "incomplete, 1 file of fetch.txt to fetch: 1 problem"
expect 1 "--json: incomplete" verify --json --bag "$C"
assert "json: one file to fetch" python3 -c "
import json; d=json.load(open('$T/out')); assert d['ok'] is False and d['unfetched']==1, d"
# Fetched: the same fetch.txt with the file in place is a complete bag.
cp "$T/bag/$PDF" "$C/$PDF"
expect 0 "the hole fetched" verify --bag "$C"
expect 0 "--json: complete" verify --json --bag "$C"
assert "json: nothing to fetch" python3 -c "
import json; d=json.load(open('$T/out')); assert d['ok'] is True and d['unfetched']==0, d"

bag length
printf 'https://example.org/jfk/x.pdf 12 %s\n' "$PDF" >"$C/fetch.txt"
expect 1 "fetch.txt length differs from the file" verify --bag "$C"
out_has "$PDF: FAIL fetch.txt gives 12 bytes, the file has"

bag lines
printf 'not-a-line\n' >"$C/fetch.txt"
printf 'relative/x.pdf - %s\n' "$PDF" >>"$C/fetch.txt"
printf 'https://example.org/b 12x %s\n' "$PDF" >>"$C/fetch.txt"
printf 'https://example.org/t - bag-info.txt\n' >>"$C/fetch.txt"
printf 'https://example.org/e - data/../../etc/passwd\n' >>"$C/fetch.txt"
printf 'https://example.org/a - %s\n' "$PDF" >>"$C/fetch.txt"
printf 'https://example.org/a2 - %s\n' "$PDF" >>"$C/fetch.txt"
expect 1 "malformed fetch.txt lines" verify --bag "$C"
out_has "fetch.txt: FAIL line 1: not 'URL LENGTH PATH'"
out_has "fetch.txt: FAIL line 2: 'relative/x.pdf' is not an absolute URL"
out_has "fetch.txt: FAIL line 3: length '12x' is not a number of bytes or '-'"
out_has "fetch.txt: FAIL line 4: path 'bag-info.txt' is outside the payload (data/)"
out_has "fetch.txt: FAIL line 5: path 'data/../../etc/passwd' is outside the payload (data/)"
out_has "fetch.txt: FAIL line 7: '$PDF' listed twice"

bag spaces
printf 'https://example.org/a%%20b.txt\t-  data/x/a b%%25.txt\n' >"$C/fetch.txt"
expect 1 "a name to fetch with a space and a percent" verify --bag "$C"
out_has "data/x/a b%.txt: FAIL not fetched: fetch.txt lists it at https://example.org/a%20b.txt"

finish
