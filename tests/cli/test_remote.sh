# Mirrors: push to a bare Git remote, clone elsewhere and verify there with
# --trust, a later release pushed and pulled, and what pull, clone and push
# must refuse: a remote that rewrote a release (named, exit 2), one whose
# new part fails verification (exit 1, archive unchanged), a repository
# that is not a declass archive, a push that is not a fast-forward.
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@example.org
export GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@example.org

openssl genpkey -algorithm ed25519 -out "$T/nara.pem" 2>/dev/null || fail "genpkey"
openssl pkey -in "$T/nara.pem" -pubout -out "$T/nara.pub.pem" || fail "pubout"

ingest_signed() {
	"$DECLASS" -C "$1" ingest --release "$2" --date "$2" --title "${3:-sample $2}" \
		--manifest "$SAMPLE/$2/manifest.csv" --sign "$T/nara.pem" "$SAMPLE/$2/files" \
		>/dev/null || fail "signed ingest of $2"
}

O=$T/origin
M=$T/mirror
R=$T/remote.git

echo "== push to a bare remote"
new_archive origin
ingest_signed "$O" 2017-10-26
ingest_signed "$O" 2021-12-15
git init -q --bare "$R"
expect 0 "push" -C "$O" push "$R"
out_has "pushed main"
out_has "2 release tags"
assert "remote has the branch" sh -c "[ \$(git -C '$R' rev-parse main) = \$(git -C '$O' rev-parse main) ]"
for r in 2017-10-26 2021-12-15; do
	assert "remote has tag $r as an annotated tag" sh -c \
		"[ \$(git -C '$R' rev-parse release/$r) = \$(git -C '$O' rev-parse release/$r) ] &&
		 [ \$(git -C '$R' cat-file -t release/$r) = tag ]"
done
expect 0 "push again: nothing new" -C "$O" push "$R"

echo "== clone elsewhere (file://) and verify there with --trust"
expect 0 "clone" clone "file://$R" "$M"
out_has "cloned 'file://$R' into $M: 2 releases: 2017-10-26, 2021-12-15"
out_has "verified: 2 releases"
assert "the clone is a declass archive" sh -c "[ \$(git -C '$M' config declass.formatVersion) = 1 ]"
assert "the clone records origin" sh -c "[ \$(git -C '$M' config remote.origin.url) = 'file://$R' ]"
assert "no quarantine left" sh -c "[ -z \"\$(ls -A '$M/declass-incoming' 2>/dev/null)\" ]"
expect 0 "verify --trust in the clone" -C "$M" verify --trust "$T/nara.pub.pem"
out_has "2 of 2 signed by a trusted key: OK"
expect 0 "releases in the clone" -C "$M" releases
out_has "signed by"
expect 0 "clone --trust, --json" clone --json --trust "$T/nara.pub.pem" "$R" "$T/mirror2"
assert "clone --json" python3 -c "
import json; d=json.load(open('$T/out'))
assert d['releases']==['2017-10-26','2021-12-15'] and d['verify']['ok'] and d['verify']['signed']==2, d
assert d['from'] is None and d['refused'] is False and d['schema']==1, d
"

echo "== a later release, pushed and pulled"
ingest_signed "$O" 2022-12-15
expect 0 "push the new release" -C "$O" push "$R"
before=$(git -C "$M" rev-parse main)
expect 0 "pull (origin)" -C "$M" pull --trust "$T/nara.pub.pem"
out_has "pulled 1 release from 'file://$R': 2022-12-15"
out_has "3 signed by a trusted key: OK"
assert "branch fast-forwarded to origin's" sh -c "[ \$(git -C '$M' rev-parse main) = \$(git -C '$O' rev-parse main) ]"
assert "old tip is an ancestor" git -C "$M" merge-base --is-ancestor "$before" main
assert "new tag is origin's tag object" sh -c \
	"[ \$(git -C '$M' rev-parse release/2022-12-15) = \$(git -C '$O' rev-parse release/2022-12-15) ]"
expect 0 "verify --trust after pull" -C "$M" verify --trust "$T/nara.pub.pem"
expect 0 "pull again" -C "$M" pull
out_has "already up to date"
expect 0 "pull --json, up to date" -C "$M" pull --json
assert "pull --json" python3 -c "
import json; d=json.load(open('$T/out')); assert d['up_to_date'] is True and d['releases']==[], d"
expect 0 "pull from a remote that is behind" -C "$M" pull "$T/mirror2"
out_has "lacks releases this archive has"

echo "== a remote that rewrote a release is refused, by name"
# Same first release (byte for byte: SOURCE_DATE_EPOCH, same key), another 2021-12-15.
F=$T/forger
new_archive forger
ingest_signed "$F" 2017-10-26
ingest_signed "$F" 2021-12-15 "sample 2021-12-15, improved"
ingest_signed "$F" 2022-12-15
assert "forger shares the first release" sh -c \
	"[ \$(git -C '$F' rev-parse release/2017-10-26) = \$(git -C '$O' rev-parse release/2017-10-26) ]"
