# A text sidecar of 400 MiB (a hole after one line: no disk), over the
# limit of 32 MiB on one text: refused before a byte of it is read.
# Accepted, it cost every later grep 4.6 GB of memory and a minute.
RC=2 MSG="124-10001-10001.txt' is 419430400 bytes, over the limit of 32 MiB on one text (--max-text)"
prepare() {
	sample_tranche
	printf 'ANONYMOUS CALL TO AMEMBASSY CANBERRA\n' >"$D/124-10001-10001.txt"
	truncate -s 400M "$D/124-10001-10001.txt"
	ARGS=(--manifest "$M" "$D")
}
