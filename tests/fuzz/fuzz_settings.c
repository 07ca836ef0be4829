/*
 * fuzz_settings.c - bytes as a settings file into settings_parse_file(),
 * then the same bytes (NUL-terminated) as a command line into
 * settings_parse(), both on one struct settings.  Whatever the input, the
 * result must stay within its bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_bounds(const struct settings *s)
{
	if (s->ntargets > SET_MAX_TARGETS || s->ninitrds > SET_MAX_INITRDS ||
	    strnlen(s->entry, sizeof(s->entry)) >= sizeof(s->entry) ||
	    strnlen(s->append, sizeof(s->append)) >= sizeof(s->append) ||
	    strnlen(s->filename, sizeof(s->filename)) >= sizeof(s->filename) ||
	    s->timeout < -1 || s->timeout > 3600 || s->discover_ms < 10 ||
	    s->vlan > 4094)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s;
	char *text = malloc(size + 1);

	settings_init(&s);
	settings_parse_file(&s, (const char *)data, size, "fuzz.conf");
	check_bounds(&s);
	memcpy(text, data, size);
	text[size] = 0;
	settings_parse(&s, text, "fuzz");
	check_bounds(&s);
	free(text);
	return 0;
}
