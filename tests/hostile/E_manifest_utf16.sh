# A manifest exported as UTF-16 (byte order mark FF FE).
RC=2 MSG="UTF-16"
prepare() {
	sample_tranche
	{ printf '\377\376'; printf 'R\0e\0c\0o\0r\0d\0\n\0'; } >"$W/utf16.csv"
	ARGS=(--manifest "$W/utf16.csv" "$D")
}
