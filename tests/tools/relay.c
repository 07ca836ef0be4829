/*
 * relay.c - copy Ethernet frames between two interfaces, with seeded
 * pseudo-random loss, duplication, reordering and a fixed added delay.
 *
 *   relay IFACE_A IFACE_B [--loss PCT] [--dup PCT] [--reorder PCT]
 *         [--delay US] [--hold US] [--seed N] [--ethertype 0x88a2] [--trace]
 *         [--vlan VID]
 *
 * The host kernel has no netem, so the AoE test bed puts this between two
 * veth pairs: initiator <-> A [relay] B <-> target.  Each interface gets a
 * raw AF_PACKET socket in promiscuous mode; frames we transmitted ourselves
 * come back as PACKET_OUTGOING and are ignored, so the relay never loops.
 *
 * Per direction, each received frame is, in this order:
 *   lost       with probability --loss (dropped, never forwarded);
 *   held back  with probability --reorder: kept aside and forwarded right
 *              after the next frame of the same direction (or after --hold
 *              microseconds, default 1000, if no next frame comes);
 *   forwarded  after --delay microseconds;
 *   duplicated with probability --dup (a second copy right behind it).
 * Delay is a time-ordered queue (constant delay keeps it FIFO) served from
 * one ppoll() loop with a nanosecond timeout, so it costs latency, never
 * throughput.  With --ethertype only frames of that type are impaired;
 * others are forwarded with the delay alone.  The same --seed gives the
 * same sequence of decisions.
 *
 * --trace prints one line per received frame to stdout: microseconds since
 * start, direction, what happened to it (fwd, lost, held, dup), and for AoE
 * frames the tag, R(esponse)/E(rror) flags, command and, for ATA, the LBA
 * and sector count; for seeing retransmission timing from outside.
 *
 * 802.1Q tags are kept: the kernel hands a received frame's tag apart
 * (PACKET_AUXDATA), the relay puts it back before forwarding.  With
 * --vlan VID the relay is a VLAN-aware switch instead (the host kernel has
 * no 8021q, so a test cannot make eth0.5 interfaces): A is a trunk port, B
 * an access port of VLAN VID.  A->B forwards only frames tagged VID, the
 * tag removed; B->A forwards untagged frames with a tag VID (PCP 0) added.
 * Anything else is dropped and counted as other_vlan.
 *
 * SIGTERM or SIGINT stop it; counters go to stderr on exit.  "relay: ready"
 * is printed to stderr once both sockets are set up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "../../src/host/pktaux.h"

#define SLOT_SIZE	10240	/* > 9000 MTU + header; larger frames dropped */
#define TAG_LEN		4	/* an 802.1Q tag: TPID 0x8100, TCI */
#define TPID_8021Q	0x8100
#define RING_SLOTS	2048	/* frames queued per direction */
#define RX_BURST	64	/* frames read from one socket per wakeup */

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/** A queued frame. */
struct slot {
	uint64_t due_ns;	/* when to transmit */
	uint32_t len;
	uint8_t *data;		/* SLOT_SIZE bytes */
};

/** One direction of the relay: frames read on in_fd, sent on out_fd. */
struct dir {
	const char *name;	/* "A->B" */
	int in_fd, out_fd;
	struct slot ring[RING_SLOTS];
	unsigned int head, count;
	bool held;		/* a frame is held back for reordering */
	uint64_t held_since_ns;
	uint32_t held_len;
	uint8_t *held_data;
	/* Counters. */
	int vlan_role;		/* VLAN_* */
	uint64_t rx, tx, lost, dup, reordered, overflow, oversize, tx_err,
		 other_vlan;
};

enum {
	VLAN_KEEP,		/* forward tags as they came */
	VLAN_UNTAG,		/* trunk -> access: only --vlan's VID, untagged */
	VLAN_TAG,		/* access -> trunk: untagged only, tag added */
};

/** Command line settings. */
struct config {
	const char *if_a, *if_b;
	double loss, dup, reorder;	/* percent */
	uint64_t delay_ns, hold_ns;
	uint64_t seed;
	int ethertype;			/* -1: impair every frame */
	bool trace;
	unsigned int vlan;		/* --vlan VID, 0: none */
};

