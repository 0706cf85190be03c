# A record id of 10,000 characters.
RC=2 MSG="is 10000 bytes long"
prepare() {
	sample_tranche
	manifest_row "$M" "$(head -c 10000 /dev/zero | tr '\0' 7)" 124-10001-10001.pdf
	ARGS=(--manifest "$M" "$D")
}
