# Two columns with the same header.
RC=2 MSG="File Name"
prepare() {
	sample_tranche
	printf 'Record Number,File Name,File Name\n124-10001-10001,124-10001-10001.pdf,x.pdf\n' \
		>"$W/dup.csv"
	ARGS=(--manifest "$W/dup.csv" "$D")
}
