/*
 * plat.c - platform.h for UEFI: clock, memory, console.
 *
 * The clock is the TSC, calibrated once against BS->Stall(): the I/O engine
 * reads it for every frame, so it must cost a few cycles, not a firmware
 * call.  Console output goes to ConOut (OVMF copies it to the serial port);
 * a progress line is rewritten in place with '\r' and ended before the next
 * log line.
 */
#include <efi.h>
#include <stdarg.h>
#include "console.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;
EFI_HANDLE efi_image;

/* Platform-layer state: clock calibration and the console. */
static uint64_t tsc_start;
static uint64_t tsc_khz = 1000000;	/* overwritten by calibration */
static struct console con = { .puts = efi_puts };

#define CALIBRATE_US		20000

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void efi_plat_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	uint64_t t0, t1;

	efi_image = image;
	efi_st = st;
	efi_bs = st->BootServices;
	/* The firmware watchdog (5 minutes) would reset us mid-transfer. */
	efi_bs->SetWatchdogTimer(0, 0, 0, NULL);
	t0 = rdtsc();
	efi_bs->Stall(CALIBRATE_US);
	t1 = rdtsc();
	if (t1 > t0 && (t1 - t0) / (CALIBRATE_US / 1000) > 0)
		tsc_khz = (t1 - t0) / (CALIBRATE_US / 1000);
	tsc_start = t0;
}

uint64_t plat_now_us(void)
{
	return (rdtsc() - tsc_start) * 1000 / tsc_khz;
}

uint64_t efi_boot_us(void)
{
	return rdtsc() * 1000 / tsc_khz;
}

void *plat_alloc(size_t size)
{
	void *ptr = NULL;

	if (efi_bs->AllocatePool(EfiLoaderData, size ? size : 1, &ptr) !=
	    EFI_SUCCESS)
		return NULL;
	return ptr;
}

void plat_free(void *ptr)
{
	if (ptr)
		efi_bs->FreePool(ptr);
}

/* Output in chunks through a small UCS-2 buffer; '\n' becomes CR LF. */
void efi_puts(const char *str)
{
	CHAR16 buf[130];
	size_t n = 0;

	for (; *str; str++) {
		unsigned char c = (unsigned char)*str;

		if (n >= 126) {
			buf[n] = 0;
			efi_st->ConOut->OutputString(efi_st->ConOut, buf);
			n = 0;
		}
		if (c == '\n')
			buf[n++] = '\r';
		buf[n++] = c < 0x80 ? c : '?';
	}
	if (n) {
		buf[n] = 0;
		efi_st->ConOut->OutputString(efi_st->ConOut, buf);
	}
}

void efi_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	efi_puts(line);
}

void efi_set_debug(bool on)
{
	con.debug = on;
}

void plat_log(enum log_level level, const char *line)
{
	console_log(&con, level, line);
}

void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us)
{
	console_progress(&con, what, done, total, elapsed_us, plat_now_us());
}

int efi_read_key(uint16_t *scan, uint16_t *ch)
{
	EFI_INPUT_KEY key;

	if (efi_st->ConIn->ReadKeyStroke(efi_st->ConIn, &key) != EFI_SUCCESS)
		return -ERR_AGAIN;
	*scan = key.ScanCode;
	*ch = key.UnicodeChar;
	return 0;
}

CHAR16 *efi_ascii_to_ucs2(const char *ascii, size_t *size)
{
	size_t len = strlen(ascii), i;
	CHAR16 *str = plat_alloc((len + 1) * sizeof(CHAR16));

	if (!str)
		return NULL;
	for (i = 0; i <= len; i++)
		str[i] = (unsigned char)ascii[i];
	if (size)
		*size = (len + 1) * sizeof(CHAR16);
	return str;
}

EFI_STATUS efi_status_from_err(int rc)
{
	switch (-rc) {
	case 0: return EFI_SUCCESS;
	case ERR_NOMEM: return EFI_OUT_OF_RESOURCES;
	case ERR_NODEV: case ERR_NOENT: return EFI_NOT_FOUND;
	case ERR_TIMEOUT: return EFI_TIMEOUT;
	case ERR_INVAL: return EFI_INVALID_PARAMETER;
	case ERR_NOTSUP: return EFI_UNSUPPORTED;
	case ERR_ABORTED: return EFI_ABORTED;
	case ERR_ROFS: return EFI_WRITE_PROTECTED;
	case ERR_PERM: return EFI_ACCESS_DENIED;
	case ERR_TOOBIG: return EFI_BAD_BUFFER_SIZE;
	case ERR_CORRUPT: return EFI_VOLUME_CORRUPTED;
	case ERR_PROTO: return EFI_PROTOCOL_ERROR;
	default: return EFI_DEVICE_ERROR;
	}
}

int efi_err_from_status(EFI_STATUS status)
{
	if (status == EFI_SUCCESS)
		return 0;
	if (status == EFI_OUT_OF_RESOURCES)
		return -ERR_NOMEM;
	if (status == EFI_NOT_FOUND)
		return -ERR_NOENT;
	if (status == EFI_TIMEOUT)
		return -ERR_TIMEOUT;
	if (status == EFI_INVALID_PARAMETER)
		return -ERR_INVAL;
	if (status == EFI_UNSUPPORTED)
		return -ERR_NOTSUP;
	if (status == EFI_ACCESS_DENIED || status == EFI_SECURITY_VIOLATION)
		return -ERR_PERM;
	if (status == EFI_NOT_READY)
		return -ERR_AGAIN;
	return -ERR_IO;
}

const char *efi_status_str(EFI_STATUS status)
{
	static const struct {
		EFI_STATUS status;
		const char *name;
	} names[] = {
		{ EFI_SUCCESS, "EFI_SUCCESS" },
		{ EFI_LOAD_ERROR, "EFI_LOAD_ERROR" },
		{ EFI_INVALID_PARAMETER, "EFI_INVALID_PARAMETER" },
		{ EFI_UNSUPPORTED, "EFI_UNSUPPORTED" },
		{ EFI_BAD_BUFFER_SIZE, "EFI_BAD_BUFFER_SIZE" },
		{ EFI_BUFFER_TOO_SMALL, "EFI_BUFFER_TOO_SMALL" },
		{ EFI_NOT_READY, "EFI_NOT_READY" },
		{ EFI_DEVICE_ERROR, "EFI_DEVICE_ERROR" },
		{ EFI_OUT_OF_RESOURCES, "EFI_OUT_OF_RESOURCES" },
		{ EFI_NOT_FOUND, "EFI_NOT_FOUND" },
		{ EFI_ACCESS_DENIED, "EFI_ACCESS_DENIED" },
		{ EFI_TIMEOUT, "EFI_TIMEOUT" },
		{ EFI_NOT_STARTED, "EFI_NOT_STARTED" },
		{ EFI_ALREADY_STARTED, "EFI_ALREADY_STARTED" },
		{ EFI_ABORTED, "EFI_ABORTED" },
		{ EFI_SECURITY_VIOLATION, "EFI_SECURITY_VIOLATION" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].status == status)
			return names[i].name;
	return "EFI error";
}
