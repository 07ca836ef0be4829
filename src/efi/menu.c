/*
 * menu.c - the boot menu and the command-line editor.
 *
 * The menu takes a plain array of entries (title + command line), so any
 * boot flow can feed it.  It is drawn as ordinary lines and redrawn in
 * place with SetCursorPosition, which works on the graphics console and on
 * a serial terminal alike.
 */
#include <efi.h>
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define POLL_US		20000
#define ATTR_NORMAL	EFI_TEXT_ATTR(EFI_LIGHTGRAY, EFI_BLACK)
#define ATTR_SELECTED	EFI_TEXT_ATTR(EFI_BLACK, EFI_LIGHTGRAY)
#define KEY_ENTER	0x0d
#define KEY_BACKSPACE	0x08
#define KEY_ESC_SCAN	0x17

static SIMPLE_TEXT_OUTPUT_INTERFACE *con(void)
{
	return efi_st->ConOut;
}

static unsigned int con_columns(void)
{
	UINTN cols = 80, rows = 25;

	if (con()->QueryMode(con(), con()->Mode->Mode, &cols, &rows) !=
	    EFI_SUCCESS || cols < 20)
		cols = 80;
	return (unsigned int)cols;
}

/* Wait for a key up to @us microseconds (0: forever). */
static int wait_key(uint64_t us, uint16_t *scan, uint16_t *ch)
{
	uint64_t end = plat_now_us() + us;

	for (;;) {
		if (efi_read_key(scan, ch) == 0)
			return 0;
		if (us && plat_now_us() >= end)
			return -ERR_TIMEOUT;
		efi_bs->Stall(POLL_US);
	}
}

static void draw_entry(const struct boot_menu_entry *e, unsigned int row,
		       bool selected, unsigned int cols)
{
	char line[256];
	size_t n;

	con()->SetCursorPosition(con(), 0, row);
	fmt_snprintf(line, sizeof(line), "  %c %s", selected ? '>' : ' ',
		     e->title);
	n = strlen(line);
	while (n + 1 < cols && n + 1 < sizeof(line))
		line[n++] = ' ';
	line[MIN(n, (size_t)cols - 1)] = 0;
	con()->SetAttribute(con(), selected ? ATTR_SELECTED : ATTR_NORMAL);
	efi_puts(line);
	con()->SetAttribute(con(), ATTR_NORMAL);
}

/* Rewrite the status line under the menu. */
static void draw_status(unsigned int row, unsigned int cols, const char *text)
{
	char line[256];
	size_t n;

	fmt_snprintf(line, sizeof(line), "%s", text);
	n = strlen(line);
	while (n + 1 < cols && n + 1 < sizeof(line))
		line[n++] = ' ';
	line[MIN(n, (size_t)cols - 1)] = 0;
	con()->SetCursorPosition(con(), 0, row);
	efi_puts(line);
	con()->SetCursorPosition(con(), 0, row);
}

/*
 * Edit @buf (capacity @size) on screen row @row: left/right/home/end,
 * backspace/delete, printable characters insert.  Enter keeps the edit,
 * Esc restores the original.
 *
 * @ret rc	1 after Enter, 0 after Esc, or -ERR_NOMEM
 */
