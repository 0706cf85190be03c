# A FIFO among the released files (reading it would hang).
RC=2 MSG="pipe.pdf' is not a regular file"
prepare() {
	sample_tranche
	mkfifo "$D/pipe.pdf"
	ARGS=("$D")
}
