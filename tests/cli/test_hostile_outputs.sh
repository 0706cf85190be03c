# Hostile outputs and odd inputs (issue 19): what declass writes to a path
# the user names (report --output, report DIR/, show --raw, export --bag),
# names made from long record ids, verify of files that are not regular
# files, a killed clone, and hidden files in a tranche.  docs/RELIABILITY.md,
# "Named outputs, long ids, odd files (issue 19)", says what each proves.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
ingest_sample "$A" 2017-10-26
R=104-10004-10143
is_root=0
[ "$(id -u)" = 0 ] && is_root=1

# page_in FILE: FILE holds a whole report page.
page_in() { head -1 "$1" | grep -q '^<!DOCTYPE html>$' && grep -q '</html>' "$1"; }
# mode FILE: its permission bits in octal.
mode() { stat -c %a "$1"; }

echo "== report --output: a FIFO is written in place, not replaced"
mkfifo "$T/fifo"
timeout 10 cat "$T/fifo" >"$T/fifo.out" &
reader=$!
expect 0 "report into a FIFO" -C "$A" report $R --output "$T/fifo"
wait $reader
assert "the FIFO is still a FIFO" test -p "$T/fifo"
assert "the reader got the page" page_in "$T/fifo.out"

echo "== report --output: a symlink is followed, and stays a symlink"
echo old >"$T/target.html"
ln -s target.html "$T/link.html"
expect 0 "report through a symlink" -C "$A" report $R --output "$T/link.html"
assert "the link is still a link" test -L "$T/link.html"
assert "its target holds the page" page_in "$T/target.html"
ln -s new-target.html "$T/dangling.html"
expect 0 "report through a dangling symlink" -C "$A" report $R --output "$T/dangling.html"
assert "the dangling link is still a link" test -L "$T/dangling.html"
assert "the file it names was created" page_in "$T/new-target.html"

echo "== report --output: a character device is written in place"
if [ $is_root = 1 ] && mknod "$T/null" c 1 3 2>/dev/null; then
	expect 0 "report into a private /dev/null" -C "$A" report $R --output "$T/null"
	assert "the device is still a character device" test -c "$T/null"
else
	echo "skipped: mknod needs root"
fi
# /dev/stderr is such a link; a private one, so that a broken build cannot replace the system's.
ln -s /proc/self/fd/2 "$T/stderr"
expect 0 "report into a link to /proc/self/fd/2" -C "$A" report $R --output "$T/stderr"
assert "the page went to stderr" grep -q '</html>' "$T/err"
assert "the link is still a link" test -L "$T/stderr"

echo "== report --output: a block device, a folder and a socket are refused"
if [ $is_root = 1 ] && mknod "$T/blk" b 240 0 2>/dev/null; then
	expect 2 "report into a block device" -C "$A" report $R --output "$T/blk"
	err_has "'$T/blk' is a block device"
	assert "the block device is still there" test -b "$T/blk"
else
	echo "skipped: mknod needs root"
fi
mkdir "$T/sub"
expect 2 "show --raw into a folder" -C "$A" show --raw "$T/sub" $R
err_has "'$T/sub' is a folder"
python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$T/sock"
expect 2 "report into a socket" -C "$A" report $R --output "$T/sock"
err_has "'$T/sock' is a socket"
assert "the socket is still there" test -S "$T/sock"

echo "== show --raw: a failed run leaves an existing file as it was"
echo keep >"$T/keep.pdf"
expect 2 "show --raw of an unknown record" -C "$A" show --raw "$T/keep.pdf" 999-99999-99999
assert "the file is untouched" grep -qx keep "$T/keep.pdf"
echo keep >"$T/keep-target.pdf"
ln -s keep-target.pdf "$T/keep-link.pdf"
expect 2 "show --raw of an unknown record through a symlink" -C "$A" show --raw "$T/keep-link.pdf" 999-99999-99999
assert "the link stays" test -L "$T/keep-link.pdf"
assert "its target is untouched" grep -qx keep "$T/keep-target.pdf"
expect 0 "show --raw replaces a regular file" -C "$A" show --raw "$T/keep.pdf" $R
assert "with the released bytes" cmp -s "$T/keep.pdf" "$SAMPLE/2017-10-26/files/$R.pdf"
mkfifo "$T/rawfifo"
timeout 10 cat "$T/rawfifo" >"$T/rawfifo.out" &
reader=$!
expect 0 "show --raw into a FIFO" -C "$A" show --raw "$T/rawfifo" $R
wait $reader
assert "the raw bytes came through the FIFO" cmp -s "$T/rawfifo.out" "$SAMPLE/2017-10-26/files/$R.pdf"

