/* plat.h - host platform controls used by aoectl. */
#ifndef AOEBOOT_HOST_PLAT_H
#define AOEBOOT_HOST_PLAT_H

/** -1 quiet (warnings and errors), 0 normal, 1 debug. */
void host_set_verbosity(int verbose);

/** Erase the progress line, if one is on the terminal. */
void host_progress_clear(void);

#endif
