# A real archive from ../shared/data/jfk (third-party OCR texts matched to
# NARA's manifests, text-only tranches): the diff finds what 2022 released
# in 104-10004-10143 and the field report's one-word releases, calls none
# of its OCR dropouts withheld, says when two texts came from different
# OCR engines; changes gives a plausible list; verify passes.
. "$(dirname "$0")/lib.sh"

DATA=${DECLASS_SHARED:-}/data/jfk
if [ ! -d "$DATA/text" ]; then
	echo "skipped: no $DATA/text (the real data lives in ../shared beside the clone)"
	finish
	exit 0
fi
py() { python3 -c "import json,sys; d=json.load(open('$T/out')); $1"; }

A=$T/real
DECLASS="$DECLASS" DECLASS_SHARED="$DECLASS_SHARED" sh "$DECLASS_SOURCE_DIR/scripts/real-archive.sh" "$A" >"$T/build.log" 2>&1
assert "real archive built" test $? -eq 0
expect 0 "releases" -C "$A" releases --json
assert "five releases" py "assert [r['id'] for r in d['releases']]==['2018-04-26','2021-12-15','2022-12-15','2023-08-24','2025-03-18']"

# The Fulton memo: 2022 names "Robert Fulton (CIA)", which 2018 withheld.
expect 0 "diff 2018 2022" -C "$A" diff --json 104-10004-10143 2018-04-26 2022-12-15
assert "Fulton released" py "
rel=' '.join(s['text'] for s in d['spans'] if s['op']=='released')
assert 'Fulton' in rel, rel[:500]"
expect 0 "meta says third party" -C "$A" show --meta 104-10004-10143@2022-12-15
assert "third-party text, files not archived" py "
p=d['text']['parts']; assert all(x['source']=='third-party' for x in p) and len(p)==2, p
assert d['text']['text_only'] and d['files']=={} and len(d['released_files_not_archived'])==2"

# The field report's worked examples (../shared/field-reports/): released
# one word at a time, and OCR dropouts that are not re-redactions.
released() { # RECORD FROM TO WORD...
	r=$1 f=$2 t=$3
	shift 3
	expect 0 "diff $r $f $t" -C "$A" diff --json "$r" "$f" "$t"
	for w in "$@"; do
		assert "$r: '$w' released" py "
rel=' '.join(s['text'] for s in d['spans'] if s['op']=='released')
assert '$w' in rel, rel"
	done
}
released 104-10001-10034 2018-04-26 2022-12-15 Stockholm
released 104-10004-10156 2018-04-26 2022-12-15 Friberg Helsinki "Robert Fulton"
released 104-10012-10024 2018-04-26 2022-12-15 KOSTIKOV
released 104-10004-10097 2018-04-26 2022-12-15 HELS Soviet
released 104-10004-10156 2022-12-15 2025-03-18 "consular official"
for r in 104-10003-10119 104-10012-10070 104-10003-10041; do
	expect 0 "diff $r" -C "$A" diff --json "$r" 2018-04-26 2022-12-15
	assert "$r: nothing withheld (lines the 2022 OCR dropped)" py "
assert d['totals']['withheld']['old_words']==0, [s['text'] for s in d['spans'] if s['op']=='withheld']"
done
expect 0 "diff across engines" -C "$A" diff --stat 104-10004-10156 2022-12-15 2025-03-18
err_has "the two texts were made differently"
err_has "Apple Vision"

expect 0 "changes 2018 2022" -C "$A" changes --json 2018-04-26 2022-12-15
assert "plausible changes" py "
t=d['totals']; assert t['changed']>400 and t['added']>100, t
assert t['released']>t['withheld'], t
assert 'CIA' in d['agencies'] and d['agencies']['CIA']['records']>300"
# Re-redaction is rare and OCR noise makes withheld and released alike:
# withheld/released over the changed records estimates the noise left.
assert "withheld at most 0.15 of released over changed records" py "
ch=[r for r in d['records'] if r['status']=='changed']
rel=sum(r['released'] for r in ch); wh=sum(r['withheld'] for r in ch)
print('changed records: %d released, %d withheld' % (rel, wh))
assert wh <= 0.15 * rel, (rel, wh)"
expect 0 "grep Kostikov" -C "$A" grep -i --json kostikov
assert "several records" py "assert d['record_count']>=3"
expect 0 "verify" -C "$A" verify --quiet

finish
