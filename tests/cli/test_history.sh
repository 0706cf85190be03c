# log, show, diff, blame, grep and changes on the sample releases, whose
# changes are known (sample/README.md lists them).
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
for r in 2017-10-26 2021-12-15 2022-12-15; do ingest_sample "$A" $r; done
R=104-10004-10143
S17=$SAMPLE/2017-10-26/files

# py EXPR...: run python on the JSON in $T/out as `d`.
py() { python3 -c "import json,sys; d=json.load(open('$T/out')); $1"; }

## log
expect 0 "log" -C "$A" log $R
out_has "2017-10-26"
out_has "In Part"
expect 0 "log --json" -C "$A" log --json $R
assert "log: three versions, types, files" py "
v=d['versions']; assert [x['release'] for x in v]==['2017-10-26','2021-12-15','2022-12-15'], v
assert [x['release_type'] for x in v]==['In Part','Redact','Redact']
assert v[0]['files'][0]['sha256']=='$(sha256sum <"$S17/$R.pdf" | cut -d' ' -f1)'
assert len(v[2]['files'])==2 and v[0]['text'] and d['schema']==1"
expect 0 "log of a record skipped by 2021" -C "$A" log --json 104-10015-10052
assert "not in 2021" py "assert [x['release'] for x in d['versions']]==['2017-10-26','2022-12-15']"
expect 2 "log of unknown record" -C "$A" log 999-99999-99999
err_has "record 999-99999-99999 is not in the archive"
expect 2 "log of a bad id" -C "$A" log ../x
err_has "record id '../x'"

## show
expect 0 "show @2017" -C "$A" show $R@2017-10-26
assert "show text is the 2017 text" cmp -s "$T/out" "$S17/$R.txt"
expect 0 "show as of a release without the record's change" -C "$A" show 104-10015-10052@2021-12-15
assert "keeps its 2017 text" cmp -s "$T/out" "$S17/104-10015-10052.txt"
expect 0 "show --meta" -C "$A" show --meta $R@2021-12-15
assert "meta is JSON" py "assert d['release']=='2021-12-15' and d['record']=='$R'"
expect 0 "show --raw" -C "$A" show --raw "$T/raw.pdf" $R@2017-10-26
assert "raw bytes exact" cmp -s "$T/raw.pdf" "$S17/$R.pdf"
expect 2 "show --raw of a two-file record" -C "$A" show --raw "$T/raw2.pdf" $R
err_has "several files"
expect 0 "show --raw --file" -C "$A" show --raw "$T/raw2.pdf" --file "$R[c06932208].pdf" $R
assert "chosen file exact" cmp -s "$T/raw2.pdf" "$SAMPLE/2022-12-15/files/$R[c06932208].pdf"
expect 2 "show unknown release" -C "$A" show $R@1999-01-01
err_has "no release '1999-01-01'"
expect 2 "show record absent then" -C "$A" show 124-10001-10001@2017-10-26
err_has "not in the archive as of release 2017-10-26"

