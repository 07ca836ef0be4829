/* fstest.c - differential checks of the VFS against a host directory tree. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fstest.h"

const char *fstest_dir(void)
{
	const char *d = getenv("FSTEST_IMAGES");

	return d ? d : "build/images/fs";
}

const char *fstest_path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", fstest_dir(), name);
	return buf;
}

/* ---- comparing a host tree ---------------------------------------------- */

struct name_list {
	char **names;
	size_t count, cap;
};

static int collect_cb(void *ctx, const struct fs_dirent *ent)
{
	struct name_list *l = ctx;

	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->names = realloc(l->names, l->cap * sizeof(char *));
	}
	l->names[l->count++] = strdup(ent->name);
	if (strlen(ent->name) != ent->namelen)
		return -1000;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_list(struct name_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->names[i]);
	free(l->names);
}

/** Compare @len bytes at @off of the open file with the host fd. */
static int compare_range(struct fs_file *f, int fd, uint64_t off, size_t len,
			 const char *what)
{
	char *a = malloc(len ? len : 1), *b = malloc(len ? len : 1);
	ssize_t hn = pread(fd, b, len, (off_t)off);
	int n = fs_read(f, off, a, len);
	int bad = 0;

	if (hn < 0 || n != hn || memcmp(a, b, (size_t)hn)) {
		fprintf(stderr, "  %s: range %llu+%zu differs (fs %d, host %zd)\n",
			what, (unsigned long long)off, len, n, hn);
		bad = 1;
	}
	free(a);
	free(b);
	return bad;
}

static int compare_file(struct fs *fs, const char *host, const char *path,
			uint64_t max_file)
{
	struct fs_file *f;
	struct stat st;
	int fd, bad = 0, rc;

	rc = fs_open(fs, path, &f);
	if (rc) {
		fprintf(stderr, "  %s: open failed: %d\n", path, rc);
		return 1;
	}
	fd = open(host, O_RDONLY);
	fstat(fd, &st);
	if (f->type != FS_FT_FILE || f->size != (uint64_t)st.st_size) {
		fprintf(stderr, "  %s: type %d size %llu, host size %lld\n",
			path, f->type, (unsigned long long)f->size,
			(long long)st.st_size);
		bad = 1;
	} else if ((uint64_t)st.st_size <= max_file) {
		bad = compare_range(f, fd, 0, (size_t)st.st_size, path);
	} else {
		off_t pos = 0;

		bad |= compare_range(f, fd, 0, 1 << 20, path);
		bad |= compare_range(f, fd, (uint64_t)st.st_size - (1 << 20),
				     1 << 20, path);
		/* every data region, and the byte before it (a hole) */
		for (int k = 0; k < 64; k++) {
			off_t d = lseek(fd, pos, SEEK_DATA), h;

			if (d < 0)
				break;
			h = lseek(fd, d, SEEK_HOLE);
			if (d > 4096)
				bad |= compare_range(f, fd, (uint64_t)d - 4096,
						     4096, path);
			bad |= compare_range(f, fd, (uint64_t)d,
					     (size_t)(h - d > (1 << 20) ?
						      (1 << 20) : h - d), path);
			pos = h;
		}
	}
	close(fd);
	fs_close(f);
	return bad;
}

int fstest_compare_tree(struct fs *fs, const char *host, const char *path,
			uint64_t max_file, unsigned int *nfiles)
{
	struct name_list fsl = { 0 }, hl = { 0 };
	struct fs_file *dir;
	DIR *d;
	struct dirent *de;
	int bad = 0, rc;

	rc = fs_open(fs, path, &dir);
	if (rc || dir->type != FS_FT_DIR) {
		fprintf(stderr, "  %s: cannot open dir: %d\n", path, rc);
		if (!rc)
			fs_close(dir);
		return 1;
	}
	rc = fs_readdir(dir, collect_cb, &fsl);
	fs_close(dir);
	if (rc) {
		fprintf(stderr, "  %s: readdir: %d\n", path, rc);
		bad++;
	}
	d = opendir(host);
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "lost+found"))
			continue;
		if (hl.count == hl.cap) {
			hl.cap = hl.cap ? hl.cap * 2 : 64;
			hl.names = realloc(hl.names, hl.cap * sizeof(char *));
		}
		hl.names[hl.count++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	/* drop lost+found from the fs side too */
	for (size_t i = 0; i < fsl.count; i++) {
		if (!strcmp(fsl.names[i], "lost+found")) {
			free(fsl.names[i]);
			fsl.names[i] = fsl.names[--fsl.count];
			break;
		}
	}
	if (fsl.count)
		qsort(fsl.names, fsl.count, sizeof(char *), cmp_str);
	if (hl.count)
		qsort(hl.names, hl.count, sizeof(char *), cmp_str);
	if (fsl.count != hl.count) {
		fprintf(stderr, "  %s: %zu entries, host has %zu\n", path,
			fsl.count, hl.count);
		bad++;
	}
	for (size_t i = 0; i < hl.count; i++) {
		char hp[4096], fp[4096];
		struct stat st;

		if (i < fsl.count && strcmp(fsl.names[i], hl.names[i])) {
			fprintf(stderr, "  %s: entry %s vs host %s\n", path,
				fsl.names[i], hl.names[i]);
			bad++;
		}
		snprintf(hp, sizeof(hp), "%s/%s", host, hl.names[i]);
		snprintf(fp, sizeof(fp), "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", hl.names[i]);
		lstat(hp, &st);
		if (S_ISLNK(st.st_mode)) {
			char a[4096], b[4096];
			ssize_t hn = readlink(hp, b, sizeof(b) - 1);
			int n = fs_readlink(fs, fp, a, sizeof(a));

			if (hn < 0 || n != hn || memcmp(a, b, (size_t)hn)) {
				fprintf(stderr, "  %s: link differs (%d)\n", fp,
					n);
				bad++;
			}
		} else if (S_ISDIR(st.st_mode)) {
			bad += fstest_compare_tree(fs, hp, fp, max_file, nfiles);
		} else if (S_ISREG(st.st_mode)) {
			bad += compare_file(fs, hp, fp, max_file);
			(*nfiles)++;
		}
	}
	free_list(&fsl);
	free_list(&hl);
	return bad;
}

