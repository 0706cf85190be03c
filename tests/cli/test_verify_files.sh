# declass verify FILE... (loose files identified by SHA-256) and
# declass verify --tranche DIR --manifest FILE (a download checked before
# ingest), on the bundled sample.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
for r in 2017-10-26 2021-12-15 2022-12-15; do
	ingest_sample "$A" $r
done
S=$SAMPLE

echo "== a released file is identified, with the releases that kept it"
expect 0 "known file" -C "$A" verify "$S/2021-12-15/files/124-10001-10001.pdf"
out_has "124-10001-10001.pdf: OK matches 124-10001-10001 (124-10001-10001.pdf) as released 2021-12-15 (and unchanged in 2022-12-15)"
expect 0 "file replaced later" -C "$A" verify "$S/2017-10-26/files/104-10015-10052.pdf"
out_has "as released 2017-10-26 (and unchanged in 2021-12-15)"
assert "not unchanged in 2022, which re-released it" sh -c "! grep -q '2022-12-15' '$T/out'"
expect 0 "newest version" -C "$A" verify "$S/2022-12-15/files/104-10015-10052.pdf"
out_has "as released 2022-12-15"
expect 0 "text sidecar is the record's text" -C "$A" verify "$S/2017-10-26/files/104-10004-10143.txt"
out_has "matches 104-10004-10143 (text.txt) as released 2017-10-26"
out_has "verify: 1 file: 1 in the archive, 0 not (OK)"

echo "== a file not in the archive"
printf 'nothing like a record\n' >"$T/stray.bin"
expect 1 "unknown file" -C "$A" verify "$T/stray.bin"
out_has "stray.bin: FAIL not in the archive"
assert "no closest for a stray file" sh -c "! grep -q closest '$T/out'"

echo "== a file with a record's name but other bytes: the nearest version"
mkdir "$T/dl"
{ cat "$S/2021-12-15/files/104-10004-10143.pdf"; printf 'xyz'; } >"$T/dl/104-10004-10143.pdf"
expect 1 "record's name, other bytes" -C "$A" verify "$T/dl/104-10004-10143.pdf"
out_has "104-10004-10143.pdf: FAIL not in the archive"
out_has "closest: 104-10004-10143 (104-10004-10143.pdf) as released 2021-12-15, 5860 bytes"

