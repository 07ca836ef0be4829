/*
 * netdev.c - Linux AF_PACKET network devices for the host platform.
 *
 * One raw packet socket per interface, bound to the AoE ethertype, with
 * our own transmissions filtered out (PACKET_IGNORE_OUTGOING where the
 * kernel has it, and sll_pkttype always).  poll() waits with ppoll() so
 * deadlines keep microsecond precision: a veth round trip is ~30 us.
 *
 * The kernel takes the 802.1Q tag off a received frame even where no VLAN
 * interface wants it, and a socket bound to the AoE ethertype gets the
 * frame without it (tag and all forgotten).  So the socket is bound to
 * every ethertype, a classic BPF filter keeps AoE frames only (the
 * ethertype at 12 is AoE's once the tag is off), the tag comes in the
 * PACKET_AUXDATA control message and poll() puts it back: the core sees
 * the frame as it was on the wire.  On eth0 a reply from VLAN 5 is not
 * taken for an untagged one, and the core's own vlan= works there too.
 * On eth0.5 the kernel does the VLAN and frames come untagged.
 */
#include <errno.h>
#include <linux/filter.h>
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
#include "pktaux.h"
#include "../core/aoe.h"
#include "../core/byteorder.h"
#include "../core/errors.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#define ETH_TYPE_OFF	12	/**< ethertype (or TPID) in a frame */

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

/*
 * The 802.1Q tag the kernel took off a frame of @n bytes in @buf, back in
 * place (TPID, TCI) if @size allows.
 *
 * @ret n	the frame's length now, 0 if it does not fit
 */
static size_t host_retag(struct msghdr *msg, uint8_t *buf, size_t n,
			 size_t size)
{
	uint16_t tpid;
	int tci = packet_aux_tci(msg, &tpid);

	if (tci < 0)
		return n;
	if (n < ETH_TYPE_OFF || n + AOE_VLAN_TAG_LEN > size)
		return 0;
	memmove(buf + ETH_TYPE_OFF + AOE_VLAN_TAG_LEN, buf + ETH_TYPE_OFF,
		n - ETH_TYPE_OFF);
	put_be16(buf + ETH_TYPE_OFF, tpid);
	put_be16(buf + ETH_TYPE_OFF + 2, (uint16_t)tci);
	return n + AOE_VLAN_TAG_LEN;
}

static int host_poll(struct netdev *nd, void *buf, size_t size,
		     uint64_t deadline_us)
{
	struct host_nic *nic = nd->priv;

	for (;;) {
		struct sockaddr_ll from;
		union {
			struct cmsghdr h;
			uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} ctl;
		struct iovec iov = { buf, size };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &ctl, .msg_controllen = sizeof(ctl),
		};
		ssize_t n = recvmsg(nic->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);

		if (n >= 0) {
			if (from.sll_pkttype == PACKET_OUTGOING)
				continue;
			if ((size_t)n > size)
				continue;	/* too long for us: drop */
			n = (ssize_t)host_retag(&msg, buf, (size_t)n, size);
			if (!n)
				continue;	/* no room for its tag */
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

/* Accept frames whose ethertype is AoE (tag off) or 802.1Q (tag kept). */
static struct sock_filter aoe_only_code[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, ETH_TYPE_OFF),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AOE_ETHERTYPE, 2, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_TPID_8021Q, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, 0),
	BPF_STMT(BPF_RET | BPF_K, 0xFFFFFFFF),
};

int host_netdev_open(struct netdev *nd, const char *ifname)
{
	struct sock_fprog aoe_only = {
		.len = sizeof(aoe_only_code) / sizeof(aoe_only_code[0]),
		.filter = aoe_only_code,
	};
	struct host_nic *nic;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	int fd, one = 1, rcvbuf = 8 << 20;

	memset(nd, 0, sizeof(*nd));
	if (strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "aoectl: interface name too long: %s\n", ifname);
		return -ERR_NODEV;
	}
	/* Protocol 0: nothing arrives until the filter is on and bound. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
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
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &aoe_only,
		       sizeof(aoe_only)) < 0) {
		fprintf(stderr, "aoectl: filter on %s: %s\n", ifname,
			strerror(errno));
		close(fd);
		return -ERR_IO;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
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
	/* The tags of received frames (see host_retag()). */
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		fprintf(stderr, "aoectl: PACKET_AUXDATA on %s: %s\n", ifname,
			strerror(errno));
		close(fd);
		free(nic);
		return -ERR_IO;
	}
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
