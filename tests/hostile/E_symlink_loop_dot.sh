# A symlink to the folder that holds it (loop -> .): a loop inside the
# tranche, not a way out of it.
RC=2 MSG="points at a folder that holds it (a loop)"
prepare() {
	sample_tranche
	ln -s . "$D/loop"
	ARGS=("$D")
}