echo "== the umask is honoured, and a replaced file keeps its mode"
(umask 077 && "$DECLASS" -C "$A" report $R --output "$T/u077.html" >/dev/null) || fail "report, umask 077"
assert "report, umask 077: 600 ($(mode "$T/u077.html"))" test "$(mode "$T/u077.html")" = 600
(umask 002 && "$DECLASS" -C "$A" report $R --output "$T/u002.html" >/dev/null) || fail "report, umask 002"
assert "report, umask 002: 664 ($(mode "$T/u002.html"))" test "$(mode "$T/u002.html")" = 664
(umask 002 && "$DECLASS" -C "$A" show --raw "$T/u002.pdf" $R >/dev/null) || fail "show --raw, umask 002"
assert "show --raw, umask 002: 664 ($(mode "$T/u002.pdf"))" test "$(mode "$T/u002.pdf")" = 664
echo secret >"$T/private.html"
chmod 600 "$T/private.html"
(umask 022 && "$DECLASS" -C "$A" report $R --output "$T/private.html" >/dev/null) || fail "report over a 600 file"
assert "a replaced file keeps its mode 600 ($(mode "$T/private.html"))" test "$(mode "$T/private.html")" = 600
assert "and holds the page" page_in "$T/private.html"
(umask 077 && "$DECLASS" -C "$A" report --release 2017-10-26 --output "$T/site077/" >/dev/null) ||
	fail "report DIR/, umask 077"
assert "report DIR/, umask 077: folders 700" test "$(mode "$T/site077")$(mode "$T/site077/records")" = 700700
assert "report DIR/, umask 077: pages 600" \
	test -z "$(find "$T/site077" -type f ! -perm 600)" -a -n "$(find "$T/site077" -type f)"
(umask 077 && "$DECLASS" -C "$A" export --bag "$T/bag077" 2017-10-26 >/dev/null) || fail "export, umask 077"
assert "export, umask 077: folders 700" test -z "$(find "$T/bag077" -type d ! -perm 700)"
assert "export, umask 077: files 600" test -z "$(find "$T/bag077" -type f ! -perm 600)"
(umask 002 && "$DECLASS" -C "$A" export --bag "$T/bag002" 2017-10-26 >/dev/null) || fail "export, umask 002"
assert "export, umask 002: folders 775" test -z "$(find "$T/bag002" -type d ! -perm 775)"
assert "export, umask 002: files 664" test -z "$(find "$T/bag002" -type f ! -perm 664)"
expect 2 "export refuses an existing path" -C "$A" export --bag "$T/link.html" 2017-10-26
assert "the link is untouched" test -L "$T/link.html"

echo "== a 200-byte record id: every name made from it fits in 255 bytes"
L=$(printf 'é%.0s' $(seq 100)) # 200 bytes, 600 once escaped
assert "the id is 200 bytes" test "$(printf %s "$L" | wc -c)" = 200
LSHA=$(printf %s "$L" | sha256sum | cut -c1-64)
mkdir -p "$T/long/files"
cp "$SAMPLE/2017-10-26/files/$R.pdf" "$T/long/files/long.pdf"
cp "$SAMPLE/2017-10-26/files/$R.txt" "$T/long/files/long.txt"
printf 'Record Number,File Name\n%s,long.pdf\n' "$L" >"$T/long/manifest.csv"
expect 0 "ingest the long id" -C "$A" ingest --release long --date 2018-01-01 \
	--manifest "$T/long/manifest.csv" "$T/long/files"
# longest_name DIR: the longest file or folder name below DIR, in bytes.
longest_name() { find "$1" -mindepth 1 -printf '%f\n' | LC_ALL=C awk '{ if (length > n) n = length } END { print n + 0 }'; }
expect 0 "export --bag of it" -C "$A" export --bag "$T/longbag" long
assert "bag names fit in 255 bytes ($(longest_name "$T/longbag"))" test "$(longest_name "$T/longbag")" -le 255
assert "the bag folder ends with +SHA-256 of the id" test -d "$(echo "$T"/longbag/data/records/_/*+"$LSHA")"
assert "and starts with the escaped id" sh -c "ls '$T/longbag/data/records/_/' | grep -q '^%C3%A9%C3%A9'"
expect 0 "verify --bag of it" verify --bag "$T/longbag"
expect 0 "report --release into a folder" -C "$A" report --release long --output "$T/longsite/"
assert "report names fit in 255 bytes ($(longest_name "$T/longsite"))" test "$(longest_name "$T/longsite")" -le 255
assert "the page is +SHA-256 of the id .html" test -f "$(echo "$T"/longsite/records/*+"$LSHA".html)"
assert "and starts with the escaped id" sh -c "ls '$T/longsite/records/' | grep -q '^~C3~A9~C3~A9'"
assert "the release page links to it" grep -q "records/[^\"]*+$LSHA.html" "$T/longsite/release-long.html"
expect 0 "report of the record into a folder" -C "$A" report "$L" --output "$T/longrec/"
assert "its name fits too" test "$(longest_name "$T/longrec")" -le 255
assert "the same name as in the release's folder" test -f "$(echo "$T"/longrec/*+"$LSHA".html)"

