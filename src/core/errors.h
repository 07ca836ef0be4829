/*
 * errors.h - the core's one error convention.
 *
 * Functions return 0 (or a non-negative count) on success and a negative
 * ERR_* code on failure.  Platforms turn these into EFI_STATUS or exit codes
 * only at their edge.  err_str() names each code for messages.
 */
#ifndef AOEBOOT_ERRORS_H
#define AOEBOOT_ERRORS_H

enum {
	ERR_IO = 1,        /* the device reported an I/O error */
	ERR_TIMEOUT,       /* no answer within the retry budget */
	ERR_NODEV,         /* no such device / target not found */
	ERR_INVAL,         /* invalid argument */
	ERR_NOMEM,         /* out of memory */
	ERR_RANGE,         /* LBA or offset out of range */
	ERR_ROFS,          /* target or volume is read-only */
	ERR_NOENT,         /* no such file or directory */
	ERR_NOTDIR,        /* a path component is not a directory */
	ERR_ISDIR,         /* is a directory */
	ERR_LOOP,          /* too many symbolic links */
	ERR_CORRUPT,       /* on-disk structure is corrupt */
	ERR_NOTSUP,        /* unsupported feature or format */
	ERR_PROTO,         /* protocol violation by the peer */
	ERR_TOOBIG,        /* too large */
	ERR_NOSPC,         /* table full */
	ERR_BADFS,         /* not a filesystem this driver knows */
	ERR_PERM,          /* not permitted */
	ERR_NAMETOOLONG,   /* a name or path is too long */
	ERR_AGAIN,         /* nothing yet; try again */
	ERR_ABORTED,       /* cancelled by the user */
	ERR_MAX
};

/** Return a short English description of an ERR_* code (sign ignored). */
const char *err_str(int rc);

#endif
