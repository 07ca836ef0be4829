/*
 * menu.c - the boot menu on the BIOS console (screen and COM1 at once).
 *
 * Line-oriented, because the two consoles share nothing but teletype
 * output: INT 10h knows no ANSI cursor movement and a serial terminal
 * knows no BIOS cursor.  The list is printed again when the selection
 * moves; the countdown rewrites its own line with '\r'.  Keys come from
 * INT 16h and COM1 alike (bios_getkey), so a headless machine is driven
 * over its serial line.
 */
#include "bios.h"
#include "bootmgr.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define KEY_ENTER	'\r'
#define KEY_NEWLINE	'\n'
#define KEY_BACKSPACE	'\b'
#define KEY_ESC		0x1B
#define SECOND_US	1000000u

static void menu_list(const struct boot_menu_entry *entries,
		      unsigned int count, unsigned int sel)
{
	unsigned int i;

	bios_puts("\nBoot entries (arrow keys, Enter to boot, e to edit):\n");
	for (i = 0; i < count; i++)
		bios_printf("  %c %s\n", i == sel ? '>' : ' ',
			    entries[i].title);
}

/*
 * Edit @line in place (typing appends, Backspace erases, Esc restores).
 * @ret rc	1 when Enter accepted the line, 0 when Esc cancelled
 */
static int menu_edit(char *line, size_t size)
{
	char *orig = plat_alloc(size);
	size_t len = strlen(line);
	int key;

	if (!orig)
		return 0;
	memcpy(orig, line, len + 1);
	bios_puts("\nedit> ");
	bios_puts(line);
	for (;;) {
		key = bios_getkey(SECOND_US);
		if (key == KEY_NONE)
			continue;
		if (key == KEY_ENTER || key == KEY_NEWLINE) {
			bios_puts("\n");
			plat_free(orig);
			return 1;
		}
		if (key == KEY_ESC) {
			memcpy(line, orig, strlen(orig) + 1);
			bios_puts("\n");
			plat_free(orig);
			return 0;
		}
		if (key == KEY_BACKSPACE && len > 0) {
			line[--len] = 0;
			bios_puts("\b \b");
		} else if (key >= 0x20 && key < 0x7F && len + 1 < size) {
			char echo[2] = { (char)key, 0 };

			line[len++] = (char)key;
			line[len] = 0;
			bios_puts(echo);
		}
	}
}

/**
 * The boot_platform menu operation (bootmgr.h).
 *
 * @v pctx	platform context (unused)
 * @v entries	the candidates
 * @v count	how many (>= 1)
 * @v def	the default's index
 * @v timeout	seconds; 0 boots @def at once, < 0 waits for a key
 * @ret index	the chosen entry, or -ERR_ABORTED on Esc
 */
int bios_menu(void *pctx, struct boot_menu_entry *entries, unsigned int count,
	      unsigned int def, int timeout)
{
	unsigned int sel = def < count ? def : 0;
	bool counting = timeout > 0;
	int left = timeout, key;

	(void)pctx;
	if (count == 0)
		return -ERR_NOENT;
	if (timeout == 0) {
		log_info("booting '%s'", entries[sel].title);
		return (int)sel;
	}
	menu_list(entries, count, sel);
	for (;;) {
		if (counting)
			bios_printf("\rBooting '%s' in %d s ", entries[sel].title,
				    left);
		key = bios_getkey(SECOND_US);
		if (key == KEY_NONE) {
			if (counting && --left <= 0)
				break;
			continue;
		}
		if (counting) {
			counting = false;
			bios_puts("\n");
		}
		if (key == KEY_ENTER || key == KEY_NEWLINE)
			break;
		if (key == KEY_UP || key == KEY_DOWN) {
			sel = key == KEY_UP ? (sel ? sel - 1 : count - 1) :
			      (sel + 1) % count;
			menu_list(entries, count, sel);
		} else if (key == KEY_ESC) {
			log_info("menu left");
			return -ERR_ABORTED;
		} else if (key == 'e' && entries[sel].editable &&
			   menu_edit(entries[sel].cmdline,
				     entries[sel].cmdline_size) == 1) {
			break;	/* Enter in the editor boots, as in GRUB */
		}
	}
	if (counting)
		bios_puts("\n");
	log_info("booting '%s'", entries[sel].title);
	return (int)sel;
}
