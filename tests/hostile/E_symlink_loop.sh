# Two symlinks pointing at each other.
RC=2 MSG="loop.pdf"
prepare() {
	sample_tranche
	ln -s loop2.pdf "$D/loop.pdf"
	ln -s loop.pdf "$D/loop2.pdf"
	ARGS=("$D")
}
