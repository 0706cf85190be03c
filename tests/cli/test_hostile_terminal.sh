# Hostile text on its way to people (issue 19, defects 6, 7 and 16):
# manifest cells, --title, --source, a forged meta.json or tree, and texts
# that hold terminal escapes (ESC, OSC, CSI, C1 controls, bidi overrides)
# or spreadsheet formulas.  Human output must show them escaped, JSON must
# keep them exactly, CSV must neutralise formulas (OWASP), and `changes`
# with its releases reversed must refuse before printing anything.
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@example.org
export GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@example.org

A=$T/a
export DECLASS_ARCHIVE=$A
g() { git -C "$A" "$@"; }

# inert FILE...: no character that acts on a terminal: C0 controls but
# newline and tab, DEL, C1 controls, bidi embeddings, overrides, isolates
# and marks, zero-width spaces, byte order marks.
inert() {
	set -- '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf' "$@"
	LC_ALL=C grep -qaP "$@" || return 0
	LC_ALL=C grep -naP "$@" | cat -v | head -5
	return 1
}
# human DESC ARGS...: run declass, exit 0, stdout and stderr inert.
human() {
	desc=$1
	shift
	expect 0 "$desc" "$@"
	assert "$desc: no raw control on stdout or stderr" inert "$T/out" "$T/err"
}

new_archive a
ingest_sample "$A" 2017-10-26

# The 2021 sample with a JSON manifest of hostile cells, and two more
# records whose ids are formulas.
cp -r "$SAMPLE/2021-12-15/files" "$T/tr"
cp "$T/tr/124-10001-10001.pdf" "$T/tr/eq.pdf"
cp "$T/tr/124-10001-10001.txt" "$T/tr/eq.txt"
cp "$T/tr/124-10001-10001.pdf" "$T/tr/minus.pdf"
cp "$T/tr/124-10001-10001.txt" "$T/tr/minus.txt"
printf '\033[2J\033]0;pwned\007 \302\233 31m ANONYMOUS CALL \342\200\256 DEKCAH\n' >>"$T/tr/124-10001-10001.txt"
cat >"$T/m.json" <<'EOF'
[
 {"record": "104-10004-10143", "file": "104-10004-10143.pdf", "agency": "=cmd|' /C calc'!A0",
  "title": "OSWALD\u001b]0;pwned\u0007\u001b[2J"},
 {"record": "124-10001-10001", "file": "124-10001-10001.pdf", "agency": "@SUM(1)",
  "title": "CANBERRA\u009b31m\u202eDEKCAH"},
 {"record": "=HYPERLINK(\"evil.example\",\"click\")", "file": "eq.pdf", "agency": "+1+2"},
 {"record": "-2+3", "file": "minus.pdf", "agency": "-1+2"}
]
EOF
title=$(printf 'sample\033]0;pwned\007\033[1A\033[2K 2021')
source=$(printf 'https://evil.example/\033[8mhidden\033[0m')
expect 0 "ingest the hostile tranche" ingest --release 2021-12-15 --date 2021-12-15 \
	--title "$title" --source "$source" --manifest "$T/m.json" "$T/tr"

echo "== defect 6: formulas in changes --csv"
expect 0 "changes --csv" changes --csv 2017-10-26 2021-12-15
assert "csv: formula cells neutralised with a leading quote" python3 - "$T/out" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
assert rows[0] == ['record', 'status', 'agency', 'released_words', 'withheld_words'], rows[0]
cells = {r[0]: r[2] for r in rows[1:]}
want = {"104-10004-10143": "'=cmd|' /C calc'!A0",
        "124-10001-10001": "'@SUM(1)",
        "'=HYPERLINK(\"evil.example\",\"click\")": "'+1+2",
        "'-2+3": "'-1+2"}
assert cells == want, cells
for r in rows[1:]:
    for c in r:
        assert not c or c[0] not in '=+-@\t\r', r
EOF
expect 0 "changes --json" changes --json 2017-10-26 2021-12-15
assert "json: cells exact" python3 - "$T/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ag = {r['record']: r['agency'] for r in d['records']}
assert ag == {"104-10004-10143": "=cmd|' /C calc'!A0", "124-10001-10001": "@SUM(1)",
              '=HYPERLINK("evil.example","click")': "+1+2", "-2+3": "-1+2"}, ag
EOF

