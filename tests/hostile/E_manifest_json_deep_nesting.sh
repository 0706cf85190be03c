# A JSON manifest nested 100,000 arrays deep.
RC=2 MSG="deep.json"
prepare() {
	sample_tranche
	head -c 100000 /dev/zero | tr '\0' '[' >"$W/deep.json"
	ARGS=(--manifest "$W/deep.json" "$D")
}
