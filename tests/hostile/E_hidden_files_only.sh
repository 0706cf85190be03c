# A tranche whose only released file is hidden (a name starting with '.'):
# the error must say that it was left out, not only that nothing was found.
RC=2 MSG="(1 hidden file left out, first '.104-10004-10143.pdf')"
prepare() {
	mkdir -p "$W/tr"
	cp "$SAMPLE/2021-12-15/files/104-10004-10143.pdf" "$W/tr/.104-10004-10143.pdf"
	ARGS=("$W/tr")
}
