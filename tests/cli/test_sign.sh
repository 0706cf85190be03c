# Signed releases: ingest --sign writes a Declass-Signature line in the
# release tag; verify --trust requires a valid signature by a trusted key
# and names each release that lacks one (exit 1); releases shows who
# signed.  The signed statement is checked here with openssl alone, from
# the bytes docs/SIGNING.md gives, so another implementation can do the same.
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@example.org
export GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@example.org

for k in alice bob; do
	openssl genpkey -algorithm ed25519 -out "$T/$k.pem" 2>/dev/null || fail "genpkey $k"
	openssl pkey -in "$T/$k.pem" -pubout -out "$T/$k.pub.pem" || fail "pubout $k"
done
# The fingerprint as docs/SIGNING.md defines it: SHA-256 of the raw key.
fp() { openssl pkey -pubin -in "$1" -outform DER | tail -c 32 | sha256sum | cut -c1-64; }
ALICE=$(fp "$T/alice.pub.pem")
BOB=$(fp "$T/bob.pub.pem")

# ingest_signed ARCHIVE RELEASE KEY|-: a sample release, signed by KEY.
ingest_signed() {
	if [ "$3" = - ]; then
		ingest_sample "$1" "$2"
	else
		"$DECLASS" -C "$1" ingest --release "$2" --date "$2" --title "sample $2" \
			--manifest "$SAMPLE/$2/manifest.csv" --sign "$T/$3.pem" "$SAMPLE/$2/files" \
			>/dev/null || fail "signed ingest of $2"
	fi
}

# retag A RELEASE SED: rewrite the release's tag message with SED, as a forger would.
retag() {
	git -C "$1" cat-file tag "release/$2" | sed '1,/^$/d' | sed "$3" >"$T/tagmsg"
	git -C "$1" tag -f -a "release/$2" -F "$T/tagmsg" "release/$2^{commit}" >/dev/null
}

echo "== the tag carries the signature line; openssl checks the statement"
A=$T/signed
new_archive signed
ingest_signed "$A" 2017-10-26 alice
git -C "$A" cat-file tag release/2017-10-26 | sed '1,/^$/d' >"$T/msg"
assert "tag message: release line, blank, JSON trailer, signature" python3 -c "
import re
m=open('$T/msg').read().split('\n')
assert m[0]=='Release 2017-10-26 (2017-10-26)' and m[1]=='' and m[2].startswith('Release-JSON-SHA256: '), m
assert re.fullmatch(r'Declass-Signature: ed25519 [A-Za-z0-9+/]{43}= [A-Za-z0-9+/]{86}==', m[3]), m
assert m[4:]==[''], m
"
commit=$(git -C "$A" rev-parse 'release/2017-10-26^{commit}')
jsha=$(git -C "$A" show main:releases/2017-10-26.json | sha256sum | cut -c1-64)
printf 'declass-release-statement v1\ncommit %s\nrelease %s\ndate %s\nrelease-json-sha256 %s\n' \
	"$commit" 2017-10-26 2017-10-26 "$jsha" >"$T/statement"
sed -n 's/^Declass-Signature: ed25519 [^ ]* //p' "$T/msg" | base64 -d >"$T/sig"
sed -n 's/^Declass-Signature: ed25519 \([^ ]*\) .*/\1/p' "$T/msg" | base64 -d >"$T/pub.raw"
assert "the key in the line is alice's" sh -c "[ \"\$(sha256sum <'$T/pub.raw' | cut -c1-64)\" = $ALICE ]"
assert "openssl verifies the documented statement" sh -c "openssl pkeyutl -verify -pubin \
	-inkey '$T/alice.pub.pem' -rawin -in '$T/statement' -sigfile '$T/sig' >/dev/null"
expect 0 "signed archive, trusted key" -C "$A" verify --trust "$T/alice.pub.pem"
out_has "1 of 1 signed by a trusted key: OK"

echo "== releases shows the signer"
ingest_signed "$A" 2021-12-15 bob
ingest_signed "$A" 2022-12-15 -
expect 0 "releases" -C "$A" releases
assert "2017 signed by alice" grep -q "^2017-10-26 .*signed by $(echo $ALICE | cut -c1-16)\$" "$T/out"
assert "2021 signed by bob" grep -q "^2021-12-15 .*signed by $(echo $BOB | cut -c1-16)\$" "$T/out"
assert "2022 unsigned" sh -c "grep '^2022-12-15 ' '$T/out' | grep -vq signed"
expect 0 "releases --json" -C "$A" releases --json
assert "releases --json: signed_by" python3 -c "
import json; r=json.load(open('$T/out'))['releases']
assert [x['signed_by'] for x in r]==['$ALICE','$BOB',None], r
assert [x['signature'] for x in r]==['valid','valid','none'], r
"