static int edit_line(char *buf, size_t size, unsigned int row,
		     unsigned int cols)
{
	static const char prompt[] = "edit> ";
	const unsigned int plen = sizeof(prompt) - 1;
	unsigned int width = cols - plen - 1, off = 0, i;
	size_t len = strlen(buf), cur = len;
	char *orig = plat_alloc(size);
	char shown[256];
	uint16_t scan, ch;
	int rc = 1;

	if (!orig)
		return -ERR_NOMEM;
	memcpy(orig, buf, len + 1);
	if (width >= sizeof(shown))
		width = sizeof(shown) - 1;
	con()->EnableCursor(con(), TRUE);
	for (;;) {
		if (cur < off)
			off = (unsigned int)cur;
		if (cur >= off + width)
			off = (unsigned int)(cur - width + 1);
		for (i = 0; i < width; i++)
			shown[i] = off + i < len ? buf[off + i] : ' ';
		shown[width] = 0;
		con()->SetCursorPosition(con(), 0, row);
		efi_puts(prompt);
		efi_puts(shown);
		con()->SetCursorPosition(con(), plen + (unsigned int)(cur - off),
					 row);
		wait_key(0, &scan, &ch);
		if (ch == KEY_ENTER)
			break;
		if (scan == KEY_ESC_SCAN) {
			memcpy(buf, orig, strlen(orig) + 1);
			rc = 0;
			break;
		}
		if (scan == SCAN_LEFT && cur > 0)
			cur--;
		else if (scan == SCAN_RIGHT && cur < len)
			cur++;
		else if (scan == SCAN_HOME)
			cur = 0;
		else if (scan == SCAN_END)
			cur = len;
		else if (ch == KEY_BACKSPACE && cur > 0) {
			memmove(buf + cur - 1, buf + cur, len - cur + 1);
			cur--, len--;
		} else if (scan == SCAN_DELETE && cur < len) {
			memmove(buf + cur, buf + cur + 1, len - cur);
			len--;
		} else if (ch >= 0x20 && ch < 0x7f && len + 1 < size) {
			memmove(buf + cur + 1, buf + cur, len - cur + 1);
			buf[cur++] = (char)ch;
			len++;
		}
	}
	con()->EnableCursor(con(), FALSE);
	plat_free(orig);
	return rc;
}

int menu_choose(void *pctx, struct boot_menu_entry *entries,
		unsigned int count, unsigned int def, int timeout)
{
	unsigned int cols = con_columns(), sel = def, i, first_row, status_row;
	bool counting = timeout > 0;
	int left = timeout;
	uint16_t scan, ch;
	char status[160];

	(void)pctx;
	if (count == 0)
		return -ERR_NOENT;
	efi_bli_entries(entries, count);
	if (sel >= count)
		sel = 0;
	if (timeout == 0) {
		log_info("booting '%s'", entries[sel].title);
		return (int)sel;
	}
	efi_puts("\nBoot entries (arrow keys, Enter to boot, e to edit):\n");
	for (i = 0; i < count; i++)
		efi_puts("\n");
	efi_puts("\n");
	status_row = (unsigned int)con()->Mode->CursorRow;
	first_row = status_row - 1 - count;
	con()->EnableCursor(con(), FALSE);
	for (;;) {
		for (i = 0; i < count; i++)
			draw_entry(&entries[i], first_row + i, i == sel, cols);
		if (counting)
			fmt_snprintf(status, sizeof(status),
				     "Booting '%s' in %d s", entries[sel].title,
				     left);
		else
			fmt_snprintf(status, sizeof(status), "%s",
				     entries[sel].cmdline);
		draw_status(status_row, cols, status);
		if (wait_key(counting ? 1000000 : 0, &scan, &ch) < 0) {
			if (--left > 0)
				continue;
			break;	/* timed out: boot the selection */
		}
		counting = false;
		if (ch == KEY_ENTER)
			break;
		if (scan == SCAN_UP)
			sel = sel ? sel - 1 : count - 1;
		else if (scan == SCAN_DOWN)
			sel = (sel + 1) % count;
		else if (scan == KEY_ESC_SCAN) {
			draw_status(status_row, cols, "");
			efi_puts("\n");
			return -ERR_ABORTED;
		} else if (ch == 'e' && entries[sel].editable &&
			   edit_line(entries[sel].cmdline,
				     entries[sel].cmdline_size, status_row,
				     cols) == 1) {
			break;	/* Enter in the editor boots, as in GRUB */
		}
	}
	draw_status(status_row, cols, "");
	efi_puts("\n");
	log_info("booting '%s'", entries[sel].title);
	return (int)sel;
}
