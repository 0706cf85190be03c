# A read-only archive: a read-only bind mount as root (chmod does not stop
# root), else no write bits.
RC=3 MSG="declass.lock"
prepare() {
	sample_tranche
	ARGS=(--manifest "$M" "$D")
	mounted=0
	if [ "$(id -u)" = 0 ]; then
		if mount --bind "$A" "$A" 2>/dev/null; then
			mounted=1
			mount -o remount,bind,ro "$A" 2>/dev/null || SKIP="cannot remount read-only"
		else
			SKIP="root, and cannot bind-mount"
		fi
	else
		chmod -R a-w "$A"
	fi
}
cleanup() {
	# The driver gives the write bits back once it has checked the archive.
	[ "$mounted" = 1 ] && umount "$A"
}