static volatile sig_atomic_t stop_requested;
static uint64_t rng_state;
static uint64_t start_ns;

/** Signal handler: ask the main loop to finish. */
static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/** splitmix64: small, fast and good enough for test impairments. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/** True with probability @pct percent. */
static bool chance(double pct)
{
	if (pct <= 0)
		return false;
	/* 53 random bits as a double in [0, 100). */
	return (double)(rng_next() >> 11) * (100.0 / 9007199254740992.0) < pct;
}

/** Monotonic clock in nanoseconds. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/** Print usage and exit with status 2. */
static void usage(void)
{
	fprintf(stderr,
		"usage: relay IFACE_A IFACE_B [--loss PCT] [--dup PCT] "
		"[--reorder PCT]\n"
		"             [--delay US] [--hold US] [--seed N] "
		"[--ethertype 0xNNNN] [--trace]\n"
		"             [--vlan VID]\n");
	exit(2);
}

/** Parse a percentage in [0, 100] or exit. */
static double parse_pct(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0 || v > 100) {
		fprintf(stderr, "relay: %s wants a percentage 0..100, not '%s'\n",
			opt, s);
		exit(2);
	}
	return v;
}

/** Parse an unsigned number (any base strtoull accepts) or exit. */
static uint64_t parse_u64(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || *end || errno || s[0] == '-') {
		fprintf(stderr, "relay: %s wants a number, not '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

/** Fill @cfg from the command line or exit. */
static void parse_args(int argc, char **argv, struct config *cfg)
{
	int npos = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->hold_ns = 1000 * 1000ull;
	cfg->seed = 1;
	cfg->ethertype = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			if (npos == 0)
				cfg->if_a = a;
			else if (npos == 1)
				cfg->if_b = a;
			else
				usage();
			npos++;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage();
		if (!strcmp(a, "--trace")) {
			cfg->trace = true;
			continue;
		}
		if (!v) {
			fprintf(stderr, "relay: %s needs a value\n", a);
			exit(2);
		}
		if (!strcmp(a, "--loss"))
			cfg->loss = parse_pct(a, v);
		else if (!strcmp(a, "--dup"))
			cfg->dup = parse_pct(a, v);
		else if (!strcmp(a, "--reorder"))
			cfg->reorder = parse_pct(a, v);
		else if (!strcmp(a, "--delay"))
			cfg->delay_ns = parse_u64(a, v) * 1000;
		else if (!strcmp(a, "--hold"))
			cfg->hold_ns = parse_u64(a, v) * 1000;
		else if (!strcmp(a, "--seed"))
			cfg->seed = parse_u64(a, v);
		else if (!strcmp(a, "--ethertype")) {
			uint64_t t = parse_u64(a, v);

			if (t > 0xFFFF) {
				fprintf(stderr, "relay: bad ethertype '%s'\n", v);
				exit(2);
			}
			cfg->ethertype = (int)t;
		} else if (!strcmp(a, "--vlan")) {
			uint64_t t = parse_u64(a, v);

			if (t < 1 || t > 4094) {
				fprintf(stderr, "relay: bad VLAN id '%s'\n", v);
				exit(2);
			}
			cfg->vlan = (unsigned int)t;
		} else {
			fprintf(stderr, "relay: unknown option '%s'\n", a);
			usage();
		}
		i++;
	}
	if (npos != 2)
		usage();
}

/**
 * Open a raw socket bound to @ifname, promiscuous, non-looping.
 *
 * @ret fd	socket, or exits with a message
 */
static int open_iface(const char *ifname)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	unsigned int ifindex = if_nametoindex(ifname);
	int one = 1, bufsz = 8 << 20;
	int fd;

	if (!ifindex) {
		fprintf(stderr, "relay: no interface '%s'\n", ifname);
		exit(1);
	}
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		fprintf(stderr, "relay: socket: %s\n", strerror(errno));
		exit(1);
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "relay: bind %s: %s\n", ifname,
			strerror(errno));
		exit(1);
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0) {
		fprintf(stderr, "relay: promiscuous %s: %s\n", ifname,
			strerror(errno));
		exit(1);
	}
	/* Best effort: older kernels lack it; sll_pkttype still filters. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	/* The tag of a received frame comes apart, in the auxdata. */
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		fprintf(stderr, "relay: PACKET_AUXDATA on %s: %s\n", ifname,
			strerror(errno));
		exit(1);
	}
	/* Large buffers so bursts are not dropped by the kernel; the FORCE
	 * variants need CAP_NET_ADMIN, fall back to the capped ones. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz,
		       sizeof(bufsz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsz,
		       sizeof(bufsz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	return fd;
}

/** Set up a direction's queue. */
static void dir_init(struct dir *d, const char *name, int in_fd, int out_fd)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->in_fd = in_fd;
	d->out_fd = out_fd;
	for (unsigned int i = 0; i < RING_SLOTS; i++) {
		d->ring[i].data = malloc(SLOT_SIZE);
		if (!d->ring[i].data) {
			fprintf(stderr, "relay: out of memory\n");
			exit(1);
		}
	}
	d->held_data = malloc(SLOT_SIZE);
	if (!d->held_data) {
		fprintf(stderr, "relay: out of memory\n");
		exit(1);
	}
}

