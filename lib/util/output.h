/*
 * What named outputs (declass/output.h) share with the library's other
 * writers of new paths (export's bag, clone's archive): a new file or
 * folder made beside the path, to be renamed onto it once complete.
 */
#ifndef DECLASS_UTIL_OUTPUT_H
#define DECLASS_UTIL_OUTPUT_H

#include "declass/output.h"
#include "buf.h"

/*
 * Create a new file (folder: 0) or folder (folder: 1) beside `path`, in
 * its folder, named "NAME.partial-PID-N" where NAME is path's last
 * component cut to 200 bytes (so the name fits in 255).  Mode 0666
 * (0777 for a folder) less the umask; never through a symlink, never over
 * anything.  Its path goes in *name (emptied first); a file's descriptor
 * in *fd (the caller's to close), -1 for a folder.  DECLASS_EINPUT (the
 * message names path) when nothing can be created there.
 */
int dc_create_beside(dc_buf *name, const char *path, int folder, int *fd);

/*
 * Make the folders that lead to `path` (mkdir -p of its folder, 0777 less
 * the umask).  0, or DECLASS_EINPUT naming the folder.
 */
int dc_make_parents(const char *path);

/*
 * Remove the file or folder at path and all below it, never following a
 * symlink; 0, or -1 and errno.  For what dc_create_beside() made.
 */
int dc_remove_tree(const char *path);

/* write() all of data, again after EINTR and short writes: 0, or -1 and errno. */
int dc_write_all(int fd, const void *data, size_t len);

#endif
