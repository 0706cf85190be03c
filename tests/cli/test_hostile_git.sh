# Hostile mirrors and hostile bags (issue 19): what Git itself does with an
# archive, and what a bag claims beyond its files.
#   - `git gc` and `git maintenance` work on an archive (gc.auto is an
#     integer), and a writer mends an archive made with the old `false`.
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

finish
