/*
 * bli.c - systemd's Boot Loader Interface in UEFI variables.
 *
 * What `bootctl status` shows and what `bootctl set-oneshot`,
 * `set-default` and `set-timeout` ask for: at start we record when the
 * loader started, what it is and where it came from; before the menu we
 * take the OS's wishes (the one-shot ones are deleted as they are read, so
 * they act once); before the hand-off we record the entries we found, the
 * one we booted and when.  The values' encoding is the core's (bli.c).
 * A variable that cannot be written costs nothing but the line in
 * `bootctl status`: failures are ignored.
 */
#include <efi.h>
#include "bli.h"
#include "bootmgr.h"
#include "byteorder.h"
#include "efiboot.h"
#include "libc.h"
#include "log.h"

/* systemd's loader vendor GUID 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f */
static EFI_GUID bli_guid = { 0x4a67b082, 0x0a4c, 0x41cf,
			     { 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } };

/* Volatile: the OS reads them for this boot only, as systemd-boot's. */
#define BLI_ATTR_VOLATILE (EFI_VARIABLE_BOOTSERVICE_ACCESS | \
			   EFI_VARIABLE_RUNTIME_ACCESS)

#define DP_NODES_MAX	64	/* a loop bound for malformed device paths */
#define HD_NODE_LEN	42	/* HARDDRIVE_DEVICE_PATH */
#define HD_SIG_OFF	24	/* its partition signature (GUID) */
#define HD_SIGTYPE_OFF	41	/* its signature type: 2 = GPT GUID */

#define BLI_NAME_MAX	32	/* longest: LoaderConfigTimeoutOneShot */

/* A variable name in UCS-2 (ASCII in the image: half the bytes). */
static CHAR16 *bli_name(const char *ascii, CHAR16 *out)
{
	unsigned int i;

	for (i = 0; i + 1 < BLI_NAME_MAX && ascii[i]; i++)
		out[i] = (unsigned char)ascii[i];
	out[i] = 0;
	return out;
}

static void bli_set(const char *name, const void *data, size_t size)
{
	CHAR16 n16[BLI_NAME_MAX];

	efi_st->RuntimeServices->SetVariable(bli_name(name, n16), &bli_guid,
					     BLI_ATTR_VOLATILE, size,
					     (void *)data);
}

/* One ASCII string as a UTF-16 variable. */
static void bli_set_str(const char *name, const char *value)
{
	uint8_t buf[256];
	size_t n = bli_encode(&value, 1, buf, sizeof(buf));

	if (n <= sizeof(buf))
		bli_set(name, buf, n);
}

static void bli_set_usec(const char *name)
{
	char num[21];

	bli_usec_str(efi_boot_us(), num);
	bli_set_str(name, num);
}

/*
 * Read a variable of ours into @buf; with @once delete it too.
 * Returns its size, 0 when absent or larger than @buf.
 */
static size_t bli_get(const char *name, void *buf, size_t size, bool once)
{
	CHAR16 n16[BLI_NAME_MAX];
	UINTN n = size;
	UINT32 attr;
	EFI_STATUS st;

	st = efi_st->RuntimeServices->GetVariable(bli_name(name, n16),
						  &bli_guid, &attr, &n, buf);
	if (once && st != EFI_NOT_FOUND)
		efi_st->RuntimeServices->SetVariable(n16, &bli_guid, attr, 0,
						     NULL);
	return st == EFI_SUCCESS ? n : 0;
}

/* "4a67b082-0a4c-..." from a GUID's 16 bytes as they are in memory. */
static void bli_guid_str(const uint8_t *g, char *out)
{
	static const char hex[] = "0123456789abcdef";
	/* Byte order of the text: three little-endian fields, then bytes. */
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
					   8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*out++ = '-';
		*out++ = hex[g[order[i]] >> 4];
		*out++ = hex[g[order[i]] & 15];
	}
	*out = 0;
}

/*
 * LoaderDevicePartUUID: the GPT partition we were loaded from.  Started
 * from the network (PXE, a ROM) there is none, and the variable is left
 * out, as the interface says.
 */
static void bli_set_part_uuid(EFI_LOADED_IMAGE *li)
{
	EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	const uint8_t *node;
	void *dp = NULL;
	char text[37];
	unsigned int i;
	size_t len;

	if (!li->DeviceHandle ||
	    efi_bs->HandleProtocol(li->DeviceHandle, &dp_guid, &dp) !=
	    EFI_SUCCESS || !dp)
		return;
	for (node = dp, i = 0; i < DP_NODES_MAX; i++, node += len) {
		len = get_le16(node + 2);
		if (node[0] == END_DEVICE_PATH_TYPE || len < 4)
			return;
		if (node[0] == MEDIA_DEVICE_PATH && node[1] == MEDIA_HARDDRIVE_DP &&
		    len >= HD_NODE_LEN && node[HD_SIGTYPE_OFF] == 2) {
			bli_guid_str(node + HD_SIG_OFF, text);
			bli_set_str("LoaderDevicePartUUID", text);
			return;
		}
	}
}

