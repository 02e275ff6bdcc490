/* outfile.h — the one way attnviz writes an output file: whole or not at all, and never over a device.
 *
 * Where the bytes go depends on what the path is:
 *   - a regular file, or a path that does not exist yet: a temporary file
 *     beside it (mkstemp in the same folder) takes the bytes; every write,
 *     the flush and the close are checked, and only then is it renamed over
 *     the target. On any failure the temporary file is removed and the old
 *     file is left as it was. A replaced file keeps its permission bits
 *     (and, where allowed, its owner); a new one gets 0666 less the umask.
 *   - a symlink: the chain is followed to the file it names, which is then
 *     written the same way; the link stays a link.
 *   - anything else (a character or block device, a FIFO, a socket): the
 *     bytes are written to it directly; it is never renamed over or removed.
 *   - "-": standard output.
 * A failure is one line "PATH: reason" ("out.png: No space left on device"),
 * with the path escaped (err.h).
 *
 * Two ways in: av_write_file for bytes already in memory, and
 * av_out_open / av_out_close for a FILE * written with fprintf. Writing
 * several files all or nothing: open them all, write, av_out_finish each
 * (every write checked, nothing renamed yet), then av_out_close each.
 */
#ifndef BASE_OUTFILE_H
#define BASE_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef enum {
    AV_OUT_NONE,      /* not open (zero value, or after close / abort) */
    AV_OUT_REPLACE,   /* temporary file, renamed over target on close  */
    AV_OUT_DIRECT,    /* device, FIFO or socket: written in place      */
    AV_OUT_STDOUT     /* "-"                                           */
} AvOutKind;

typedef struct {
    FILE *f;          /* write here between open and finish            */
    AvOutKind kind;
    bool finished;    /* flushed and closed, every write checked       */
    char *path;       /* as given, for messages                        */
    char *target;     /* REPLACE: the file the rename replaces         */
    char *tmp;        /* REPLACE: the temporary file beside it         */
} AvOut;

/* true for "-": standard output. */
bool av_is_stdout(const char *path);

/* Open path for writing (see above). Returns the stream, or NULL with the
 * reason in err (AV_ERR_LEN bytes) and nothing created. */
FILE *av_out_open(AvOut *o, const char *path, char *err);
/* Flush and close the stream, checking every write: 0, or -1 with err set
 * and the output aborted. Nothing is renamed yet. */
int av_out_finish(AvOut *o, char *err);
/* Finish (when not done yet) and put the file in place: 0, or -1 with err
 * set, the temporary file removed and the old file untouched. */
int av_out_close(AvOut *o, char *err);
/* Give up: close, remove the temporary file; the old file stays. Safe on a
 * zeroed or already closed AvOut. */
void av_out_abort(AvOut *o);

/* n bytes of data to path, all or nothing: 0, or -1 with err set. */
int av_write_file(const char *path, const void *data, size_t n, char *err);

/* Several files in memory, all or nothing: every file is opened (a
 * temporary file beside each regular target) and written, and every write
 * checked (av_out_finish), before the first is renamed into place; on a
 * failure every temporary file is removed and no regular file changes.
 * (A device, FIFO or "-" gets its bytes as they are written. Only a rename
 * that fails after others succeeded, which a full disk cannot cause, could
 * leave some files new and some old.) 0, or -1 with err set. */
typedef struct {
    const char *path;
    const void *data;
    size_t n;
} AvFile;
int av_write_files(const AvFile *files, int n, char *err);

#endif
