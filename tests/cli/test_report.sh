# declass report: HTML pages of a record and of a release, checked as text
# (self-contained, escaped, the highlights where they belong) and, where
# Chromium is installed, rendered by a real browser: the DOM must show the
# released words highlighted and no injected markup may have run.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
for r in 2017-10-26 2021-12-15 2022-12-15; do ingest_sample "$A" $r; done
R=104-10004-10143

# A hostile tranche: record text, titles, a record id and a release's source
# that try to inject markup.  Release 1 redacts, release 2 "releases" it.
mkdir -p "$T/h1/files" "$T/h2/files"
cat >"$T/h1/manifest.csv" <<'EOF'
File Name,Record Num,Title,Agency,Formerly Withheld
evil.txt,evil-1,"<b>bold</b> & ""quoted"" 'title'",<i>AGENCY</i>,In Part
ce399.txt,CE 399 <b>,Bullet <script>alert(1)</script>,FBI,In Full
EOF
cp "$T/h1/manifest.csv" "$T/h2/manifest.csv"
printf 'Memorandum for the record.\nThe subject [REDACTED] was seen at the consulate.\n' >"$T/h1/files/evil.txt"
cat >"$T/h2/files/evil.txt" <<'EOF'
Memorandum for the record.
The subject <script>document.title='pwned'</script> Oswald Harvey <img src=x onerror="document.title='pwned'"> was seen at the consulate.
EOF
printf 'Exhibit text & <em>nothing</em> else.\n' >"$T/h1/files/ce399.txt"
cp "$T/h1/files/ce399.txt" "$T/h2/files/ce399.txt"
"$DECLASS" -C "$A" ingest --release 2024-01-10 --date 2024-01-10 --title '<script>alert(1)</script>' \
	--source 'javascript:alert(1)' --manifest "$T/h1/manifest.csv" "$T/h1/files" >/dev/null ||
	fail "ingest hostile release 1"
"$DECLASS" -C "$A" ingest --release 2024-06-10 --date 2024-06-10 --source 'https://example.org/a"b<c>' \
	--manifest "$T/h2/manifest.csv" "$T/h2/files" >/dev/null || fail "ingest hostile release 2"

# self_contained FILE: nothing fetched, nothing run.
self_contained() {
	! grep -qiE '<script|<link|<img|<iframe|<object|<embed|<[^>]*[[:space:]]src=|@import|url\(' "$1" &&
		grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$1" &&
		head -1 "$1" | grep -q '^<!DOCTYPE html>$'
}

## record page
expect 0 "record report" -C "$A" report $R --output "$T/r.html"
out_has "wrote $T/r.html"
assert "record page is self-contained" self_contained "$T/r.html"
assert "title and metadata" grep -q '<title>104-10004-10143 — LEE HARVEY OSWALD' "$T/r.html"
assert "release types listed" grep -q '<span class="type">In Part</span>' "$T/r.html"
assert "legend of releases" grep -q 'first public in 2021-12-15</li>' "$T/r.html"
assert "blame: Kostikov first public in 2021" grep -qF \
	'<mark class="c1" data-release="2021-12-15" title="first public in release 2021-12-15">Kostikov</mark>' "$T/r.html"
assert "blame: page 2 first public in 2022" grep -qF \
	'<mark class="c2" data-release="2022-12-15" title="first public in release 2022-12-15">5.  Headquarters' "$T/r.html"
assert "diff: released word highlighted, marker struck" grep -qF \
	'<del class="marker" title="redaction marker before">[REDACTED]</del> <ins class="c1" data-release="2021-12-15" title="released in 2021-12-15">Kostikov</ins>' "$T/r.html"
assert "still-redacted text shown as a marker" grep -q 'class="marker solid"' "$T/r.html"
assert "file hashes listed" grep -q "$(sha256sum <"$SAMPLE/2017-10-26/files/$R.pdf" | cut -c1-64)" "$T/r.html"
expect 0 "same archive, same bytes" -C "$A" report $R --output "$T/r2.html"
assert "deterministic" cmp -s "$T/r.html" "$T/r2.html"
expect 0 "report to stdout" -C "$A" report $R --output -
assert "stdout is the page" cmp -s "$T/out" "$T/r.html"
expect 0 "a one-version record" -C "$A" report 124-10001-10001 -o "$T/one.html"
assert "says it has one version" grep -q 'This record has one version' "$T/one.html"