echo "== defect 7: escapes in what is printed for people"
human "releases" releases
out_has 'sample\x1b]0;pwned\x07\x1b[1A\x1b[2K 2021'
human "log" log 104-10004-10143
out_has 'OSWALD\x1b]0;pwned\x07\x1b[2J'
human "log, C1 and bidi" log 124-10001-10001
out_has 'CANBERRA\u009b31m\u202eDEKCAH'
human "changes" changes 2017-10-26 2021-12-15
out_has "=cmd|' /C calc'!A0"
human "diff" diff 124-10001-10001
out_has '\x1b[2J\x1b]0;pwned\x07'
human "blame" blame 124-10001-10001
human "grep" grep "ANONYMOUS CALL"
human "verify" verify
expect 0 "releases --json" releases --json
assert "releases --json: title and source exact" python3 - "$T/out" "$title" "$source" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))['releases'][1]
assert r['title'] == sys.argv[2] and r['source'] == sys.argv[3], r
EOF
expect 0 "log --json" log --json 104-10004-10143
assert "log --json: title exact" python3 - "$T/out" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))['versions'][-1]
assert v['title'] == 'OSWALD\x1b]0;pwned\x07\x1b[2J', v
EOF
expect 0 "show --text, not a terminal: the text as stored" show 124-10001-10001 --text
assert "show --text exact" cmp -s "$T/out" "$T/tr/124-10001-10001.txt"

# An error naming what the user typed or the archive holds.
expect 2 "an unknown release with an escape" diff 104-10004-10143 "$(printf '2017\033[2J')"
assert "error message inert" inert "$T/err"
err_has '2017\x1b[2J'

# A forged archive: a meta.json title and a file name that would rewrite
# verify's lines (cursor up, erase line), committed with plain git.
cp -a "$A" "$T/forged"
A=$T/forged
export DECLASS_ARCHIVE=$A
g show main:records/104/10004/10143/meta.json >"$T/meta.json"
python3 - "$T/meta.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m['fields']['title'] = 'FORGED\x1b[1A\x1b[2K\u009b2K\u202e'
m['fields']['agency'] = '\t=1+2'
json.dump(m, open(sys.argv[1], 'w'), sort_keys=True, indent=2)
EOF
blob=$(g hash-object -w --stdin <"$T/meta.json")
evil=$(g hash-object -w --stdin </dev/null)
GIT_INDEX_FILE=$T/index g read-tree main
GIT_INDEX_FILE=$T/index g update-index --add --cacheinfo "100644,$blob,records/104/10004/10143/meta.json"
GIT_INDEX_FILE=$T/index g update-index --add --cacheinfo \
	"100644,$evil,records/104/10004/10143/$(printf 'x\r\033[1A\033[2Kverify: all OK')"
tree=$(GIT_INDEX_FILE=$T/index g write-tree)
g log -1 --format=%B main >"$T/msg"
new=$(g commit-tree "$tree" -p main^ -F "$T/msg")
g update-ref refs/heads/main "$new"
g cat-file tag release/2021-12-15 | sed '1,/^$/d' >"$T/tagmsg"
g tag -f -a release/2021-12-15 -F "$T/tagmsg" "$new" >/dev/null
human "log of a forged meta.json" log 104-10004-10143
out_has 'FORGED\x1b[1A\x1b[2K\u009b2K\u202e'
expect 0 "changes --csv of a forged meta.json" changes --csv 2017-10-26 2021-12-15
tab=$(printf '\t')
out_has "\"104-10004-10143\",changed,\"'$tab=1+2\""
human "changes of a forged meta.json" changes 2017-10-26 2021-12-15
out_has '104-10004-10143      changed  \x09=1+2'
expect 1 "verify of a forged tree" verify
assert "verify: output inert" inert "$T/out" "$T/err"
out_has 'x\x0d\x1b[1A\x1b[2Kverify: all OK'
assert "verify: the FAIL line names the forged file" grep -q 'x\\x0d.*: FAIL' "$T/out"

echo "== defect 16: changes with FROM and TO reversed"
A=$T/a
export DECLASS_ARCHIVE=$A
expect 2 "changes reversed" changes 2021-12-15 2017-10-26
assert "changes reversed: nothing on stdout" test ! -s "$T/out"
err_has "release 2021-12-15 (FROM) is newer than release 2017-10-26 (TO)"
expect 2 "changes --csv reversed" changes --csv 2021-12-15 2017-10-26
assert "changes --csv reversed: nothing on stdout" test ! -s "$T/out"
expect 2 "changes --json reversed" changes --json 2021-12-15 2017-10-26
assert "changes --json reversed: nothing on stdout" test ! -s "$T/out"
expect 0 "changes of a release with itself" changes 2021-12-15 2021-12-15
out_has "0 records added, 0 changed"

finish
