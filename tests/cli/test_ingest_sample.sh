# Ingest the three sample releases and check the archive with the plain git
# CLI and sha256sum as independent readers.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
for r in 2017-10-26 2021-12-15 2022-12-15; do
	expect 0 "ingest $r" -C "$A" ingest --release $r --date $r --title "sample $r" \
		--source "https://example.org/$r" --manifest "$SAMPLE/$r/manifest.csv" "$SAMPLE/$r/files"
	out_has "ingested release $r"
done

g() { git -C "$A" "$@"; }

# Bare, linear, one commit per release, each tagged.
assert "archive is bare" test "$(g rev-parse --is-bare-repository)" = true
assert "three commits" test "$(g rev-list --count main)" -eq 3
assert "no merges" test -z "$(g rev-list --merges main)"
assert "tags" test "$(g tag -l 'release/*' | tr '\n' ' ')" = "release/2017-10-26 release/2021-12-15 release/2022-12-15 "
for r in 2017-10-26 2021-12-15 2022-12-15; do
	assert "tag $r is annotated" test "$(g cat-file -t release/$r)" = tag
	assert "trailer Release-Id $r" sh -c "git -C '$A' log -1 --format=%B release/$r | grep -qx 'Release-Id: $r'"
done
assert "tip is 2022" test "$(g rev-parse main)" = "$(g rev-parse 'release/2022-12-15^{commit}')"
assert "history order" test "$(g log --format='%(trailers:key=Release-Id,valueonly)' main | tr -d '\n' | tr -s ' ')" = "2022-12-152021-12-152017-10-26"
g log -1 --format=%B release/2021-12-15 >"$T/msg"
for k in Release-Date Source Manifest-SHA256 Ingested-By Tool-Version; do
	assert "trailer $k" grep -q "^$k: " "$T/msg"
done
assert "Manifest-SHA256 is the manifest's" grep -qx "Manifest-SHA256: $(sha256sum <"$SAMPLE/2021-12-15/manifest.csv" | cut -d' ' -f1)" "$T/msg"

# Blob bytes are the released bytes; meta.json and releases/ID.json carry their SHA-256.
check_file() { # release record-path file sample-file
	g cat-file blob "release/$1:$2/$3" >"$T/blob" || { fail "no $2/$3 at $1"; return; }
	assert "$2/$3 at $1 is byte-exact" cmp -s "$T/blob" "$4"
	sum=$(sha256sum <"$4" | cut -d' ' -f1)
	g show "release/$1:$2/meta.json" >"$T/meta.json"
	assert "meta.json sha256 of $3" grep -q "\"sha256\": \"$sum\"" "$T/meta.json"
	g show "release/$1:releases/$1.json" >"$T/rel.json"
	assert "releases/$1.json lists $3" grep -q "\"sha256\":\"$sum\"" "$T/rel.json"
}
check_file 2017-10-26 records/104/10004/10143 104-10004-10143.pdf "$SAMPLE/2017-10-26/files/104-10004-10143.pdf"
check_file 2017-10-26 records/104/10004/10143 text.txt "$SAMPLE/2017-10-26/files/104-10004-10143.txt"
check_file 2021-12-15 records/104/10004/10143 104-10004-10143.pdf "$SAMPLE/2021-12-15/files/104-10004-10143.pdf"
check_file 2022-12-15 records/104/10004/10143 '104-10004-10143[c06932208].pdf' "$SAMPLE/2022-12-15/files/104-10004-10143[c06932208].pdf"
check_file 2022-12-15 records/_/docid-32106269 docid-32106269.pdf "$SAMPLE/2022-12-15/files/docid-32106269.pdf"

# A record absent from a tranche keeps its previous version.
assert "104-10015-10052 unchanged in 2021" test \
	"$(g rev-parse release/2017-10-26:records/104/10015/10052)" = "$(g rev-parse release/2021-12-15:records/104/10015/10052)"
# A record present replaces its files: the 2021 PDF is gone in 2022.
assert "old file replaced" test -z "$(g ls-tree --name-only release/2022-12-15 records/104/10004/10143/104-10004-10143.pdf)"
# Several files: text is their texts joined by a form feed, in manifest order.
{ cat "$SAMPLE/2022-12-15/files/104-10004-10143[c00546914].txt"; printf '\f'; cat "$SAMPLE/2022-12-15/files/104-10004-10143[c06932208].txt"; } >"$T/joined"
g cat-file blob release/2022-12-15:records/104/10004/10143/text.txt >"$T/text"
assert "multi-file text" cmp -s "$T/joined" "$T/text"

# Plain git diff shows the released words.
g diff --word-diff release/2017-10-26 release/2021-12-15 -- records/104/10004/10143/text.txt >"$T/diff"
assert "git diff shows Kostikov released" grep -qF '[-[REDACTED]-]{+Kostikov+}' "$T/diff"
assert "git diff shows Department 13" grep -qF '{+Department 13,+}' "$T/diff"

# Manifest fields become record metadata (dates in ISO form).
g show release/2021-12-15:records/104/10004/10143/meta.json >"$T/meta.json"
assert "release_type from manifest" grep -q '"release_type": "Redact"' "$T/meta.json"
assert "release id in meta" grep -q '"release": "2021-12-15"' "$T/meta.json"

assert "git fsck --strict" sh -c "git -C '$A' fsck --strict --no-dangling 2>&1 | grep -v '^Checking' | { ! grep -q .; }"

# releases, human and JSON.
expect 0 "releases" -C "$A" releases
out_has "2021-12-15"
expect 0 "releases --json" -C "$A" releases --json
assert "releases --json parses" python3 -c "
import json,sys; d=json.load(open('$T/out'))
assert d['schema']==1, d
r=d['releases']; assert [x['id'] for x in r]==['2017-10-26','2021-12-15','2022-12-15'], r
assert r[1]['records']==2 and r[1]['files']==2 and r[1]['tag']=='release/2021-12-15', r[1]
assert r[0]['source']=='https://example.org/2017-10-26'
assert len(r[2]['commit'])==40
"

# Same release again, identical content: a no-op that says so.
before=$(fingerprint "$A")
expect 0 "re-ingest identical" -C "$A" ingest --release 2021-12-15 --date 2021-12-15 --title "sample 2021-12-15" \
	--source "https://example.org/2021-12-15" --manifest "$SAMPLE/2021-12-15/manifest.csv" "$SAMPLE/2021-12-15/files"
out_has "already in the archive with identical content"
assert "no-op leaves archive unchanged" test "$before" = "$(fingerprint "$A")"

# Same release id, other content: refused.
cp -r "$SAMPLE/2021-12-15" "$T/changed"
echo "one more line" >>"$T/changed/files/124-10001-10001.txt"
expect 2 "re-ingest different" -C "$A" ingest --release 2021-12-15 --date 2021-12-15 --title "sample 2021-12-15" \
	--source "https://example.org/2021-12-15" --manifest "$T/changed/manifest.csv" "$T/changed/files"
err_has "already in the archive with different content"
assert "refusal leaves archive unchanged" test "$before" = "$(fingerprint "$A")"

# Without a manifest the record is the file name's stem, suffixes dropped.
new_archive b
expect 0 "ingest without manifest" -C "$T/b" ingest --release 2022-12-15 --date 2022-12-15 "$SAMPLE/2022-12-15/files"
out_has "3 records, 4 files"
assert "suffixed files under one record" test "$(git -C "$T/b" ls-tree --name-only main records/104/10004/10143/ | wc -l)" -eq 4

finish