echo "== several files: exit 1 if any is unknown"
expect 1 "mixed" -C "$A" verify "$S/2021-12-15/files/124-10001-10001.pdf" "$T/stray.bin"
out_has "verify: 2 files: 1 in the archive, 1 not"
expect 0 "all known" -C "$A" verify "$S"/2022-12-15/files/*.pdf
out_has "4 in the archive, 0 not"
expect 1 "unreadable file" -C "$A" verify "$T/no-such-file.pdf"
out_has "no-such-file.pdf: FAIL cannot open"
expect 1 "--quiet" -C "$A" verify --quiet "$T/stray.bin"
assert "--quiet prints nothing" test ! -s "$T/out"

echo "== --json"
expect 1 "files --json" -C "$A" verify --json "$S/2021-12-15/files/124-10001-10001.pdf" "$T/dl/104-10004-10143.pdf"
assert "files --json" python3 -c "
import json; d=json.load(open('$T/out'))
assert d['schema']==1 and d['mode']=='files' and d['ok'] is False, d
f=d['files']; assert len(f)==2
m=f[0]['matches'][0]
assert f[0]['known'] and m['record']=='124-10001-10001' and m['release']=='2021-12-15', m
assert m['unchanged_in']==['2022-12-15'] and m['path']=='records/124/10001/10001/124-10001-10001.pdf', m
assert not f[1]['known'] and f[1]['matches']==[] and f[1]['closest']['release']=='2021-12-15', f[1]
assert f[1]['size']==5863 and len(f[1]['sha256'])==64
"

echo "== --tranche: a complete download passes, no archive needed"
for r in 2017-10-26 2021-12-15 2022-12-15; do
	expect 0 "tranche $r" -C "$T/no-archive" verify --tranche "$S/$r/files" --manifest "$S/$r/manifest.csv"
	out_has ": OK"
done
out_has "4 files listed"

echo "== --tranche: a listed file missing"
cp -r "$S/2022-12-15" "$T/t1"
rm "$T/t1/files/docid-32106269.pdf"
expect 1 "missing file" verify --tranche "$T/t1/files" --manifest "$T/t1/manifest.csv"
out_has "docid-32106269.pdf: FAIL manifest 'manifest.csv' line 5 lists 'docid-32106269.pdf'"
out_has "1 problem (file-missing 1)"

echo "== --tranche: an unlisted file (a sidecar is not)"
cp -r "$S/2022-12-15" "$T/t2"
printf 'x\n' >"$T/t2/files/notes.pdf"
expect 1 "unlisted file" verify --tranche "$T/t2/files" --manifest "$T/t2/manifest.csv"
out_has "notes.pdf: FAIL 'notes.pdf' is in the folder but manifest 'manifest.csv' does not list it"
assert "sidecars are not unlisted" sh -c "! grep -q '\.txt: FAIL' '$T/out'"
expect 1 "unlisted --json" verify --json --tranche "$T/t2/files" --manifest "$T/t2/manifest.csv"
assert "tranche --json" python3 -c "
import json; d=json.load(open('$T/out'))
assert d['mode']=='tranche' and not d['ok'] and d['counts']['by_kind']=={'file-unlisted':1}, d
assert d['problems'][0]['path']=='notes.pdf'
"

echo "== --tranche: sizes and checksums where the manifest gives them"
cp -r "$S/2021-12-15" "$T/t3"
{
	echo "Record Num,File Name,SHA256,File Size"
	for f in 104-10004-10143 124-10001-10001; do
		echo "$f,$f.pdf,$(sha256sum <"$T/t3/files/$f.pdf" | cut -d' ' -f1),$(stat -c %s "$T/t3/files/$f.pdf")"
	done
} >"$T/t3/sums.csv"
expect 0 "checksums match" verify --tranche "$T/t3/files" --manifest "$T/t3/sums.csv"
out_has "2 checksums checked: OK"
truncate -s 1000 "$T/t3/files/124-10001-10001.pdf"
expect 1 "truncated download" verify --tranche "$T/t3/files" --manifest "$T/t3/sums.csv"
out_has "124-10001-10001.pdf: FAIL '124-10001-10001.pdf' is 1000 bytes, manifest line 3 says 5213"
out_has "124-10001-10001.pdf: FAIL '124-10001-10001.pdf' hashes to"

echo "== --tranche: what ingest would refuse"
cp -r "$S/2021-12-15" "$T/t4"
: >"$T/t4/files/124-10001-10001.pdf"
expect 1 "empty file" verify --tranche "$T/t4/files" --manifest "$T/t4/manifest.csv"
out_has "is empty (0 bytes)"
cp -r "$S/2021-12-15" "$T/t5"
mv "$T/t5/files/124-10001-10001.pdf" "$T/outside.pdf"
ln -s "$T/outside.pdf" "$T/t5/files/124-10001-10001.pdf"
expect 1 "symlink out of the folder" verify --tranche "$T/t5/files" --manifest "$T/t5/manifest.csv"
out_has "FAIL symlink"
out_has "ingest-refused 1"

echo "== --tranche: bad input"
printf 'not,a\nmanifest\n' >"$T/bad.csv"
expect 2 "bad manifest" verify --tranche "$T/t1/files" --manifest "$T/bad.csv"
expect 2 "no such folder" verify --tranche "$T/nowhere" --manifest "$S/2021-12-15/manifest.csv"
expect 2 "--tranche with files" verify --tranche "$T/t1/files" --manifest "$S/2021-12-15/manifest.csv" x.pdf

finish
