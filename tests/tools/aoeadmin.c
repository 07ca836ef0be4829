/*
 * aoeadmin.c - what a storage administrator does to a target, for the test
 * bed only: set a vblade's config string, or its reservation list.
 *
 *   aoeadmin IFACE SHELF SLOT config STRING
 *   aoeadmin IFACE SHELF SLOT reserve MAC[,MAC...]
 *
 * vblade has no option for either; both are AoE commands (Query Config
 * ccmd 4 "force set", Reserve/Release rcmd 2 "force set").  aoeboot itself
 * never sends them: the firmware only reads config strings and reservation
 * lists.  Prints the target's answer (its MAC and the new string or list)
 * and exits 0, or exits 1 when nothing answered within a second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define AOE_TYPE	0x88A2
#define HDR_LEN		24	/* Ethernet + AoE common header */
#define CMD_CONFIG	1
#define CMD_RESERVE	3
#define CCMD_FORCE_SET	4
#define RCMD_FORCE_SET	2
#define MAX_MACS	32

static int die(const char *msg)
{
	fprintf(stderr, "aoeadmin: %s\n", msg);
	return 1;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	uint8_t frame[1500], reply[2048], mymac[6];
	struct sockaddr_ll sll;
	struct ifreq ifr;
	unsigned long shelf, slot;
	size_t len;
	uint32_t tag;
	uint8_t cmd;
	uint64_t deadline;
	int fd;

	if (argc != 6)
		return die("usage: aoeadmin IFACE SHELF SLOT config STRING | "
			   "reserve MAC[,MAC...]");
	shelf = strtoul(argv[2], NULL, 0);
	slot = strtoul(argv[3], NULL, 0);
	if (shelf > 0xFFFF || slot > 0xFF)
		return die("bad shelf or slot");
	fd = socket(AF_PACKET, SOCK_RAW, htons(AOE_TYPE));
	if (fd < 0)
		return die(strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return die("no such interface");
	memcpy(mymac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(AOE_TYPE);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return die(strerror(errno));

	memset(frame, 0, sizeof(frame));
	memset(frame, 0xff, 6);
	memcpy(frame + 6, mymac, 6);
	frame[12] = AOE_TYPE >> 8;
	frame[13] = AOE_TYPE & 0xff;
	frame[14] = 0x10;
	frame[16] = (uint8_t)(shelf >> 8);
	frame[17] = (uint8_t)shelf;
	frame[18] = (uint8_t)slot;
	tag = (uint32_t)getpid() << 8 | 0x5a;
	frame[20] = (uint8_t)(tag >> 24);
	frame[21] = (uint8_t)(tag >> 16);
	frame[22] = (uint8_t)(tag >> 8);
	frame[23] = (uint8_t)tag;
	if (!strcmp(argv[4], "config")) {
		size_t cs = strlen(argv[5]);

		if (cs > 1024)
			return die("config string longer than 1024 bytes");
		cmd = CMD_CONFIG;
		frame[29] = 0x10 | CCMD_FORCE_SET;
		frame[30] = (uint8_t)(cs >> 8);
		frame[31] = (uint8_t)cs;
		memcpy(frame + 32, argv[5], cs);
		len = 32 + cs;
	} else if (!strcmp(argv[4], "reserve")) {
		char *list = argv[5], *m;
		unsigned int n = 0;

		cmd = CMD_RESERVE;
		frame[24] = RCMD_FORCE_SET;
		for (m = strtok(list, ","); m; m = strtok(NULL, ",")) {
			if (n == MAX_MACS || parse_mac(m, frame + 26 + 6 * n))
				return die("bad MAC list");
			n++;
		}
		frame[25] = (uint8_t)n;
		len = 26 + 6 * n;
	} else {
		return die("unknown command (config or reserve)");
	}
	frame[19] = cmd;
	if (len < 60)
		len = 60;
	if (send(fd, frame, len, 0) < 0)
		return die(strerror(errno));

	deadline = now_ms() + 1000;
	while (now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		n = recv(fd, reply, sizeof(reply), 0);
		if (n < HDR_LEN + 2 || !(reply[14] & 0x08) ||
		    reply[19] != cmd || memcmp(reply + 20, frame + 20, 4))
			continue;
		printf("%02x:%02x:%02x:%02x:%02x:%02x ", reply[6], reply[7],
		       reply[8], reply[9], reply[10], reply[11]);
		if (reply[14] & 0x04) {
			printf("error %u\n", reply[15]);
			return 1;
		}
		if (cmd == CMD_CONFIG && n >= 32) {
			size_t cs = (size_t)(reply[30] << 8 | reply[31]);

			if (cs > (size_t)n - 32)
				cs = (size_t)n - 32;
			printf("config \"%.*s\"\n", (int)cs, reply + 32);
		} else {
			printf("reserved to %u MACs\n", reply[25]);
		}
		return 0;
	}
	return die("no answer");
}
