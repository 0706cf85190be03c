# declass export --bag and verify --bag: a release as a BagIt bag (RFC 8493),
# checked by our validator and, independently, by sha256sum/sha512sum and
# the shell; then tampered with in each way a bag can break.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
for r in 2017-10-26 2021-12-15 2022-12-15; do ingest_sample "$A" $r; done
B=$T/bag
R=104-10004-10143

## export
expect 0 "export" -C "$A" export --bag "$B" 2021-12-15
out_has "bagged release 2021-12-15"
assert "bagit.txt" sh -c "printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' | cmp -s - '$B/bagit.txt'"
for f in manifest-sha256.txt manifest-sha512.txt tagmanifest-sha256.txt bag-info.txt data/releases/2021-12-15.json \
	data/records/104/10004/10143/meta.json data/records/104/10004/10143/text.txt \
	data/records/124/10001/10001/124-10001-10001.pdf; do
	assert "bag has $f" test -f "$B/$f"
done
assert "only the records the release included" sh -c "! test -e '$B/data/records/104/10015'"
assert "released bytes exact" cmp -s "$B/data/records/104/10004/10143/$R.pdf" "$SAMPLE/2021-12-15/files/$R.pdf"
assert "text exact" cmp -s "$B/data/records/104/10004/10143/text.txt" "$SAMPLE/2021-12-15/files/$R.txt"
git -C "$A" show release/2021-12-15:releases/2021-12-15.json >"$T/rel.json"
assert "release manifest exact" cmp -s "$B/data/releases/2021-12-15.json" "$T/rel.json"

# Independent readers: coreutils check every manifest.
assert "sha256sum -c manifest" sh -c "cd '$B' && sha256sum --quiet --strict -c manifest-sha256.txt"
assert "sha512sum -c manifest" sh -c "cd '$B' && sha512sum --quiet --strict -c manifest-sha512.txt"
assert "sha256sum -c tagmanifest" sh -c "cd '$B' && sha256sum --quiet --strict -c tagmanifest-sha256.txt"
assert "sha512sum -c tagmanifest" sh -c "cd '$B' && sha512sum --quiet --strict -c tagmanifest-sha512.txt"
(cd "$B" && find data -type f | LC_ALL=C sort) >"$T/files"
cut -d' ' -f3- "$B/manifest-sha256.txt" | LC_ALL=C sort >"$T/listed256"
cut -d' ' -f3- "$B/manifest-sha512.txt" | LC_ALL=C sort >"$T/listed512"
assert "manifest-sha256 lists exactly the payload" cmp -s "$T/files" "$T/listed256"
assert "manifest-sha512 lists exactly the payload" cmp -s "$T/files" "$T/listed512"
assert "tag manifest covers the tag files" sh -c "cut -d' ' -f3- '$B/tagmanifest-sha256.txt' | sort | tr '\n' ' ' | grep -qx 'bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt '"
oxum="$(cd "$B" && find data -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s }').$(wc -l <"$T/files")"
assert "Payload-Oxum is the payload ($oxum)" grep -qx "Payload-Oxum: $oxum" "$B/bag-info.txt"
assert "Bagging-Date from SOURCE_DATE_EPOCH" grep -qx "Bagging-Date: 2023-11-14" "$B/bag-info.txt"
assert "provenance: release" grep -qx "Declass-Release-Id: 2021-12-15" "$B/bag-info.txt"
assert "provenance: commit" grep -qx "Declass-Release-Commit: $(git -C "$A" rev-parse 'release/2021-12-15^{commit}')" "$B/bag-info.txt"
assert "provenance: identifier" grep -qx "External-Identifier: release/2021-12-15" "$B/bag-info.txt"
assert "provenance: manifest hash" grep -qx "Declass-Manifest-SHA256: $(sha256sum <"$SAMPLE/2021-12-15/manifest.csv" | cut -c1-64)" "$B/bag-info.txt"
assert "bag-info lines are 'Label: value'" sh -c "! grep -vE '^[A-Za-z0-9-]+: .+$' '$B/bag-info.txt'"

expect 0 "export --json --all" -C "$A" export --json --all --bag "$T/all" 2021-12-15
assert "--all: every record as of the release" python3 -c "
import json; d=json.load(open('$T/out')); assert d['records']==4 and d['all'] is True and d['schema']==1, d"
assert "--all holds a record the release did not include" test -f "$T/all/data/records/104/10015/10052/meta.json"
assert "--all record as of the release" cmp -s "$T/all/data/records/104/10015/10052/text.txt" "$SAMPLE/2017-10-26/files/104-10015-10052.txt"
expect 0 "two-file record" -C "$A" export --bag "$T/b22" 2022-12-15
assert "both files" sh -c "test -f '$T/b22/data/records/104/10004/10143/$R[c00546914].pdf' && test -f '$T/b22/data/records/104/10004/10143/$R[c06932208].pdf'"
assert "odd record id kept escaped" test -f "$T/b22/data/records/_/docid-32106269/docid-32106269.pdf"

