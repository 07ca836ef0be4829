/*
 * debcmdline.h - the command line of Debian's /vmlinuz + /initrd.img entry.
 *
 * Debian's own layout has no boot entry file: GRUB's update-grub writes the
 * command line from the root filesystem's UUID and /etc/default/grub, and
 * kernel-install takes /etc/kernel/cmdline.  When the links lie on the
 * root filesystem itself, aoeboot builds the same line:
 *   /etc/kernel/cmdline, when it exists (root=UUID=<this fs> ro first
 *       unless it names a root= of its own), else
 *   root=UUID=<this fs> ro, then GRUB_CMDLINE_LINUX and
 *       GRUB_CMDLINE_LINUX_DEFAULT from /etc/default/grub when it exists.
 * What came from where is described in one line for `aoectl boot --dry-run`.
 */
#ifndef AOEBOOT_DEBCMDLINE_H
#define AOEBOOT_DEBCMDLINE_H

#include <stddef.h>
#include "bootcfg.h"
#include "fs/fs.h"


/**
 * Take the command line out of an /etc/kernel/cmdline file: its lines
 * joined by blanks, '#' comment lines left out, runs of blanks folded.
 *
 * @v buf	file contents (not NUL-terminated)
 * @v len	length of @buf
 * @v out	output buffer
 * @v size	its size
 * @ret len	length written, -ERR_TOOBIG when it does not fit
 */
int debcmd_parse_kernel_cmdline(const char *buf, size_t len, char *out,
				size_t size);

/**
 * Take GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT (in that order,
 * as update-grub does) out of an /etc/default/grub file.  Values may be
 * bare, "double" or 'single' quoted; the last assignment of a key wins.  A
 * value that uses shell expansion ($...) or backquotes is left out with a
 * warning: it cannot be evaluated here.
 *
 * @v buf	file contents (not NUL-terminated)
 * @v len	length of @buf
 * @v out	output buffer ("" when neither key is set)
 * @v size	its size
 * @ret len	length written, -ERR_TOOBIG when it does not fit
 */
int debcmd_parse_default_grub(const char *buf, size_t len, char *out,
			      size_t size);

/**
 * Build the command line of a Debian symlink entry on @fs.
 *
 * @v fs	the filesystem holding /vmlinuz (or /boot/vmlinuz)
 * @v out	receives the options ("" when @fs is not a root filesystem)
 * @v size	size of @out
 * @v origin	receives where each part came from (BOOTCFG_ORIGIN_MAX)
 * @ret rc	1 when @fs is a root filesystem and @out holds a root=,
 *		0 when it is not (nothing to go on), negative ERR_* on error
 */
int debcmd_options(struct fs *fs, char *out, size_t size, char *origin);

#endif
