# A NUL byte inside a manifest's file name ("x.pdf\0../../etc/passwd").
RC=2 MSG="NUL byte"
prepare() {
	sample_tranche
	printf '124-10001-10002,x.pdf\000../../etc/passwd\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