# A record id outside NARA's shape lives in an escaped folder (CE%20399):
# manifests percent-encode its '%' (RFC 8493), and verify decodes it.
mkdir -p "$T/ce/files"
printf 'File Name,Record Num,Title\nce399.txt,CE 399,Bullet\n' >"$T/ce/manifest.csv"
echo "Commission Exhibit 399." >"$T/ce/files/ce399.txt"
"$DECLASS" -C "$A" ingest --release 2023-01-01 --date 2023-01-01 --manifest "$T/ce/manifest.csv" \
	"$T/ce/files" >/dev/null || fail "ingest CE 399"
expect 0 "export a record in an escaped folder" -C "$A" export --bag "$T/bce" 2023-01-01
assert "folder as in the archive" test -f "$T/bce/data/records/_/CE%20399/ce399.txt"
assert "'%' percent-encoded in the manifest" grep -q '  data/records/_/CE%2520399/ce399.txt$' "$T/bce/manifest-sha256.txt"
expect 0 "verify decodes it" verify --bag "$T/bce"

expect 2 "export into an existing folder" -C "$A" export --bag "$B" 2021-12-15
err_has "already exists"
expect 2 "export of an unknown release" -C "$A" export --bag "$T/nope" 1999-01-01
assert "nothing left behind" sh -c "! ls '$T' | grep -qE '^nope'"
expect 2 "export without --bag" -C "$A" export 2021-12-15
expect 0 "export --help" export --help
out_has "Example:"

## verify --bag
expect 0 "verify a good bag" verify --bag "$B"
out_has "verify: bag '$B': 7 files"
out_has "sha256 sha512 checked: OK"
expect 0 "verify --json" verify --json --bag "$B"
assert "json ok" python3 -c "
import json; d=json.load(open('$T/out')); assert d['ok'] is True and d['problems']==[] and d['files']==7 and d['mode']=='bag', d"
expect 0 "verify --quiet" verify --quiet --bag "$B"
assert "quiet is quiet" test ! -s "$T/out"
expect 2 "verify --bag of a missing folder" verify --bag "$T/missing"
expect 2 "--bag with files" verify --bag "$B" x.pdf

# tamper NAME: a fresh copy of the bag at $T/t-NAME, in $C.
tamper() {
	C=$T/t-$1
	cp -r "$B" "$C"
}
# caught DESC LINE: verify --bag $C exits 1 and prints LINE.
caught() {
	expect 1 "$1" verify --bag "$C"
	out_has "$2"
}
PDF=data/records/104/10004/10143/$R.pdf

tamper flip
printf '\x01' | dd of="$C/$PDF" bs=1 seek=100 conv=notrunc status=none
caught "a flipped byte" "$PDF: FAIL sha256 checksum mismatch"
out_has "$PDF: FAIL sha512 checksum mismatch"
assert "one file at fault" test "$(grep -c FAIL "$T/out")" -eq 2

tamper delete
rm "$C/data/records/104/10004/10143/text.txt"
caught "a deleted file" "data/records/104/10004/10143/text.txt: FAIL listed in the manifest but missing from the bag"
out_has "bag-info.txt: FAIL Payload-Oxum"

tamper stray
echo "not released" >"$C/data/records/104/10004/10143/extra.txt"
caught "a stray file" "data/records/104/10004/10143/extra.txt: FAIL not listed in manifest-sha256.txt"
out_has "extra.txt: FAIL not listed in manifest-sha512.txt"

tamper info
sed -i 's/^Declass-Release-Id: .*/Declass-Release-Id: 2099-01-01/' "$C/bag-info.txt"
caught "edited bag-info.txt" "bag-info.txt: FAIL sha256 checksum mismatch (tag manifest"

tamper oxum
sed -i 's/^Payload-Oxum: .*/Payload-Oxum: 1.1/' "$C/bag-info.txt"
(cd "$C" && sha256sum bagit.txt bag-info.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-sha256.txt &&
	sha512sum bagit.txt bag-info.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-sha512.txt)
caught "a wrong Payload-Oxum (tag manifests updated)" "bag-info.txt: FAIL Payload-Oxum 1.1, the payload is"

tamper manifest
sed -i '1s/^./0/;1s/^0/1/' "$C/manifest-sha256.txt"
caught "an edited manifest" "manifest-sha256.txt: FAIL sha256 checksum mismatch (tag manifest"

tamper nobagit
rm "$C/bagit.txt"
caught "no bagit.txt" "bagit.txt: FAIL missing: this is not a bag"

tamper escape
(cd "$C" && printf '%s  data/../../etc/passwd\n' "$(sha256sum </etc/hostname | cut -c1-64)" >>manifest-sha256.txt)
caught "a manifest path leaving the payload" "manifest-sha256.txt: FAIL line 8: path 'data/../../etc/passwd' is outside the payload"

tamper symlink
ln -s /etc/hostname "$C/data/link"
caught "a symlink in the payload" "data/link: FAIL not a regular file"

tamper badline
echo "garbage" >>"$C/manifest-sha512.txt"
caught "a malformed manifest line" "manifest-sha512.txt: FAIL line 8: not '<sha512 checksum> <path>'"

tamper json
printf 'x' >>"$C/$PDF"
expect 1 "verify --json of a tampered bag" verify --json --bag "$C"
assert "json names the file" python3 -c "
import json; d=json.load(open('$T/out')); assert d['ok'] is False
assert any(p['path']=='$PDF' and 'sha256' in p['message'] for p in d['problems']), d['problems']"

finish
