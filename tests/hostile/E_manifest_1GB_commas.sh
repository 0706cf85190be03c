# A manifest of 1 GiB of commas.  The size limit (512 MiB) refuses it
# before a byte is read, so by default the file is sparse (commas, then a
# hole: no disk); DECLASS_LONG_TESTS=1 writes 1 GiB of real commas.
RC=2 MSG="over the limit of 512 MiB"
prepare() {
	sample_tranche
	if [ "${DECLASS_LONG_TESTS:-0}" = 1 ]; then
		head -c $((1 << 30)) /dev/zero | tr '\0' , >"$W/commas.csv"
	else
		head -c 65536 /dev/zero | tr '\0' , >"$W/commas.csv"
		truncate -s 1G "$W/commas.csv"
	fi
	ARGS=(--manifest "$W/commas.csv" "$D")
}