echo "== verify FILE refuses what is not a regular file, without hanging"
mkfifo "$T/vfifo"
cp "$SAMPLE/2017-10-26/files/$R.pdf" "$T/known.pdf"
t0=$(date +%s)
timeout 10 "$DECLASS" -C "$A" verify "$T/vfifo" /dev/zero "$T/known.pdf" >"$T/out" 2>"$T/err"
rc=$?
assert "verify of a FIFO and /dev/zero ends (exit $rc, want 1)" test $rc = 1
assert "in seconds" test $(($(date +%s) - t0)) -lt 10
out_has "$T/vfifo: FAIL '$T/vfifo' is not a regular file"
out_has "/dev/zero: FAIL '/dev/zero' is not a regular file"
out_has "$T/known.pdf: OK"

echo "== clone writes its archive beside DIR and renames it at the end"
mkdir "$T/c2"
expect 0 "clone into an existing empty folder" clone "$A" "$T/c2"
expect 0 "which verifies" -C "$T/c2" verify
expect 0 "clone into a new path" clone "$A" "$T/c3"
expect 0 "clone into a path whose folders do not exist yet" clone "$A" "$T/new/deeper/c4"
mkdir "$T/c5-target"
ln -s c5-target "$T/c5"
expect 0 "clone into a symlink to an empty folder" clone "$A" "$T/c5"
assert "the link stays, the archive is where it points" test -L "$T/c5" -a -f "$T/c5-target/HEAD"
assert "nothing left beside the clones" test -z "$(ls -A "$T" | grep partial)"
echo "== a killed clone leaves no archive behind"
if have_strace; then
	# SIGKILL as the clone first opens the source's config: the target exists by then.
	kill_writer_at "$A" openat config 1 clone "$A" "$T/c1"
	krc=$?
	assert "the clone was killed (exit $krc)" test $krc = 137
	assert "no archive at the target" test ! -e "$T/c1"
	assert "what it wrote is in one partial folder beside it" \
		test "$(ls -d "$T"/c1.partial-* 2>/dev/null | wc -l)" = 1
	expect 0 "a second clone succeeds" clone "$A" "$T/c1"
	expect 0 "and verifies" -C "$T/c1" verify
	out_has "OK"
else
	echo "skipped: no strace or ptrace"
fi

echo "== hidden files in a tranche without a manifest are counted and named"
mkdir -p "$T/hid"
cp "$SAMPLE/2021-12-15/files/"* "$T/hid/"
cp "$SAMPLE/2021-12-15/files/$R.pdf" "$T/hid/.$R.pdf"
touch "$T/hid/.DS_Store"
expect 0 "ingest with hidden files" -C "$A" ingest --release hid --date 2021-12-15 "$T/hid"
err_has "warning: left out 2 hidden files in '$T/hid' (names starting with '.'), first '.$R.pdf'"
new_archive h2
expect 0 "ingest with hidden files, --json" -C "$T/h2" ingest --json --release hid --date 2021-12-15 "$T/hid"
assert "--json counts them" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['hidden_files'] == 2, d
assert d['hidden_first'] == '.$R.pdf', d" "$T/out"
rm "$T/hid/.DS_Store"
new_archive h3
expect 0 "one hidden file" -C "$T/h3" ingest --release hid --date 2021-12-15 "$T/hid"
err_has "warning: left out 1 hidden file in '$T/hid' (a name starting with '.'), first '.$R.pdf'"
# A hidden name is printed: a terminal escape in it is not.
touch "$T/hid/."$'\033'"]0;pwned"$'\a'".pdf"
new_archive h4
expect 0 "a hidden name with control characters" -C "$T/h4" ingest --release hid --date 2021-12-15 "$T/hid"
err_has "left out 2 hidden files in '$T/hid' (names starting with '.'), first '.?]0;pwned?.pdf'"
assert "no escape reaches the terminal" sh -c "! grep -q \"\$(printf '\033')\" '$T/err'"

finish
