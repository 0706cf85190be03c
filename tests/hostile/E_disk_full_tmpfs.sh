# A full disk: the archive on a 4 MiB tmpfs, a tranche of 8 MiB.
RC=3 MSG="No space left on device"
prepare() {
	mkdir "$W/small" "$W/tr"
	if ! mount -t tmpfs -o size=4m tmpfs "$W/small" 2>/dev/null; then
		SKIP="cannot mount a tmpfs (needs root); see E_disk_full_ulimit"
		return
	fi
	cp -a "$A" "$W/small/archive"
	A=$W/small/archive
	i=0
	while [ $i -lt 8 ]; do
		head -c $((1 << 20)) /dev/urandom >"$W/tr/104-10500-1000$i.pdf"
		i=$((i + 1))
	done
	ARGS=("$W/tr")
}
cleanup() {
	# The driver checks the archive after cleanup: keep a copy of it.
	if mountpoint -q "$W/small"; then
		cp -a "$A" "$W/archive.after" && umount "$W/small" && A=$W/archive.after
	fi
}
