# declass verify on the whole archive: a clean archive passes, and each
# fault injected below (with shell tools and plain git, on a fresh archive
# of the bundled sample) is caught, named by release/record/file, exit 1.
# Each case is named for what it must catch.
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@example.org
export GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@example.org

g() { git -C "$A" "$@"; }

# fresh NAME: an archive at $T/NAME holding the three sample releases; $A.
fresh() {
	A=$T/$1
	new_archive "$1"
	for r in 2017-10-26 2021-12-15 2022-12-15; do
		ingest_sample "$A" $r
	done
}

# obj FILE-SPEC: the loose object file of a blob, e.g. obj release/X:path.
obj() {
	id=$(g rev-parse "$1") || fail "no object $1"
	echo "$A/objects/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
}

# flip FILE OFFSET: invert one byte of a file in place.
flip() {
	chmod u+w "$1"
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# rewrite_tip PATH MODE FILE: rewrite history by hand: a copy of the tip
# commit (same message, same parent) whose tree has FILE's bytes at PATH,
# the branch and the tip's tag moved to it, as a forger would.
rewrite_tip() {
	blob=$(g hash-object -w --stdin <"$3")
	GIT_INDEX_FILE=$T/index g read-tree main
	GIT_INDEX_FILE=$T/index g update-index --add --cacheinfo "$2,$blob,$1"
	tree=$(GIT_INDEX_FILE=$T/index g write-tree)
	rm -f "$T/index"
	g log -1 --format=%B main >"$T/msg"
	new=$(g commit-tree "$tree" -p main^ -F "$T/msg")
	g update-ref refs/heads/main "$new"
	g cat-file tag release/2022-12-15 | sed '1,/^$/d' >"$T/tagmsg"
	g tag -f -a release/2022-12-15 -F "$T/tagmsg" "$new" >/dev/null
}

# caught DESC NAME KIND [RECORD]: verify exits 1 and prints "NAME: FAIL",
# and --json has a problem of KIND for NAME's release (and RECORD).
caught() {
	expect 1 "$1" -C "$A" verify
	out_has "$2: FAIL"
	"$DECLASS" -C "$A" verify --json >"$T/json"
	assert "$1: --json has a $3 problem" python3 -c "
import json,sys
d=json.load(open('$T/json'))
assert d['ok'] is False and d['counts']['problems']==len(d['problems'])>0, d
hit=[p for p in d['problems'] if p['kind']=='$3' and p['release']=='$2'.split('/')[0]
     and p['record']==('${4:-}' or p['record'])]
assert hit, d['problems']
"
}

echo "== clean archive exits 0"
fresh clean
expect 0 "clean archive" -C "$A" verify
out_has "verify: 3 releases, 3 tags"
out_has ": OK"
assert "clean: nothing failed" sh -c "! grep -q FAIL '$T/out'"
expect 0 "clean --quiet" -C "$A" verify --quiet
assert "clean --quiet prints nothing" test ! -s "$T/out"
expect 0 "clean --json" -C "$A" verify --json
assert "clean --json" python3 -c "
import json; d=json.load(open('$T/out'))
assert d['schema']==1 and d['mode']=='archive' and d['ok'] is True and d['problems']==[], d
c=d['counts']; assert c['releases']==3 and c['tags']==3 and c['blobs']==17 and c['problems']==0, c
assert c['file_versions']>=c['blobs'] and c['objects']>c['blobs'], c
"
expect 0 "clean, one thread" -C "$A" verify --jobs 1
git -C "$A" repack -adq
expect 0 "clean archive, packed" -C "$A" verify
out_has ": OK"

echo "== a flipped byte in a loose object"
fresh flipped
f=$(obj release/2021-12-15:records/124/10001/10001/124-10001-10001.pdf)
flip "$f" $(($(stat -c %s "$f") / 2))
caught "flipped byte" 2021-12-15/124-10001-10001/124-10001-10001.pdf object-corrupt 124-10001-10001

echo "== an object replaced by another object's bytes"
fresh replaced
f=$(obj release/2021-12-15:records/124/10001/10001/124-10001-10001.pdf)
chmod u+w "$f"
cp "$(obj release/2017-10-26:records/104/10015/10052/104-10015-10052.pdf)" "$f"
caught "replaced object" 2021-12-15/124-10001-10001/124-10001-10001.pdf object-corrupt 124-10001-10001
assert "replaced: says it does not hash to its id" grep -q "not to its id\|does not hash to its id" "$T/out"

echo "== a missing object"
fresh missing
rm -f "$(obj release/2017-10-26:records/104/10004/10143/text.txt)"
caught "missing object" 2017-10-26/104-10004-10143/text.txt object-missing 104-10004-10143
out_has "missing from the archive"

echo "== a truncated file"
fresh truncated
f=$(obj 'release/2022-12-15:records/104/10004/10143/104-10004-10143[c00546914].pdf')
chmod u+w "$f"
truncate -s $(($(stat -c %s "$f") / 2)) "$f"
caught "truncated object" '2022-12-15/104-10004-10143/104-10004-10143[c00546914].pdf' object-corrupt 104-10004-10143

echo "== a meta.json whose sha256 was edited"
fresh meta
g show 'main:records/104/10004/10143/meta.json' >"$T/meta.json"
old=$(sha256sum <"$SAMPLE/2022-12-15/files/104-10004-10143[c06932208].pdf" | cut -d' ' -f1)
sed "s/$old/$(echo "$old" | tr 0-9a-f 1-9a-f0)/" "$T/meta.json" >"$T/meta2.json"
assert "meta.json was edited" sh -c "! cmp -s '$T/meta.json' '$T/meta2.json'"
rewrite_tip records/104/10004/10143/meta.json 100644 "$T/meta2.json"
caught "meta.json sha256 edited" '2022-12-15/104-10004-10143/104-10004-10143[c06932208].pdf' sha256-mismatch 104-10004-10143
out_has "meta.json's"

echo "== a releases/ID.json edited"
fresh reljson
g show main:releases/2022-12-15.json | sed 's/"size":4470/"size":4471/' >"$T/rel.json"
rewrite_tip releases/2022-12-15.json 100644 "$T/rel.json"
caught "releases/ID.json edited" 2022-12-15/releases/2022-12-15.json release-json
out_has "changed after the release was committed"
caught "releases/ID.json edited: size" '2022-12-15/104-10004-10143/104-10004-10143[c06932208].pdf' size-mismatch 104-10004-10143

echo "== an older release's releases/ID.json rewritten in a later commit"
fresh oldjson
g show main:releases/2017-10-26.json | sed 's/"records": 3/"records": 4/' >"$T/rel.json"
rewrite_tip releases/2017-10-26.json 100644 "$T/rel.json"
caught "older releases/ID.json rewritten" 2022-12-15/releases/2017-10-26.json release-json
out_has "differs from the one release 2017-10-26 wrote"

echo "== a tag moved to another commit"
fresh tagmoved
g tag -f release/2021-12-15 'release/2017-10-26^{commit}' >/dev/null
caught "tag moved" 2021-12-15 tag
out_has "the tag was moved"

echo "== an annotated tag moved to another commit"
fresh tagmoved2
g cat-file tag release/2021-12-15 | sed '1,/^$/d' >"$T/tagmsg"
g tag -f -a release/2021-12-15 -F "$T/tagmsg" 'release/2022-12-15^{commit}' >/dev/null
caught "annotated tag moved" 2021-12-15 tag
out_has "points at commit"

echo "== an extra unexpected commit"
fresh extra
new=$(g commit-tree 'main^{tree}' -p main -m "an innocent-looking change")
g update-ref refs/heads/main "$new"
expect 1 "extra commit" -C "$A" verify
out_has "commit $(echo "$new" | cut -c1-12)"
out_has "not a release commit"

echo "== a merge in the history"
fresh merge
new=$(g commit-tree 'main^{tree}' -p main -p 'release/2017-10-26^{commit}' -m "a merge")
g update-ref refs/heads/main "$new"
expect 1 "merge" -C "$A" verify
out_has "the history must be linear"

echo "== a record folder outside its place"
fresh escaped
g show 'main:records/124/10001/10001/meta.json' >"$T/meta.json"
rewrite_tip records/_/elsewhere/meta.json 100644 "$T/meta.json"
caught "record out of place" 2022-12-15/records/_/elsewhere path-unsafe 124-10001-10001
out_has "but its place is 'records/124/10001/10001'"

echo "== a symbolic link in a record folder"
fresh symlink
printf '../../../../etc/passwd' >"$T/link"
rewrite_tip records/124/10001/10001/evil.pdf 120000 "$T/link"
caught "symlink in record" 2022-12-15/124-10001-10001/evil.pdf path-unsafe 124-10001-10001
out_has "a symbolic link"

echo "== an archive that cannot be opened exits 3"
expect 3 "no archive" -C "$T/nowhere" verify
mkdir "$T/plain" && git init -q --bare "$T/plain"
expect 3 "not a declass archive" -C "$T/plain" verify

echo "== an empty archive is fine"
new_archive empty
expect 0 "empty archive" -C "$T/empty" verify
out_has "0 releases"

echo "== usage"
expect 0 "--help" verify --help
out_has "Example:"
expect 2 "--tranche without --manifest" verify --tranche "$T"
expect 2 "bad --jobs" -C "$T/clean" verify --jobs 0

finish