/** Queue a copy of a frame for transmission at @due_ns. */
static void dir_enqueue(struct dir *d, const uint8_t *frame, uint32_t len,
			uint64_t due_ns)
{
	struct slot *s;

	if (d->count == RING_SLOTS) {
		d->overflow++;
		return;
	}
	s = &d->ring[(d->head + d->count) % RING_SLOTS];
	memcpy(s->data, frame, len);
	s->len = len;
	s->due_ns = due_ns;
	d->count++;
}

/** Release the held-back frame into the queue. */
static void dir_release_held(struct dir *d, uint64_t due_ns)
{
	if (!d->held)
		return;
	d->held = false;
	dir_enqueue(d, d->held_data, d->held_len, due_ns);
}

/** Print one --trace line for a frame and what was done with it. */
static void trace_frame(const struct dir *d, const char *what,
			const uint8_t *f, uint32_t len, uint64_t now)
{
	uint64_t us = (now - start_ns) / 1000;

	if (len < 24 || ((f[12] << 8) | f[13]) != 0x88A2) {
		printf("%" PRIu64 " %s %s type 0x%02x%02x len %u\n", us,
		       d->name, what, len >= 14 ? f[12] : 0,
		       len >= 14 ? f[13] : 0, len);
		return;
	}
	printf("%" PRIu64 " %s %s aoe e%u.%u tag %08x%s%s cmd %u", us,
	       d->name, what, (f[16] << 8) | f[17], f[18],
	       ((unsigned int)f[20] << 24) | (f[21] << 16) | (f[22] << 8) |
	       f[23], f[14] & 0x08 ? " R" : "", f[14] & 0x04 ? " E" : "",
	       f[19]);
	if (f[19] == 0 && len >= 36) {
		uint64_t lba = 0;

		for (int i = 5; i >= 0; i--)
			lba = lba << 8 | f[28 + i];
		printf(" lba %" PRIu64 " count %u", lba, f[26]);
	}
	printf(" len %u\n", len);
}

/** Apply the impairments to one received frame. */
static void dir_handle(struct dir *d, const struct config *cfg,
		       const uint8_t *frame, uint32_t len, uint64_t now)
{
	uint64_t due = now + cfg->delay_ns;
	bool impair = true;

	if (cfg->ethertype >= 0)
		impair = len >= 14 &&
			 ((frame[12] << 8) | frame[13]) == cfg->ethertype;
	if (impair && chance(cfg->loss)) {
		d->lost++;
		if (cfg->trace)
			trace_frame(d, "lost", frame, len, now);
		return;
	}
	if (impair && !d->held && chance(cfg->reorder)) {
		memcpy(d->held_data, frame, len);
		d->held_len = len;
		d->held_since_ns = now;
		d->held = true;
		d->reordered++;
		if (cfg->trace)
			trace_frame(d, "held", frame, len, now);
		return;
	}
	dir_enqueue(d, frame, len, due);
	if (impair && chance(cfg->dup)) {
		dir_enqueue(d, frame, len, due);
		d->dup++;
		if (cfg->trace)
			trace_frame(d, "dup", frame, len, now);
	} else if (cfg->trace) {
		trace_frame(d, "fwd", frame, len, now);
	}
	dir_release_held(d, due);
}

