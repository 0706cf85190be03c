# A relative symlink that climbs out of the tranche ("../../outside.pdf").
RC=2 MSG="points outside the tranche folder"
prepare() {
	sample_tranche
	printf 'secret\n' >"$W/outside.pdf"
	ln -s ../../outside.pdf "$D/124-10001-10002.pdf"
	ARGS=("$D")
}
