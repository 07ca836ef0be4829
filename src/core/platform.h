/*
 * platform.h - everything the core asks of the platform beneath it.
 *
 * The core (src/core) knows nothing of UEFI, BIOS or Linux.  Each platform
 * (src/host, src/efi, later src/bios) provides exactly these functions, bound
 * at link time as iPXE binds its platform APIs.  Keep this list short: every
 * entry must be implemented in firmware.
 */
#ifndef AOEBOOT_PLATFORM_H
#define AOEBOOT_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

struct netdev;

/** Operations a network device offers the core. */
struct netdev_ops {
	/**
	 * Send one complete Ethernet frame (destination MAC first).
	 *
	 * @v nd	network device
	 * @v frame	frame bytes; the platform pads it to 60 bytes
	 * @v len	frame length, at most mtu + 14
	 * @ret rc	0 or a negative ERR_* code
	 */
	int (*transmit)(struct netdev *nd, const void *frame, size_t len);
	/**
	 * Receive one frame, waiting until @deadline_us at the latest.
	 *
	 * @v nd		network device
	 * @v buf		receive buffer
	 * @v size		buffer size (frames longer are dropped)
	 * @v deadline_us	plat_now_us() value to give up at; 0: don't wait
	 * @ret len		frame length, 0 if none arrived, or negative ERR_*
	 */
	int (*poll)(struct netdev *nd, void *buf, size_t size,
		    uint64_t deadline_us);
};

/** A network device as the core sees it. */
struct netdev {
	const struct netdev_ops *ops;
	uint8_t mac[6];		/**< our own MAC address */
	unsigned int mtu;	/**< payload MTU, 1500 for plain Ethernet */
	char name[32];		/**< interface name, for messages */
	void *priv;		/**< platform private data */
};

/** Monotonic clock in microseconds. */
uint64_t plat_now_us(void);

/** Allocate @size bytes (uninitialised); NULL when out of memory. */
void *plat_alloc(size_t size);

/** Free memory from plat_alloc(); NULL is ignored. */
void plat_free(void *ptr);

/** Log levels for plat_log(). */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/** Write one finished log line (no trailing newline) to the console. */
void plat_log(enum log_level level, const char *line);

/**
 * Show transfer progress; the platform decides how (a bar in firmware, a
 * rewritten line on a terminal, nothing when stderr is a file).
 *
 * @v what	what is being transferred ("vmlinuz", "e11.0")
 * @v done	bytes done
 * @v total	bytes in all (0 if unknown)
 * @v elapsed_us	time since the transfer started
 */
void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us);

#endif
