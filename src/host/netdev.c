/*
 * netdev.c - Linux AF_PACKET network devices for the host platform.
 *
 * One raw packet socket per interface, bound to the AoE ethertype, with
 * our own transmissions filtered out (PACKET_IGNORE_OUTGOING where the
 * kernel has it, and sll_pkttype always).  poll() waits with ppoll() so
 * deadlines keep microsecond precision: a veth round trip is ~30 us.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "netdev.h"
#include "../core/aoe.h"
#include "../core/errors.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

struct host_nic {
	int fd;
	int ifindex;
};

static int host_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct host_nic *nic = nd->priv;
	unsigned char pad[AOE_MIN_FRAME];
	ssize_t n;

	if (len < AOE_MIN_FRAME) {
		memset(pad, 0, sizeof(pad));
		memcpy(pad, frame, len);
		frame = pad;
		len = sizeof(pad);
	}
	for (;;) {
		n = send(nic->fd, frame, len, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN))
			return -ERR_AGAIN;
		return -ERR_IO;
	}
}

static int host_poll(struct netdev *nd, void *buf, size_t size,
		     uint64_t deadline_us)
{
	struct host_nic *nic = nd->priv;

	for (;;) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(nic->fd, buf, size, MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&from, &fromlen);

		if (n >= 0) {
			if (from.sll_pkttype == PACKET_OUTGOING)
				continue;
			if ((size_t)n > size)
				continue;	/* too long for us: drop */
			return (int)n;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errno == ENETDOWN ? -ERR_NODEV : -ERR_IO;

		uint64_t now = plat_now_us();
		if (now >= deadline_us)
			return 0;
		uint64_t wait = deadline_us - now;
		struct timespec ts = {
			.tv_sec = (time_t)(wait / 1000000),
			.tv_nsec = (long)(wait % 1000000) * 1000,
		};
		struct pollfd pfd = { .fd = nic->fd, .events = POLLIN };

		if (ppoll(&pfd, 1, &ts, NULL) < 0 && errno != EINTR)
			return -ERR_IO;
	}
}

static const struct netdev_ops host_netdev_ops = {
	.transmit = host_transmit,
	.poll = host_poll,
};

int host_netdev_open(struct netdev *nd, const char *ifname)
{
	struct host_nic *nic;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	int fd, one = 1, rcvbuf = 8 << 20;

	memset(nd, 0, sizeof(*nd));
	if (strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "aoectl: interface name too long: %s\n", ifname);
		return -ERR_NODEV;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(AOE_ETHERTYPE));
	if (fd < 0) {
		if (errno == EPERM || errno == EACCES) {
			fprintf(stderr, "aoectl: not permitted to open raw "
				"sockets on %s (run as root or grant "
				"CAP_NET_RAW)\n", ifname);
			return -ERR_PERM;
		}
		fprintf(stderr, "aoectl: socket: %s\n", strerror(errno));
		return -ERR_IO;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "aoectl: unknown interface %s\n", ifname);
		close(fd);
		return -ERR_NODEV;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(AOE_ETHERTYPE);
	sll.sll_ifindex = ifr.ifr_ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "aoectl: bind to %s: %s\n", ifname,
			strerror(errno));
		close(fd);
		return -ERR_IO;
	}
	nic = calloc(1, sizeof(*nic));
	if (!nic) {
		close(fd);
		return -ERR_NOMEM;
	}
	nic->fd = fd;
	nic->ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(nd->mac, ifr.ifr_hwaddr.sa_data, 6);
	nd->mtu = 1500;
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		nd->mtu = (unsigned int)ifr.ifr_mtu;
	/* Best effort: both only save work or drops. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	snprintf(nd->name, sizeof(nd->name), "%s", ifname);
	nd->ops = &host_netdev_ops;
	nd->priv = nic;
	return 0;
}

void host_netdev_close(struct netdev *nd)
{
	struct host_nic *nic = nd->priv;

	if (nic) {
		close(nic->fd);
		free(nic);
	}
	nd->priv = NULL;
}
