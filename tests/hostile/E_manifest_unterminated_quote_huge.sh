# A quote opened and never closed, then 8 MiB of text.
RC=2 MSG="line 4: unterminated quote in cell 2"
prepare() {
	sample_tranche
	{ printf '124-10001-10002,"x.pdf\n'; head -c $((8 << 20)) /dev/zero | tr '\0' a; } >>"$M"
	ARGS=(--manifest "$M" "$D")
}
