# A full disk, as seen through a file size limit (ulimit -f): writes past
# 2 MiB fail with EFBIG.
RC=3 MSG="File too large"
prepare() {
	mkdir "$W/tr"
	head -c $((4 << 20)) /dev/urandom >"$W/tr/104-10500-10001.pdf"
}
run_case() {
	(trap '' XFSZ && ulimit -f 2048 && exec "$DECLASS" -C "$A" ingest --release hostile \
		--date 2021-12-15 "$W/tr")
}
