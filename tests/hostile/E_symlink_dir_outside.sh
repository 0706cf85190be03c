# A folder in the tranche that is a symlink to a folder outside it.
RC=2 MSG="points outside the tranche folder"
prepare() {
	sample_tranche
	mkdir "$W/elsewhere"
	printf 'secret\n' >"$W/elsewhere/124-10001-10002.pdf"
	ln -s "$W/elsewhere" "$D/more"
	ARGS=("$D")
}