state=$(fingerprint "$M")
expect 2 "pull from the forger" -C "$M" pull "$F"
err_has "rewrote release 2021-12-15"
assert "archive unchanged" test "$state" = "$(fingerprint "$M")"
expect 0 "still verifies" -C "$M" verify --trust "$T/nara.pub.pem"

echo "== a remote whose release tag was moved is refused, by name"
G=$T/moved.git
git clone -q --bare "$R" "$G"
git -C "$G" cat-file tag release/2021-12-15 | sed '1,/^$/d' >"$T/tagmsg"
git -C "$G" tag -f -a release/2021-12-15 -F "$T/tagmsg" "release/2017-10-26^{commit}" >/dev/null
expect 2 "pull from a remote with a moved tag" -C "$M" pull "$G"
err_has "rewrote release 2021-12-15: its tag release/2021-12-15 names commit"
assert "archive unchanged (moved tag)" test "$state" = "$(fingerprint "$M")"

echo "== a new part that fails verification is refused, archive unchanged"
B=$T/bad.git
git clone -q --bare "$R" "$B"
tree=$(git -C "$B" rev-parse 'main^{tree}')
extra=$(echo "not a release" | git -C "$B" commit-tree "$tree" -p main)
git -C "$B" update-ref refs/heads/main "$extra"
expect 1 "pull a commit that is no release" -C "$M" pull "$B"
out_has "FAIL"
out_has "is not a release commit"
err_has "pull refused"
assert "archive unchanged (bad new part)" test "$state" = "$(fingerprint "$M")"
assert "no quarantine left after refusal" sh -c "[ -z \"\$(ls -A '$M/declass-incoming' 2>/dev/null)\" ]"
expect 1 "clone of it is refused too" clone "$B" "$T/badclone"
assert "refused clone leaves nothing" test ! -e "$T/badclone"

echo "== pull --trust refuses an unsigned new release"
U=$T/unsigned
V=$T/second
"$DECLASS" clone "$R" "$U" >/dev/null || fail "clone for unsigned"
git clone -q --bare "$R" "$T/u.git"
new_archive second
expect 0 "pull into an empty archive" -C "$V" pull "$R"
out_has "pulled 3 releases"
"$DECLASS" -C "$V" ingest --release 2023-01-01 --date 2023-01-01 \
	--manifest "$SAMPLE/2022-12-15/manifest.csv" "$SAMPLE/2022-12-15/files" >/dev/null ||
	fail "unsigned ingest"
expect 0 "push the unsigned release" -C "$V" push "$T/u.git"
ustate=$(fingerprint "$U")
expect 1 "pull --trust with an unsigned new release" -C "$U" pull --trust "$T/nara.pub.pem" "$T/u.git"
out_has "2023-01-01: FAIL release 2023-01-01 is not signed"
assert "archive unchanged (unsigned)" test "$ustate" = "$(fingerprint "$U")"
expect 0 "without --trust it is pulled" -C "$U" pull "$T/u.git"
out_has "pulled 1 release"

echo "== what is not a declass archive is refused"
P=$T/plain.git
git init -q "$T/plain"
echo hello >"$T/plain/README"
git -C "$T/plain" add README && git -C "$T/plain" commit -qm init && git -C "$T/plain" branch -M main
git clone -q --bare "$T/plain" "$P"
expect 2 "clone a plain Git repository" clone "$P" "$T/plainclone"
err_has "is not a declass archive"
assert "refused clone leaves nothing (plain)" test ! -e "$T/plainclone"
mkdir "$T/emptydir"
expect 2 "clone from a path that does not exist" clone "$T/nowhere.git" "$T/emptydir"
assert "an empty target folder stays, empty" sh -c "[ -d '$T/emptydir' ] && [ -z \"\$(ls -A '$T/emptydir')\" ]"
git init -q --bare "$T/empty.git"
expect 2 "clone an empty Git repository" clone "$T/empty.git" "$T/emptyclone"
err_has "has no branch main"
expect 2 "clone into a non-empty folder" clone "$R" "$O"
expect 2 "pull from a folder that is no repository" -C "$M" pull "$SAMPLE"
expect 2 "clone without DIR" clone "$R"
new_archive empty
expect 2 "push from an empty archive" -C "$T/empty" push "$R"
err_has "nothing to push"

echo "== push is never forced"
rstate=$(git -C "$R" show-ref | sha256sum)
expect 2 "forger pushes a rewritten release" -C "$F" push "$R"
assert "remote unchanged" sh -c "[ '$rstate' = \"\$(git -C '$R' show-ref | sha256sum)\" ]"
expect 2 "push to a remote name that is not configured" -C "$O" push
expect 0 "help" push --help
out_has "Example:"
expect 0 "help" pull --help
expect 0 "help" clone --help

finish
