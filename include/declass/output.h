/*
 * Named outputs: the one way declass writes a file whose path the user
 * gives (report --output and the pages of report DIR/, show --raw).  What
 * is at the path decides how:
 *
 *   nothing, or a regular file   a new file beside it, NAME.partial-...,
 *                                renamed over it once complete: a failed
 *                                run leaves the path as it was.  A new
 *                                file gets 0666 less the umask; a file
 *                                replaced keeps its permission bits.
 *   a FIFO, a character device   written in place, as a shell's '>' would
 *                                (a pipe, /dev/null, a terminal).
 *   /dev/stdout, /dev/stderr,    that descriptor, as a shell's '>' would.
 *   /dev/fd/N, /proc/self/fd/N
 *   a symbolic link              followed, as git and curl do, and these
 *                                rules applied to what it names (which may
 *                                not exist yet); the link stays a link.
 *   a folder, a block device,    refused (DECLASS_EINPUT).
 *   a socket
 *
 * Opening a FIFO waits for a reader, as a shell's '>' does.
 */
#ifndef DECLASS_OUTPUT_H
#define DECLASS_OUTPUT_H

#include <stdio.h>

#include "declass/declass.h"

typedef struct declass_output declass_output;

/*
 * Open the output at `path`.  *out is the caller's, ended by
 * declass_output_commit() or declass_output_abort().  DECLASS_EINPUT
 * (the message names the path) when the path is refused or cannot be
 * created.
 */
int declass_output_open(declass_output **out, const char *path);

/* The descriptor to write to; the output's (do not close it). */
int declass_output_fd(declass_output *o);

/*
 * A stdio stream over the descriptor, made on the first call; the
 * output's (do not fclose it).  NULL when out of memory.
 */
FILE *declass_output_stream(declass_output *o);

/*
 * Finish: flush and close, then rename the new file into place.  Frees o
 * whatever happens; on failure (DECLASS_ERROR, the message names the
 * path) the path is left as declass_output_abort() leaves it.
 */
int declass_output_commit(declass_output *o);

/*
 * Give up: close and remove the new file, so the path is as it was (what
 * was written in place stays written).  Frees o; NULL is fine.
 */
void declass_output_abort(declass_output *o);

#endif
