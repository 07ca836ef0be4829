/*
 * netdev.h - Linux AF_PACKET network devices for the host platform.
 */
#ifndef AOEBOOT_HOST_NETDEV_H
#define AOEBOOT_HOST_NETDEV_H

#include "../core/platform.h"

/**
 * Open @ifname for AoE frames (ethertype 0x88A2) with a raw packet socket.
 *
 * @v nd	filled in; nd->priv holds the socket
 * @v ifname	interface name
 * @ret rc	0, -ERR_NODEV (no such interface), -ERR_PERM (not root /
 *		no CAP_NET_RAW) or -ERR_IO; a message has been printed
 */
int host_netdev_open(struct netdev *nd, const char *ifname);

/** Close a device opened by host_netdev_open(). */
void host_netdev_close(struct netdev *nd);

#endif