## diff
expect 0 "diff 2017 2021" -C "$A" diff $R 2017-10-26 2021-12-15
out_has "[-[REDACTED]-]{+Kostikov+}"
assert "re-flowed paragraph is not a change" sh -c "! grep -q 'identifying' '$T/out'"
expect 0 "diff --json" -C "$A" diff --json $R 2017-10-26 2021-12-15
assert "released spans" py "
rel=[s for s in d['spans'] if s['op']=='released']
txt=' '.join(s['text'] for s in rel)
assert txt.count('Kostikov')==2 and 'Department' in txt, rel
assert all(s.get('marker') for s in rel if 'Kostikov' in s['text'])
assert not [s for s in d['spans'] if s['op']=='withheld']
assert d['totals']['released']['new_words']>=3 and d['from']=='2017-10-26' and d['to']=='2021-12-15'
for s in d['spans']: assert set(s)>={'op','text','old','new'}
assert not any('identifying' in s['text'] for s in d['spans'] if s['op']!='same')"
expect 0 "diff default: two newest versions" -C "$A" diff --json $R
assert "page 2 released in 2022" py "
assert d['from']=='2021-12-15' and d['to']=='2022-12-15'
rel=' '.join(s['text'] for s in d['spans'] if s['op']=='released')
assert 'Костиков' in rel and 'Counterintelligence' in rel, rel"
expect 0 "diff: re-redaction is withheld" -C "$A" diff --json 104-10015-10052
assert "withheld words" py "
w=' '.join(s['text'] for s in d['spans'] if s['op']=='withheld')
assert 'OBSERVATION POST' in w, w
assert d['totals']['released']['new_words']==0"
expect 0 "diff human withheld" -C "$A" diff 104-10015-10052
out_has "[-STATION OBSERVATION POST"
expect 0 "diff --stat" -C "$A" diff --stat $R 2017-10-26 2021-12-15
assert "stat is one line" test "$(wc -l <"$T/out")" -eq 1
out_has "words released"
expect 0 "diff of identical versions" -C "$A" diff --json 104-10015-10052 2017-10-26 2021-12-15
assert "nothing changed" py "assert d['totals']['released']['spans']==0 and d['totals']['withheld']['spans']==0"
expect 0 "diff of a one-version record" -C "$A" diff --json 124-10001-10001
err_has "has one version"
assert "all released" py "assert d['from'] is None and d['totals']['released']['new_words']>100"
expect 2 "diff with unknown release" -C "$A" diff $R 2017-10-26 2030-01-01
err_has "no release '2030-01-01'"
expect 2 "diff unknown record" -C "$A" diff 999-99999-99999
expect 2 "diff bad tolerance" -C "$A" diff --tolerance 7 $R

## blame
expect 0 "blame --json" -C "$A" blame --json $R
assert "spans dated" py "
def rel(word):
    return {s['release'] for s in d['spans'] if word in s['text']}
# twice in paragraphs 1 and 3 (2021), once on page 2 (2022)
assert rel('Kostikov')=={'2021-12-15','2022-12-15'}, rel('Kostikov')
assert rel('Костиков')=={'2022-12-15'}
assert rel('Mexico')=={'2017-10-26'}
assert rel('Counterintelligence')=={'2022-12-15'}
assert [v['release'] for v in d['versions']]==['2017-10-26','2021-12-15','2022-12-15']"
expect 0 "blame @2021" -C "$A" blame --json $R@2021-12-15
assert "two versions" py "assert d['release']=='2021-12-15' and len(d['versions'])==2"
expect 0 "blame human" -C "$A" blame $R@2021-12-15
out_has "{2021-12-15:Kostikov}"
out_has "2017-10-26  | "
expect 2 "blame unknown release" -C "$A" blame $R@1999-01-01

## grep
expect 0 "grep Kostikov" -C "$A" grep --json Kostikov
assert "first public 2021 in one record" py "
r=d['records']; assert [x['record'] for x in r]==['$R'], r
assert r[0]['first_release']=='2021-12-15' and r[0]['matches']==3
assert [v['release_type'] for v in r[0]['versions']]==['In Part','Redact','Redact']"
expect 0 "grep Cyrillic" -C "$A" grep --json "Костиков"
assert "first public 2022" py "assert d['records'][0]['first_release']=='2022-12-15'"
expect 0 "grep a phrase across a line break" -C "$A" grep --json "anything new concerning the telegram to Washington"
assert "first public 2017" py "assert [(x['record'],x['first_release']) for x in d['records']]==[('$R','2017-10-26')]"
expect 0 "grep -i" -C "$A" grep --json -i "telegram to washington"
assert "two records" py "assert d['record_count']==2"
expect 0 "grep accented" -C "$A" grep "Durán"
out_has "docid-32106269: first public in 2022-12-15"
expect 1 "grep no match" -C "$A" grep "no such phrase anywhere"
expect 0 "grep --record" -C "$A" grep --record 124-10001-10001 --json crank
assert "one record" py "assert d['record_count']==1"

