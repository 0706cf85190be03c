# A manifest naming an absolute path.
RC=2 MSG="/etc/passwd"
prepare() {
	sample_tranche
	manifest_row "$M" 124-10001-10002 /etc/passwd
	ARGS=(--manifest "$M" "$D")
}
