# 1 GiB of commas streamed through a FIFO: a manifest must be a regular
# file (it is read twice, to parse and to hash), so it is refused unread.
RC=2 MSG="commas.csv' is not a regular file"
prepare() {
	sample_tranche
	mkfifo "$W/commas.csv"
	(head -c $((1 << 30)) /dev/zero | tr '\0' , >"$W/commas.csv") 2>/dev/null &
	writer=$!
	ARGS=(--manifest "$W/commas.csv" "$D")
}
cleanup() {
	# Unblock the writer if nobody opened the FIFO, then reap it.
	exec 8<>"$W/commas.csv" && exec 8<&-
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
}