## changes
expect 0 "changes --json" -C "$A" changes --json 2017-10-26 2022-12-15
assert "changes" py "
r={x['record']:x for x in d['records']}
assert set(r)=={'$R','104-10015-10052','124-10001-10001','docid-32106269'}, r
assert r['124-10001-10001']['status']=='added' and r['$R']['status']=='changed'
assert r['104-10015-10052']['withheld']>0 and r['$R']['released']>0
assert d['agencies']['FBI']['records']==1 and d['totals']['added']==1 and d['totals']['changed']==3"
expect 0 "changes --csv" -C "$A" changes --csv 2017-10-26 2021-12-15
assert "csv header and rows" test "$(head -n 1 "$T/out")" = "record,status,agency,released_words,withheld_words"
assert "csv rows" test "$(wc -l <"$T/out")" -eq 3
expect 2 "changes unknown release" -C "$A" changes 2017-10-26 nope
err_has "no release 'nope'"

# A record's agency as of TO is that of its version in effect then, also
# when it last changed before TO and changed again after it.
new_archive ag
tranche() { # RELEASE AGENCY TEXT: record 104-10000-10001 alone
	mkdir -p "$T/ag$1/files"
	printf 'File Name,Record Num,Agency,Title\na.txt,104-10000-10001,%s,Memo\n' "$2" \
		>"$T/ag$1/manifest.csv"
	printf '%s\n' "$3" >"$T/ag$1/files/a.txt"
	"$DECLASS" -C "$T/ag" ingest --release "$1" --date "$1" --manifest "$T/ag$1/manifest.csv" \
		"$T/ag$1/files" >/dev/null || fail "ingest $1"
}
tranche 2001-01-01 CIA "The station chief met [REDACTED] in the city."
tranche 2002-01-01 FBI "The station chief met Kostikov in the city."
mkdir -p "$T/ag3/files"
printf 'File Name,Record Num,Title\nb.txt,104-10000-10002,Other\n' >"$T/ag3/manifest.csv"
echo "Another memo." >"$T/ag3/files/b.txt"
"$DECLASS" -C "$T/ag" ingest --release 2003-01-01 --date 2003-01-01 \
	--manifest "$T/ag3/manifest.csv" "$T/ag3/files" >/dev/null || fail "ingest 2003"
tranche 2004-01-01 NSA "The station chief met Kostikov in the city twice."
expect 0 "changes across a release the record is not in" -C "$T/ag" changes --json \
	2001-01-01 2003-01-01
assert "agency as of 2003: the 2002 version's" py "
r={x['record']:x for x in d['records']}
assert r['104-10000-10001']['agency']=='FBI', r"


## a re-redaction lifted again: the markers say so, whatever other versions show
# 104-10015-10052: 2017 shows "STATION OBSERVATION POST", 2022 covers it
# with XXXX, 2023 shows it again.  The 2022 marker is evidence of a
# withholding in 2022 and of a release in 2023, not of OCR dropout.
new_archive all4
for r in 2017-10-26 2021-12-15 2022-12-15; do ingest_sample "$T/all4" $r; done
# 2023 as NARA publishes it: PDFs, an .xlsx manifest, text by extraction.
"$DECLASS" -C "$T/all4" ingest --release 2023-06-27 --date 2023-06-27 \
	--manifest "$SAMPLE/2023-06-27/manifest.xlsx" "$SAMPLE/2023-06-27/files" >/dev/null ||
	fail "ingest of sample 2023-06-27"
expect 0 "withheld in 2022 though 2023 shows it again" -C "$T/all4" diff --json \
	104-10015-10052 2021-12-15 2022-12-15
assert "withheld, marker" py "
w=[s for s in d['spans'] if s['op']=='withheld']
assert any('OBSERVATION POST' in s['text'] and s['evidence']=='marker' for s in w), d['spans']"
expect 0 "released in 2023 though 2017 showed it" -C "$T/all4" diff --json \
	104-10015-10052 2022-12-15 2023-06-27
assert "released, marker" py "
r=[s for s in d['spans'] if s['op']=='released']
assert any('OBSERVATION POST' in s['text'] and s['evidence']=='marker' for s in r), d['spans']"

finish