/* ---- walking everything --------------------------------------------------- */

struct walk_ctx {
	struct fs *fs;
	char path[4096];
	size_t max_bytes;
	int errors;
	int depth;
	int entries;
};

static void walk_dir(struct walk_ctx *w);

static int walk_cb(void *ctx, const struct fs_dirent *ent)
{
	struct walk_ctx *w = ctx;
	size_t len = strlen(w->path);
	struct fs_file *f;

	if (++w->entries > 20000)
		return 1;
	if (len + 1 + ent->namelen + 1 > sizeof(w->path))
		return 0;
	snprintf(w->path + len, sizeof(w->path) - len, "%s%s",
		 len > 1 ? "/" : "", ent->name);
	if (fs_open_nofollow(w->fs, w->path, &f)) {
		w->errors++;
	} else {
		if (f->type == FS_FT_FILE) {
			size_t n = f->size < w->max_bytes ? (size_t)f->size :
							    w->max_bytes;
			char *buf = malloc(n ? n : 1);

			if (fs_read(f, 0, buf, n) != (int)n)
				w->errors++;
			if (f->size > n && fs_read(f, f->size - 1, buf, 1) != 1)
				w->errors++;
			free(buf);
		} else if (f->type == FS_FT_SYMLINK) {
			char t[4096];
			struct fs_stat st;

			if (fs_readlink(w->fs, w->path, t, sizeof(t)) < 0)
				w->errors++;
			if (fs_stat(w->fs, w->path, &st))
				w->errors++;
		} else if (f->type == FS_FT_DIR && w->depth < 16) {
			w->depth++;
			walk_dir(w);
			w->depth--;
		}
		fs_close(f);
	}
	w->path[len] = '\0';
	return 0;
}

static void walk_dir(struct walk_ctx *w)
{
	struct fs_file *d;

	if (fs_open(w->fs, w->path, &d)) {
		w->errors++;
		return;
	}
	if (d->type == FS_FT_DIR && fs_readdir(d, walk_cb, w) < 0)
		w->errors++;
	fs_close(d);
}

int fstest_walk_all(struct fs *fs, size_t max_bytes)
{
	struct walk_ctx *w = calloc(1, sizeof(*w));
	int errors;

	w->fs = fs;
	w->max_bytes = max_bytes;
	strcpy(w->path, "/");
	walk_dir(w);
	errors = w->errors;
	free(w);
	return errors;
}

/* ---- fuzz inputs ------------------------------------------------------------ */

int fstest_fuzz_image(const char *file, uint8_t **data, size_t *size)
{
	FILE *f = fopen(file, "rb");
	uint8_t *in = malloc(1 << 21);
	size_t len, units, pos = 2;

	*data = NULL;
	if (!f) {
		free(in);
		return -1;
	}
	len = fread(in, 1, 1 << 21, f);
	fclose(f);
	units = len >= 2 ? (size_t)in[0] | (size_t)in[1] << 8 : 0;
	if (!units || units > 9216) {
		free(in);
		return -1;
	}
	*size = units * 4096;
	*data = calloc(1, *size);
	while (pos + 6 <= len) {
		uint32_t off = (uint32_t)in[pos] | (uint32_t)in[pos + 1] << 8 |
			       (uint32_t)in[pos + 2] << 16 |
			       (uint32_t)in[pos + 3] << 24;
		size_t n = (size_t)in[pos + 4] | (size_t)in[pos + 5] << 8;

		pos += 6;
		if (n > len - pos)
			n = len - pos;
		if (off < *size)
			memcpy(*data + off, in + pos,
			       n < *size - off ? n : *size - off);
		pos += n;
	}
	free(in);
	return 0;
}
