# A real archive from ../shared/data/jfk (third-party OCR texts matched to
# NARA's manifests, text-only tranches): the diff finds what 2022 released
# in 104-10004-10143, changes gives a plausible list, verify passes.
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

expect 0 "changes 2018 2022" -C "$A" changes --json 2018-04-26 2022-12-15
assert "plausible changes" py "
t=d['totals']; assert t['changed']>400 and t['added']>100, t
assert t['released']>t['withheld']>0, t
assert 'CIA' in d['agencies'] and d['agencies']['CIA']['records']>300"
expect 0 "grep Kostikov" -C "$A" grep -i --json kostikov
assert "several records" py "assert d['record_count']>=3"
expect 0 "verify" -C "$A" verify --quiet

finish
