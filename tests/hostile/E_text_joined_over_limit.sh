# Two files of one record whose texts are each under --max-text but
# together, joined into the record's text.txt, over it.
RC=2 MSG="record 124-10001-10001: its text would be 2400001 bytes, over the limit of 2 MiB on one text (--max-text)"
prepare() {
	sample_tranche
	cp "$D/124-10001-10001.pdf" "$D/124-10001-10001-2.pdf"
	yes 'SOVIETS PROBABLY FINANCED' | head -c 1200000 >"$D/124-10001-10001.txt"
	yes 'SOVIETS PROBABLY FINANCED' | head -c 1200000 >"$D/124-10001-10001-2.txt"
	manifest_row "$M" 124-10001-10001 124-10001-10001-2.pdf
	ARGS=(--max-text 2M --manifest "$M" "$D")
}