echo "== verify --trust: one trusted, one untrusted key, one unsigned"
expect 0 "no --trust: signatures valid, unsigned is fine" -C "$A" verify
expect 1 "--trust alice" -C "$A" verify --trust "$T/alice.pub.pem"
out_has "2021-12-15: FAIL release 2021-12-15 is signed by key $(echo $BOB | cut -c1-16)..., which is not a trusted key"
out_has "2022-12-15: FAIL release 2022-12-15 is not signed"
assert "2017 passes" sh -c "! grep -q '^2017-10-26: FAIL' '$T/out'"
out_has "1 of 3 signed by a trusted key: 2 problems (signature 2)"
expect 1 "--trust alice --trust bob" -C "$A" verify --trust "$T/alice.pub.pem" --trust "$T/bob.pub.pem"
assert "only the unsigned release fails" sh -c "[ \$(grep -c FAIL '$T/out') = 1 ] && grep -q '^2022-12-15: FAIL' '$T/out'"
expect 1 "--trust --json" -C "$A" verify --json --trust "$T/alice.pub.pem"
assert "--json: signature problems named" python3 -c "
import json; d=json.load(open('$T/out'))
p=sorted((x['kind'],x['release']) for x in d['problems'])
assert p==[('signature','2021-12-15'),('signature','2022-12-15')], p
assert d['counts']['signed']==1, d['counts']
"
expect 1 "a private key is trusted as its public half" -C "$A" verify --trust "$T/alice.pem"

echo "== a tampered tag message"
A=$T/tampered
new_archive tampered
for r in 2017-10-26 2021-12-15 2022-12-15; do ingest_signed "$A" $r alice; done
expect 0 "all signed by alice" -C "$A" verify --trust "$T/alice.pub.pem"
retag "$A" 2021-12-15 's/^Release 2021-12-15 (2021-12-15)$/Release 2021-12-15 (2021-12-16)/'
expect 1 "tag message edited above the signature" -C "$A" verify --trust "$T/alice.pub.pem"
out_has "2021-12-15: FAIL the message of tag release/2021-12-15 was altered"
assert "only 2021 fails" sh -c "[ \$(grep -c FAIL '$T/out') = 1 ]"
expect 1 "caught without --trust too" -C "$A" verify
out_has "2021-12-15: FAIL the message of tag release/2021-12-15 was altered"
expect 0 "releases still lists it" -C "$A" releases
assert "releases flags the bad signature" grep -q "^2021-12-15 .*BAD SIGNATURE" "$T/out"

echo "== a signature edited by one character"
retag "$A" 2021-12-15 's/(2021-12-16)/(2021-12-15)/'
expect 0 "restored message verifies again" -C "$A" verify --trust "$T/alice.pub.pem"
sig=$(sed -n 's/^Declass-Signature: ed25519 [^ ]* \(.\).*/\1/p' "$T/tagmsg")
[ "$sig" = A ] && to=B || to=A
retag "$A" 2022-12-15 "s/^\(Declass-Signature: ed25519 [^ ]* \)./\1$to/"
expect 1 "edited signature" -C "$A" verify --trust "$T/alice.pub.pem"
out_has "2022-12-15: FAIL the signature by key $(echo $ALICE | cut -c1-16)... on release 2022-12-15 does not verify"

echo "== a signature line moved to another release"
line=$(git -C "$A" cat-file tag release/2017-10-26 | grep '^Declass-Signature:')
git -C "$A" cat-file tag release/2021-12-15 | sed '1,/^$/d' | grep -v '^Declass-Signature:' >"$T/tagmsg"
echo "$line" >>"$T/tagmsg"
git -C "$A" tag -f -a release/2021-12-15 -F "$T/tagmsg" "release/2021-12-15^{commit}" >/dev/null
expect 1 "2017's signature on 2021's tag" -C "$A" verify --trust "$T/alice.pub.pem"
out_has "2021-12-15: FAIL the signature by key"

echo "== a signed tag replaced by an unsigned one"
retag "$A" 2017-10-26 '/^Declass-Signature:/d'
expect 1 "signature stripped" -C "$A" verify --trust "$T/alice.pub.pem"
out_has "2017-10-26: FAIL release 2017-10-26 is not signed"
expect 1 "stripped, verified without --trust: only the other faults" -C "$A" verify
assert "an unsigned release is fine without --trust" sh -c "! grep -q '^2017-10-26: FAIL' '$T/out'"

echo "== bad keys are refused"
new_archive keys
expect 2 "--sign with a public key" -C "$T/keys" ingest --release 2017-10-26 --date 2017-10-26 \
	--sign "$T/alice.pub.pem" --manifest "$SAMPLE/2017-10-26/manifest.csv" "$SAMPLE/2017-10-26/files"
err_has "--sign needs the private key"
expect 2 "--sign with a missing file" -C "$T/keys" ingest --release 2017-10-26 --date 2017-10-26 \
	--sign "$T/nope.pem" --manifest "$SAMPLE/2017-10-26/manifest.csv" "$SAMPLE/2017-10-26/files"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$T/rsa.pem" 2>/dev/null
expect 2 "--sign with an RSA key" -C "$T/keys" ingest --release 2017-10-26 --date 2017-10-26 \
	--sign "$T/rsa.pem" --manifest "$SAMPLE/2017-10-26/manifest.csv" "$SAMPLE/2017-10-26/files"
err_has "not an Ed25519 key"
assert "nothing was ingested" sh -c "! git -C '$T/keys' rev-parse -q --verify main >/dev/null"
echo garbage >"$T/garbage.pem"
expect 2 "--trust with a file that is no key" -C "$T/signed" verify --trust "$T/garbage.pem"

finish