/*
 * The 802.1Q side of one received frame at @buf + TAG_LEN (@len bytes;
 * @buf has TAG_LEN bytes of room in front): the tag the kernel took off
 * (@aux_vid, -1: none) put back, or, in a --vlan direction, the tag
 * removed or added.  Sets *@out to the frame to forward.
 *
 * @ret len	bytes of *@out, 0 to drop the frame
 */
static uint32_t dir_vlan(struct dir *d, const struct config *cfg,
			 uint8_t *buf, uint32_t len, int aux_vid,
			 uint8_t **out)
{
	uint8_t *f = buf + TAG_LEN;
	int vid = aux_vid;
	bool inline_tag = false;

	if (vid < 0 && len >= 18 && ((f[12] << 8) | f[13]) == TPID_8021Q) {
		vid = ((f[14] << 8) | f[15]) & 0x0FFF;
		inline_tag = true;
	}
	*out = f;
	if (d->vlan_role == VLAN_UNTAG) {
		if (vid != (int)cfg->vlan) {
			d->other_vlan++;
			return 0;
		}
		if (inline_tag) {
			memmove(f + TAG_LEN, f, 12);
			*out = f + TAG_LEN;
			return len - TAG_LEN;
		}
		return len;
	}
	if (d->vlan_role == VLAN_TAG) {
		if (vid >= 0) {
			d->other_vlan++;
			return 0;
		}
		vid = (int)cfg->vlan;
	}
	if (vid < 0 || inline_tag || len < 12)
		return len;
	/* (Re)insert the tag in front of the ethertype. */
	memmove(buf, f, 12);
	buf[12] = TPID_8021Q >> 8;
	buf[13] = TPID_8021Q & 0xFF;
	buf[14] = (uint8_t)(vid >> 8);
	buf[15] = (uint8_t)vid;
	*out = buf;
	return len + TAG_LEN;
}

