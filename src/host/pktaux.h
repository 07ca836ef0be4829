/*
 * pktaux.h - the 802.1Q tag the kernel took off a received frame, from a
 * packet socket's PACKET_AUXDATA (aoectl's netdev and tests/tools/relay,
 * a one-file program, both read it; hence inline, in a header).
 */
#ifndef AOEBOOT_PKTAUX_H
#define AOEBOOT_PKTAUX_H

#include <linux/if_packet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/**
 * The tag of the frame @msg received, if the kernel took one off.
 *
 * @v msg	the recvmsg() header, with its control messages
 * @v tpid	set to the tag's TPID (0x8100 when the kernel does not say)
 * @ret tci	the tag's TCI (PCP, DEI, VID), or -1 when the frame had none
 */
static inline int packet_aux_tci(struct msghdr *msg, uint16_t *tpid)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID))
			return -1;
		*tpid = aux.tp_status & TP_STATUS_VLAN_TPID_VALID ?
			aux.tp_vlan_tpid : 0x8100;
		return aux.tp_vlan_tci;
	}
	return -1;
}

#endif
