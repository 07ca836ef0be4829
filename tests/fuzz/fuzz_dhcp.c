/*
 * fuzz_dhcp.c - bytes as a cached DHCP reply: every option code looked up,
 * the root path, the client MAC and the boot file read, the settings
 * file's path made beside it; results must stay in bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *val;
	char rp[64];
	uint8_t mac[6], srv[4], gw[4];
	char file[DHCP_FILE_LEN], path[DHCP_FILE_LEN];
	unsigned int code;
	int n;

	for (code = 1; code < 255; code++) {
		n = dhcp_option(data, size, (uint8_t)code, &val);
		if (n >= 0 && (val < data || val + n > data + size))
			abort();
	}
	if (dhcp_root_path(data, size, rp, sizeof(rp)) == 0 &&
	    strlen(rp) >= sizeof(rp))
		abort();
	dhcp_client_mac(data, size, mac);
	if (dhcp_boot_file(data, size, srv, gw, file, sizeof(file)) == 0) {
		if (!file[0] || strlen(file) >= sizeof(file))
			abort();
		if (dhcp_file_beside(file, "aoeboot.conf", path,
				     sizeof(path)) == 0 &&
		    strlen(path) >= sizeof(path))
			abort();
	}
	return 0;
}