/** Read what is waiting on a direction's input socket. */
static void dir_receive(struct dir *d, const struct config *cfg,
			uint8_t *buf)
{
	for (int n = 0; n < RX_BURST; n++) {
		struct sockaddr_ll sll;
		union {
			struct cmsghdr h;
			uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} ctl;
		struct iovec iov = { buf + TAG_LEN, SLOT_SIZE - TAG_LEN };
		struct msghdr msg = {
			.msg_name = &sll, .msg_namelen = sizeof(sll),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &ctl, .msg_controllen = sizeof(ctl),
		};
		ssize_t len = recvmsg(d->in_fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
		uint16_t tpid;
		int aux_vid;
		uint32_t flen;
		uint8_t *frame;

		if (len < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				fprintf(stderr, "relay: %s receive: %s\n",
					d->name, strerror(errno));
			return;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		d->rx++;
		if (len > SLOT_SIZE - TAG_LEN) {
			d->oversize++;
			continue;
		}
		aux_vid = packet_aux_tci(&msg, &tpid);
		if (aux_vid >= 0)
			aux_vid &= 0x0FFF;
		flen = dir_vlan(d, cfg, buf, (uint32_t)len, aux_vid, &frame);
		if (flen)
			dir_handle(d, cfg, frame, flen, now_ns());
	}
}

/** Transmit every queued frame that is due; release stale held frames. */
static void dir_flush(struct dir *d, const struct config *cfg, uint64_t now)
{
	if (d->held && now - d->held_since_ns >= cfg->hold_ns)
		dir_release_held(d, d->held_since_ns + cfg->delay_ns);
	while (d->count && d->ring[d->head].due_ns <= now) {
		struct slot *s = &d->ring[d->head];

		if (send(d->out_fd, s->data, s->len, 0) < 0) {
			if (errno == EINTR)
				continue;
			d->tx_err++;
		} else {
			d->tx++;
		}
		d->head = (d->head + 1) % RING_SLOTS;
		d->count--;
	}
}

/** Earliest time this direction needs attention, or UINT64_MAX. */
static uint64_t dir_next_event(const struct dir *d, const struct config *cfg)
{
	uint64_t t = UINT64_MAX;

	if (d->count)
		t = d->ring[d->head].due_ns;
	if (d->held && d->held_since_ns + cfg->hold_ns < t)
		t = d->held_since_ns + cfg->hold_ns;
	return t;
}

/** Print a direction's counters. */
static void dir_report(const struct dir *d)
{
	fprintf(stderr,
		"relay: %s rx %" PRIu64 " tx %" PRIu64 " lost %" PRIu64
		" dup %" PRIu64 " reordered %" PRIu64 " overflow %" PRIu64
		" oversize %" PRIu64 " tx_err %" PRIu64 " other_vlan %" PRIu64
		"\n",
		d->name, d->rx, d->tx, d->lost, d->dup, d->reordered,
		d->overflow, d->oversize, d->tx_err, d->other_vlan);
}

/** Relay until a signal arrives. */
int main(int argc, char **argv)
{
	static struct dir ab, ba;
	struct config cfg;
	struct sigaction sa;
	sigset_t block, waitmask;
	uint8_t *buf;
	int fd_a, fd_b;

	parse_args(argc, argv, &cfg);
	rng_state = cfg.seed;
	start_ns = now_ns();
	fd_a = open_iface(cfg.if_a);
	fd_b = open_iface(cfg.if_b);
	dir_init(&ab, "A->B", fd_a, fd_b);
	dir_init(&ba, "B->A", fd_b, fd_a);
	if (cfg.vlan) {
		ab.vlan_role = VLAN_UNTAG;
		ba.vlan_role = VLAN_TAG;
	}
	buf = malloc(SLOT_SIZE);
	if (!buf) {
		fprintf(stderr, "relay: out of memory\n");
		return 1;
	}
	/* Timers as precise as the kernel allows: the delay is microseconds. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

	/* Signals are blocked except inside ppoll(), so none is missed. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	fprintf(stderr,
		"relay: ready %s <-> %s loss %.2f%% dup %.2f%% reorder %.2f%% "
		"delay %" PRIu64 " us seed %" PRIu64 " vlan %u\n",
		cfg.if_a, cfg.if_b, cfg.loss, cfg.dup, cfg.reorder,
		cfg.delay_ns / 1000, cfg.seed, cfg.vlan);

	while (!stop_requested) {
		struct pollfd pfd[2] = {
			{ .fd = fd_a, .events = POLLIN },
			{ .fd = fd_b, .events = POLLIN },
		};
		uint64_t now = now_ns(), next;
		struct timespec ts, *tsp = NULL;
		int rc;

		next = dir_next_event(&ab, &cfg);
		if (dir_next_event(&ba, &cfg) < next)
			next = dir_next_event(&ba, &cfg);
		if (next != UINT64_MAX) {
			uint64_t wait = next > now ? next - now : 0;

			ts.tv_sec = (time_t)(wait / 1000000000ull);
			ts.tv_nsec = (long)(wait % 1000000000ull);
			tsp = &ts;
		}
		rc = ppoll(pfd, 2, tsp, &waitmask);
		if (rc < 0 && errno != EINTR) {
			fprintf(stderr, "relay: poll: %s\n", strerror(errno));
			break;
		}
		if (rc > 0) {
			if (pfd[0].revents & POLLIN)
				dir_receive(&ab, &cfg, buf);
			if (pfd[1].revents & POLLIN)
				dir_receive(&ba, &cfg, buf);
			if ((pfd[0].revents | pfd[1].revents) &
			    (POLLERR | POLLNVAL)) {
				fprintf(stderr, "relay: interface error\n");
				break;
			}
		}
		now = now_ns();
		dir_flush(&ab, &cfg, now);
		dir_flush(&ba, &cfg, now);
	}
	fflush(stdout);
	dir_report(&ab);
	dir_report(&ba);
	return 0;
}
