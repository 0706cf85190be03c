# A record id holding U+009B, the C1 control sequence introducer (CSI):
# "\x9b31m" turns a terminal red, as "\x1b[31m" does.
RC=2 MSG="holds a control character (U+009B)"
prepare() {
	sample_tranche
	printf '124-10001\302\23331m,124-10001-10001.pdf\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
