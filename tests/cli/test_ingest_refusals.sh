# Every refusal of bad input: a clear message naming the culprit, exit 2
# (3 for archive trouble), and the archive exactly as it was.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
ingest_sample "$A" 2017-10-26
before=$(fingerprint "$A")

# A fresh copy of the 2021 sample tranche to spoil.
fresh() {
	rm -rf "$T/tr"
	cp -r "$SAMPLE/2021-12-15" "$T/tr"
	M=$T/tr/manifest.csv D=$T/tr/files
}
# refused RC DESC MESSAGE [INGEST ARGS...]: ingest must fail with RC, say MESSAGE, change nothing.
refused() {
	want=$1 desc=$2 msg=$3
	shift 3
	expect "$want" "$desc" -C "$A" ingest --release r2021 --date 2021-12-15 "$@"
	err_has "$msg"
	assert "$desc: archive unchanged" test "$before" = "$(fingerprint "$A")"
}

fresh
rm "$D/124-10001-10001.pdf"
refused 2 "missing file" "file '124-10001-10001.pdf' is not in" --manifest "$M" "$D"

fresh
tail -n 1 "$M" >>"$M"
refused 2 "duplicate row" "lists file '124-10001-10001.pdf' twice" --manifest "$M" "$D"

fresh
sed -i 's/^124-10001-10001,124-10001-10001.pdf/124-10001-10001,..\/124-10001-10001.pdf/' "$M"
refused 2 "traversal in manifest" "124-10001-10001" --manifest "$M" "$D"
assert "names the line" grep -q "line 3" "$T/err"

fresh
sed -i 's/^124-10001-10001,124-10001-10001.pdf/124-10001-10001,\/etc\/passwd/' "$M"
refused 2 "absolute path in manifest" "/etc/passwd" --manifest "$M" "$D"

fresh
sed -i 's/^124-10001-10001,124-10001-10001.pdf/124-10001-10001,..\\\\x.pdf/' "$M"
refused 2 "backslash in manifest" "x.pdf" --manifest "$M" "$D"

fresh
printf 'outside\n' >"$T/outside.pdf"
ln -s "$T/outside.pdf" "$D/zzz.pdf"
refused 2 "symlink out of the tranche" "points outside the tranche folder" "$D"

fresh
printf 'x' >"$D/$(printf 'bad\377name.pdf')"
refused 2 "non-UTF-8 file name" "is not valid UTF-8" "$D"

fresh
printf 'text\n' >"$D/$(printf 'ctl\001.pdf')"
refused 2 "control character in file name" "control character" "$D"

fresh
: >"$T/empty.csv"
refused 2 "empty manifest" "empty.csv" --manifest "$T/empty.csv" "$D"

fresh
head -n 1 "$M" >"$T/header-only.csv"
refused 2 "manifest without rows" "header-only.csv" --manifest "$T/header-only.csv" "$D"

fresh
printf 'Record Number,File Title\n"104-10004-10143,unterminated\n' >"$T/quote.csv"
refused 2 "malformed manifest" "quote.csv" --manifest "$T/quote.csv" "$D"

fresh
: >"$D/124-10001-10001.pdf"
refused 2 "empty released file" "124-10001-10001.pdf' is empty" --manifest "$M" "$D"

fresh
printf 'caf\351\n' >"$D/124-10001-10001.txt"
refused 2 "non-UTF-8 text" "is not valid UTF-8" --manifest "$M" "$D"

fresh
mkfifo "$D/pipe.pdf"
refused 2 "not a regular file" "pipe.pdf' is not a regular file" "$D"

fresh
printf 'stray\n' >"$D/stray.pdf"
refused 2 "file not in manifest" "not in manifest 'manifest.csv', first 'stray.pdf'" --manifest "$M" "$D"
expect 0 "--allow-unlisted leaves it out" -C "$T/a" ingest --release ok --date 2021-12-15 --allow-unlisted --manifest "$M" "$D"
assert "stray file not archived" test -z "$(git -C "$A" ls-tree -r --name-only main | grep stray)"
before=$(fingerprint "$A")

fresh
cp "$D/124-10001-10001.txt" "$D/text.txt"
refused 2 "reserved name" "name the archive reserves" "$D"

fresh
refused 2 "date older than the tip" "older than the newest release" --date 2019-01-01 --manifest "$M" "$D"
refused 2 "date 1900" "implausible" --date 1900-01-01 --manifest "$M" "$D"
refused 2 "date 2999" "implausible" --date 2999-01-01 --manifest "$M" "$D"
refused 2 "not a date" "not a date" --date 2021-02-30 --manifest "$M" "$D"
refused 2 "bad release id" "release id" --release ../x --manifest "$M" "$D"
refused 2 "multi-line title" "one line" --title "$(printf 'a\nb')" --manifest "$M" "$D"
refused 2 "missing folder" "cannot open tranche folder" "$T/nope"

# Wrong usage.
expect 2 "no --release" -C "$A" ingest --date 2021-12-15 "$D"
err_has "--release and --date are required"
expect 2 "two folders" -C "$A" ingest --release x --date 2021-12-15 "$D" "$D"

# Archive trouble is exit 3.
mkdir "$T/plain"
expect 3 "not an archive" -C "$T/plain" ingest --release x --date 2021-12-15 "$D"
err_has "is not a declass archive"
git init -q --bare "$T/gitonly"
expect 3 "git but not declass" -C "$T/gitonly" releases
err_has "not a declass archive"
expect 2 "init over a non-empty folder" -C "$A" init

finish
