# A released file still being downloaded: it grows while ingest reads it.
RC=2 MSG="104-10400-10400.pdf' changed while it was being read"
prepare() {
	sample_tranche
	f=$D/104-10400-10400.pdf
	{ printf '%%PDF-1.4\n'; head -c $((32 << 20)) /dev/zero; } >"$f"
	size=$(stat -c %s "$f")
	(while :; do printf 'x' >>"$f"; done) &
	grower=$!
	# Ingest only once it is growing.
	while [ "$(stat -c %s "$f")" = "$size" ]; do sleep 0.01; done
	ARGS=("$D")
}
cleanup() {
	kill "$grower"
	wait "$grower" 2>/dev/null
}
