/*
 * errors.c - names for the core's error codes.
 */
#include "errors.h"

static const char *const err_names[ERR_MAX] = {
	[0] = "success",
	[ERR_IO] = "I/O error",
	[ERR_TIMEOUT] = "timed out",
	[ERR_NODEV] = "no such device",
	[ERR_INVAL] = "invalid argument",
	[ERR_NOMEM] = "out of memory",
	[ERR_RANGE] = "out of range",
	[ERR_ROFS] = "read-only",
	[ERR_NOENT] = "no such file or directory",
	[ERR_NOTDIR] = "not a directory",
	[ERR_ISDIR] = "is a directory",
	[ERR_LOOP] = "too many levels of symbolic links",
	[ERR_CORRUPT] = "corrupt on-disk structure",
	[ERR_NOTSUP] = "not supported",
	[ERR_PROTO] = "protocol error",
	[ERR_TOOBIG] = "too large",
	[ERR_NOSPC] = "table full",
	[ERR_BADFS] = "unrecognised filesystem",
	[ERR_PERM] = "not permitted",
	[ERR_NAMETOOLONG] = "name too long",
	[ERR_AGAIN] = "try again",
	[ERR_ABORTED] = "aborted",
};

const char *err_str(int rc)
{
	if (rc < 0)
		rc = -rc;
	if (rc >= ERR_MAX || !err_names[rc])
		return "unknown error";
	return err_names[rc];
}