void efi_bli_start(const char *version)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li = NULL;
	uint64_t features = BLI_FEATURE_CONFIG_TIMEOUT |
		BLI_FEATURE_CONFIG_TIMEOUT_ONE_SHOT |
		BLI_FEATURE_ENTRY_DEFAULT | BLI_FEATURE_ENTRY_ONESHOT;
	uint32_t rev = efi_st->Hdr.Revision;
	char text[96], vendor[64];
	uint8_t le[8];
	const uint8_t *fp;
	size_t len, i;

	bli_set_usec("LoaderTimeInitUSec");
	fmt_snprintf(text, sizeof(text), "aoeboot %s", version);
	bli_set_str("LoaderInfo", text);
	fmt_snprintf(text, sizeof(text), "UEFI %u.%02u", rev >> 16,
		     rev & 0xffff);
	bli_set_str("LoaderFirmwareType", text);
	for (i = 0; efi_st->FirmwareVendor && efi_st->FirmwareVendor[i] &&
	     i + 1 < sizeof(vendor); i++) {
		CHAR16 c = efi_st->FirmwareVendor[i];

		vendor[i] = c >= ' ' && c <= '~' ? (char)c : '?';
	}
	vendor[i] = 0;
	fmt_snprintf(text, sizeof(text), "%s %u.%02u", vendor,
		     efi_st->FirmwareRevision >> 16,
		     efi_st->FirmwareRevision & 0xffff);
	bli_set_str("LoaderFirmwareInfo", text);
	put_le64(le, features);
	bli_set("LoaderFeatures", le, sizeof(le));
	if (efi_bs->HandleProtocol(efi_image, &li_guid, (void **)&li) !=
	    EFI_SUCCESS || !li)
		return;
	bli_set_part_uuid(li);
	/* LoaderImageIdentifier: our path, when it is one file-path node. */
	fp = (const uint8_t *)li->FilePath;
	if (fp && fp[0] == MEDIA_DEVICE_PATH && fp[1] == MEDIA_FILEPATH_DP &&
	    (len = get_le16(fp + 2)) > 4)
		bli_set("LoaderImageIdentifier", fp + 4, len - 4);
}

/* A timeout variable into set->timeout. */
static void bli_timeout(const char *name, bool once, struct settings *set)
{
	uint8_t buf[64];
	size_t n = bli_get(name, buf, sizeof(buf), once);
	int t;

	if (!n)
		return;
	if (bli_decode_timeout(buf, n, once ? BLI_TIMEOUT_ONESHOT :
			       BLI_TIMEOUT, &t)) {
		log_warn("%s: not a timeout, ignored", name);
		return;
	}
	set->timeout = t;
	set->have_timeout = true;
}

/* An entry id variable into set->entry. */
static void bli_entry(const char *name, bool once, struct settings *set)
{
	uint8_t buf[2 * BLI_ID_MAX];
	size_t n = bli_get(name, buf, sizeof(buf), once);
	char id[BLI_ID_MAX];

	if (!n)
		return;
	if (bli_decode_id(buf, n, id, sizeof(id))) {
		log_warn("%s: not an entry id, ignored", name);
		return;
	}
	_Static_assert(sizeof(id) <= sizeof(set->entry), "entry size");
	memcpy(set->entry, id, strlen(id) + 1);
	log_info("%s: entry %s", name, id);
}

void efi_bli_defaults(struct settings *set)
{
	bli_timeout("LoaderConfigTimeout", false, set);
	bli_entry("LoaderEntryDefault", false, set);
}

void efi_bli_oneshot(struct settings *set)
{
	bli_timeout("LoaderConfigTimeoutOneShot", true, set);
	bli_entry("LoaderEntryOneShot", true, set);
}

void efi_bli_entries(const struct boot_menu_entry *entries,
		     unsigned int count)
{
	const char **ids = plat_alloc(count * sizeof(*ids));
	unsigned int i, n = 0;
	size_t size;
	void *buf;

	for (i = 0; ids && i < count; i++)
		if (entries[i].id && entries[i].id[0])
			ids[n++] = entries[i].id;
	size = bli_encode(ids, n, NULL, 0);
	buf = ids ? plat_alloc(size) : NULL;
	if (buf) {
		bli_encode(ids, n, buf, size);
		bli_set("LoaderEntries", buf, size);
	}
	plat_free(buf);
	plat_free(ids);
}

void efi_bli_exec(const char *selected)
{
	if (selected)
		bli_set_str("LoaderEntrySelected", selected);
	bli_set_usec("LoaderTimeExecUSec");
}