## escaping
expect 0 "hostile record" -C "$A" report evil-1 --output "$T/evil.html"
assert "hostile page is self-contained" self_contained "$T/evil.html"
assert "script shown as text" grep -qF "script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" "$T/evil.html"
assert "img shown as text" grep -qF '&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;' "$T/evil.html"
assert "title escaped" grep -qF '&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;title&#39;' "$T/evil.html"
assert "agency escaped" grep -qF '&lt;i&gt;AGENCY&lt;/i&gt;' "$T/evil.html"
assert "no raw markup from the archive" sh -c "! grep -qE '<(b|i|em)>' '$T/evil.html'"
expect 0 "hostile release page" -C "$A" report --release 2024-01-10 --output "$T/rel-evil.html"
assert "hostile release page is self-contained" self_contained "$T/rel-evil.html"
assert "javascript: source is not a link" sh -c "! grep -q 'href=\"javascript' '$T/rel-evil.html' && grep -q 'javascript:alert(1)' '$T/rel-evil.html'"
expect 0 "https source" -C "$A" report --release 2024-06-10 --output "$T/rel-evil2.html"
assert "https source is an escaped link" grep -qF 'href="https://example.org/a&quot;b&lt;c&gt;"' "$T/rel-evil2.html"

## release page and a folder of pages
expect 0 "release report" -C "$A" report --release 2022-12-15 --output "$T/rel.html"
assert "release page is self-contained" self_contained "$T/rel.html"
assert "counts" grep -q '<b>3</b><span>records new or changed</span>' "$T/rel.html"
assert "words per agency" grep -q '<tr><td>CIA</td><td class="num">3</td>' "$T/rel.html"
assert "most released first" sh -c "grep -o '<td class=\"nowrap\">[^<]*' '$T/rel.html' | head -1 | grep -q $R"
assert "no links in a single page" sh -c "! grep -q 'href=\"records/' '$T/rel.html'"
expect 0 "first release: everything new" -C "$A" report --release 2017-10-26 --output "$T/first.html"
assert "three new records" grep -q '<b>3</b><span>new records</span>' "$T/first.html"
expect 0 "folder of pages" -C "$A" report --release 2024-01-10 --output "$T/site/"
assert "release page written" test -f "$T/site/release-2024-01-10.html"
assert "record pages written" test -f "$T/site/records/evil-1.html"
assert "odd record id: safe file name" test -f "$T/site/records/CE~20399~20~3Cb~3E.html"
assert "linked from the release page" grep -qF 'href="records/CE~20399~20~3Cb~3E.html">CE 399 &lt;b&gt;</a>' "$T/site/release-2024-01-10.html"
assert "record page links back" grep -qF 'href="../release-2024-01-10.html"' "$T/site/records/evil-1.html"
assert "no temporary files left" sh -c "! ls -A '$T/site' '$T/site/records' | grep -q '^\\.'"
expect 0 "record into a folder" -C "$A" report $R --output "$T/site/"
assert "named after the record" test -f "$T/site/$R.html"

## usage
expect 2 "no --output" -C "$A" report $R
err_has "--output"
expect 2 "record and --release" -C "$A" report $R --release 2022-12-15 -o "$T/x.html"
expect 2 "unknown record" -C "$A" report 999-99999-99999 -o "$T/x.html"
err_has "not in the archive"
expect 2 "unknown release" -C "$A" report --release 1999-01-01 -o "$T/x.html"
err_has "no release '1999-01-01'"
assert "no page on failure" sh -c "! ls '$T' | grep -q '^x.html'"
expect 0 "--help" report --help
out_has "Example:"

## a real browser
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
	chrome() {
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--disable-dev-shm-usage --hide-scrollbars --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@" \
			2>>"$T/chrome.log"
	}
	chrome --dump-dom "file://$T/r.html" >"$T/dom.html"
	assert "browser: Kostikov highlighted as released in 2021" grep -qF \
		'<mark class="c1" data-release="2021-12-15" title="first public in release 2021-12-15">Kostikov</mark>' "$T/dom.html"
	assert "browser: released words inside <ins>" grep -qF \
		'<ins class="c1" data-release="2021-12-15" title="released in 2021-12-15">Kostikov</ins>' "$T/dom.html"
	chrome --dump-dom "file://$T/evil.html" >"$T/evil-dom.html"
	assert "browser: title not changed by the injected script" sh -c \
		"grep -q '<title>evil-1 — ' '$T/evil-dom.html' && ! grep -qi 'pwned</title>' '$T/evil-dom.html'"
	assert "browser: no element made from record text" sh -c \
		"! grep -qiE '<(script|img)[ >]' '$T/evil-dom.html' && grep -qF 'script&gt;document.title' '$T/evil-dom.html'"
	chrome --screenshot="$T/shot.png" --window-size=1100,1800 "file://$T/r.html" >/dev/null
	assert "browser: screenshot is a PNG" sh -c "head -c 8 '$T/shot.png' | od -An -c | grep -q 'P   N   G'"
	assert "browser: screenshot is not blank" test "$(wc -c <"$T/shot.png")" -gt 20000
else
	echo "skip: chromium not installed (scripts/deps.sh installs it); browser checks not run"
fi

finish
