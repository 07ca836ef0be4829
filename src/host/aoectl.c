/*
 * aoectl.c - the AoE initiator on Linux, on the very same core as the
 * firmware: discover, identify, read, write and benchmark AoE targets.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netdev.h"
#include "plat.h"
#include "../core/aoedev.h"
#include "../core/bootflow.h"
#include "../core/bootmgr.h"
#include "../core/errors.h"
#include "../core/log.h"
#include "../core/sha256.h"

#define CHUNK_SECTORS	16384		/* 8 MiB per aoe_read() call */

struct options {
	const char *iface;
	uint32_t timeout_ms;
	uint32_t dead_ms;
	uint64_t lba;
	bool have_lba;
	uint64_t count;
	bool have_count;
	const char *output;
	unsigned int window;
	unsigned int sectors;
	unsigned int mib;
	const char *volume;
	const char *entry;
	const char *append;
	const char *config_prefix;
	const char *settings;
	bool dry_run;
	unsigned int vlan;
};

/** Progress state for one transfer, fed by the engine's callback. */
struct progress {
	const char *what;
	uint64_t done;
	uint64_t total;
	uint64_t start_us;
};

static void usage(FILE *out)
{
	fputs("usage: aoectl COMMAND -i IFACE [options] [TARGET]\n"
	      "\n"
	      "IFACE may be a comma list (eth0,eth1): every path to a target is used.\n"
	      "\n"
	      "commands:\n"
	      "  discover  -i IFACE [--timeout MS]     list the AoE targets that answer\n"
	      "  identify  -i IFACE TARGET             ATA IDENTIFY of one target\n"
	      "  read      -i IFACE TARGET [--lba N] [--count SECTORS] [-o FILE]\n"
	      "                                        read sectors (default: whole disk)\n"
	      "  write     -i IFACE TARGET --lba N FILE\n"
	      "                                        write FILE at sector N (the only\n"
	      "                                        command that ever writes)\n"
	      "  bench     -i IFACE TARGET [--window N] [--sectors N] [--mib N]\n"
	      "                                        sequential read throughput;\n"
	      "                                        --window 1 --sectors 2 is iPXE's way\n"
	      "  volumes   -i IFACE [TARGETS]          partitions, md arrays, filesystems\n"
	      "  ls        -i IFACE [TARGETS] [--volume V] PATH\n"
	      "  cat       -i IFACE [TARGETS] [--volume V] PATH\n"
	      "  entries   -i IFACE [TARGETS]          boot entries, the default marked *\n"
	      "  boot      --dry-run -i IFACE [TARGETS] [--entry ID] [--append ARGS]\n"
	      "            [--settings FILE]           what the firmware would boot: the\n"
	      "                                        firmware's boot manager, its menu,\n"
	      "                                        choice and hand-off (FILE: as\n"
	      "                                        aoeboot.conf)\n"
	      "\n"
	      "TARGETS is a comma list such as e11.0,e12.0 (default: all that answer).\n"
	      "TARGET is e<shelf>.<slot> or aoe:e<shelf>.<slot>.\n"
	      "options: --timeout MS (discovery, default 1000), --dead-time MS (give up\n"
	      "on an unanswered command, default 10000), --config PREFIX (only targets\n"
	      "whose AoE config string starts with PREFIX), --vlan ID (tag every frame\n"
	      "with 802.1Q VLAN ID 1..4094 and use only replies on it; on a Linux VLAN\n"
	      "interface such as eth0.5 the kernel tags, use -i eth0.5 without it),\n"
	      "-v verbose, -q quiet\n",
	      out);
}

static int die(const char *fmt, ...)
{
	va_list ap;

	host_progress_clear();
	fputs("aoectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static void mac_str(const uint8_t *mac, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

static void on_progress(void *arg, uint64_t bytes)
{
	struct progress *p = arg;

	p->done += bytes;
	plat_progress(p->what, p->done, p->total, plat_now_us() - p->start_us);
}

/** The interfaces aoectl was given (-i eth0 or -i eth0,eth1). */
struct nics {
	struct netdev nd[AOE_MAX_NETDEVS];
	unsigned int n;
};

static void nics_close(struct nics *nics)
{
	while (nics->n)
		host_netdev_close(&nics->nd[--nics->n]);
}

/** Open the interfaces (-i eth0,eth1). */
static int nics_open(struct nics *nics, const struct options *o)
{
	char names[256], *name, *save = NULL;
	int rc;

	nics->n = 0;
	if (!o->iface)
		return die("no interface given (-i IFACE)");
	snprintf(names, sizeof(names), "%s", o->iface);
	for (name = strtok_r(names, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		if (nics->n == AOE_MAX_NETDEVS)
			return die("at most %d interfaces", AOE_MAX_NETDEVS);
		rc = host_netdev_open(&nics->nd[nics->n], name);
		if (rc) {
			nics_close(nics);
			return 1;	/* host_netdev_open said why */
		}
		nics->n++;
	}
	if (!nics->n)
		return die("no interface given (-i IFACE)");
	return 0;
}

/** Open the interfaces and set up the initiator. */
static int setup(struct aoe_ctx *ctx, struct nics *nics,
		 const struct options *o)
{
	struct aoe_options aopt;
	struct netdev *nds[AOE_MAX_NETDEVS];
	unsigned int i;
	int rc;

	if (nics_open(nics, o))
		return 1;
	for (i = 0; i < nics->n; i++)
		nds[i] = &nics->nd[i];
	memset(&aopt, 0, sizeof(aopt));
	aopt.fixed_window = o->window;
	aopt.max_sectors = o->sectors;
	aopt.dead_us = o->dead_ms * 1000;
	aopt.config_prefix = o->config_prefix;
	aopt.vlan = (uint16_t)o->vlan;
	rc = aoe_init(ctx, nds, nics->n, &aopt);
	if (rc) {
		nics_close(nics);
		return die("cannot start the initiator: %s", err_str(rc));
	}
	return 0;
}

/** Undo setup(): the initiator, then the interfaces. */
static void teardown(struct aoe_ctx *ctx, struct nics *nd)
{
	aoe_shutdown(ctx);
	nics_close(nd);
}

/** Find and identify the named target. */
static int open_target(struct aoe_ctx *ctx, const struct options *o,
		       const char *name, struct aoe_target **out)
{
	uint16_t shelf;
	uint8_t slot;
	struct aoe_target *target;
	int rc;

	if (!name)
		return die("no target given (e.g. e11.0)");
	if (aoe_parse_name(name, &shelf, &slot))
		return die("bad target name '%s' (expected e<shelf>.<slot> or "
			   "aoe:e<shelf>.<slot>)", name);
	target = aoe_probe(ctx, shelf, slot, o->timeout_ms);
	if (!target)
		return die("target e%u.%u not found on %s (no answer within "
			   "%u ms)", shelf, slot, o->iface, o->timeout_ms);
	rc = aoe_identify(target);
	if (rc)
		return die("e%u.%u: IDENTIFY failed: %s", shelf, slot,
			   err_str(rc));
	*out = target;
	return 0;
}

static void print_paths(const struct aoe_target *t, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < t->npaths && len + 20 < size; i++) {
		char mac[20];

		mac_str(t->paths[i].mac, mac, sizeof(mac));
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "", mac);
	}
}

static int cmd_discover(const struct options *o)
{
	struct aoe_ctx ctx;
	struct nics nd;
	unsigned int i;
	int n;

	if (setup(&ctx, &nd, o))
		return 1;
	n = aoe_discover(&ctx, o->timeout_ms);
	if (n < 0)
		return die("discovery on %s failed: %s", o->iface, err_str(n));
	if (n == 0) {
		teardown(&ctx, &nd);
		return die("no AoE targets answered on %s", o->iface);
	}
	for (i = 0; i < ctx.ntargets; i++) {
		struct aoe_target *t = ctx.targets[i];
		char paths[200], human[32];
		int rc = aoe_identify(t);

		print_paths(t, paths, sizeof(paths));
		if (rc) {
			printf("%-8s %s  (IDENTIFY failed: %s)\n", t->blk.name,
			       paths, err_str(rc));
			continue;
		}
		fmt_size(human, sizeof(human), t->nsectors * 512);
		printf("%-8s %s  %llu sectors (%s)  \"%s\"  bufcnt %u  "
		       "sectors/frame %u\n", t->blk.name, paths,
		       (unsigned long long)t->nsectors, human, t->model,
		       t->paths[0].bufcnt, aoe_target_spf(t));
	}
	teardown(&ctx, &nd);
	return 0;
}

static int cmd_identify(const struct options *o, const char *name)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct aoe_target *t;
	char human[32], paths[200];
	unsigned int i;

	if (setup(&ctx, &nd, o) || open_target(&ctx, o, name, &t))
		return 1;
	fmt_size(human, sizeof(human), t->nsectors * 512);
	print_paths(t, paths, sizeof(paths));
	printf("target:        %s\n", t->blk.name);
	printf("paths:         %s\n", paths);
	printf("capacity:      %llu sectors (%s)\n",
	       (unsigned long long)t->nsectors, human);
	printf("lba48:         %s\n", t->lba48 ? "yes" : "no");
	printf("model:         %s\n", t->model);
	printf("serial:        %s\n", t->serial);
	printf("firmware:      %s\n", t->firmware);
	printf("aoe fwver:     0x%04x\n", t->fwver);
	for (i = 0; i < t->npaths; i++)
		printf("bufcnt:        %u (path %u, scnt %u)\n",
		       t->paths[i].bufcnt, i, t->paths[i].scnt);
	printf("sectors/frame: %u\n", aoe_target_spf(t));
	printf("config:        %s\n", t->config);
	teardown(&ctx, &nd);
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cmd_read(const struct options *o, const char *name)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct aoe_target *t;
	struct progress prog;
	uint64_t lba, count, done = 0;
	uint8_t *buf;
	int fd = STDOUT_FILENO, rc;

	if (setup(&ctx, &nd, o) || open_target(&ctx, o, name, &t))
		return 1;
	lba = o->have_lba ? o->lba : 0;
	if (lba > t->nsectors)
		return die("%s: LBA %llu is out of range (disk has %llu "
			   "sectors)", t->blk.name, (unsigned long long)lba,
			   (unsigned long long)t->nsectors);
	count = o->have_count ? o->count : t->nsectors - lba;
	if (count > t->nsectors - lba)
		return die("%s: LBA %llu + %llu sectors is out of range (disk "
			   "has %llu sectors)", t->blk.name,
			   (unsigned long long)lba, (unsigned long long)count,
			   (unsigned long long)t->nsectors);
	if (o->output) {
		fd = open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
		if (fd < 0)
			return die("cannot create %s: %s", o->output,
				   strerror(errno));
	} else if (isatty(STDOUT_FILENO)) {
		return die("refusing to write disk data to a terminal; use -o "
			   "FILE or a pipe");
	}
	buf = malloc((size_t)CHUNK_SECTORS * 512);
	if (!buf)
		return die("out of memory");
	prog = (struct progress){ .what = t->blk.name, .total = count * 512,
				  .start_us = plat_now_us() };
	ctx.progress = on_progress;
	ctx.progress_arg = &prog;
	while (done < count) {
		uint64_t n = count - done < CHUNK_SECTORS ? count - done :
							    CHUNK_SECTORS;

		rc = aoe_read(t, lba + done, n, buf);
		if (rc) {
			host_progress_clear();
			return die("%s: read failed at LBA %llu: %s (%llu of "
				   "%llu sectors read)", t->blk.name,
				   (unsigned long long)(lba + done),
				   err_str(rc), (unsigned long long)done,
				   (unsigned long long)count);
		}
		if (write_all(fd, buf, (size_t)n * 512))
			return die("write to %s failed: %s",
				   o->output ? o->output : "stdout",
				   strerror(errno));
		done += n;
	}
	host_progress_clear();
	if (o->output && close(fd))
		return die("close %s: %s", o->output, strerror(errno));
	free(buf);
	teardown(&ctx, &nd);
	return 0;
}

static int cmd_write(const struct options *o, const char *name,
		     const char *file)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct aoe_target *t;
	struct stat st;
	uint64_t sectors;
	uint8_t *buf;
	size_t size;
	FILE *f;
	int rc;

	if (!o->have_lba)
		return die("write needs --lba N");
	if (!file)
		return die("write needs a FILE to write");
	f = fopen(file, "rb");
	if (!f || fstat(fileno(f), &st))
		return die("cannot open %s: %s", file, strerror(errno));
	size = (size_t)st.st_size;
	if (!size)
		return die("%s is empty: nothing to write", file);
	sectors = (size + 511) / 512;
	buf = calloc(1, (size_t)sectors * 512);
	if (!buf || fread(buf, 1, size, f) != size)
		return die("cannot read %s", file);
	fclose(f);
	if (setup(&ctx, &nd, o) || open_target(&ctx, o, name, &t))
		return 1;
	if (o->lba > t->nsectors || sectors > t->nsectors - o->lba)
		return die("%s: LBA %llu + %llu sectors is out of range (disk "
			   "has %llu sectors)", t->blk.name,
			   (unsigned long long)o->lba,
			   (unsigned long long)sectors,
			   (unsigned long long)t->nsectors);
	if (size % 512) {
		/* Keep what the disk holds after the file's last byte. */
		uint8_t last[512];

		rc = aoe_read(t, o->lba + sectors - 1, 1, last);
		if (rc)
			return die("%s: read of the last sector failed: %s",
				   t->blk.name, err_str(rc));
		memcpy(buf + size, last + size % 512, 512 - size % 512);
	}
	rc = aoe_write(t, o->lba, sectors, buf);
	if (rc == -ERR_ROFS)
		return die("%s: write refused: the target is read-only",
			   t->blk.name);
	if (rc)
		return die("%s: write failed at LBA %llu: %s", t->blk.name,
			   (unsigned long long)o->lba, err_str(rc));
	fprintf(stderr, "wrote %zu bytes (%llu sectors) to %s at LBA %llu\n",
		size, (unsigned long long)sectors, t->blk.name,
		(unsigned long long)o->lba);
	free(buf);
	teardown(&ctx, &nd);
	return 0;
}

static int cmd_bench(const struct options *o, const char *name)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct aoe_target *t;
	uint64_t total, done = 0, start, elapsed, sent = 0, retrans = 0, fast = 0;
	uint64_t chunk;
	uint8_t *buf;
	double mibs;
	unsigned int i;
	int rc;

	if (setup(&ctx, &nd, o) || open_target(&ctx, o, name, &t))
		return 1;
	total = (uint64_t)(o->mib ? o->mib : 64) * 2048;
	chunk = total < CHUNK_SECTORS ? total : CHUNK_SECTORS;
	if (chunk > t->nsectors)
		chunk = t->nsectors;
	if (!chunk)
		return die("%s is empty", t->blk.name);
	buf = malloc((size_t)chunk * 512);
	if (!buf)
		return die("out of memory");
	start = plat_now_us();
	while (done < total) {
		uint64_t n = total - done < chunk ? total - done : chunk;
		uint64_t lba = done % (t->nsectors - n + 1);

		rc = aoe_read(t, lba, n, buf);
		if (rc)
			return die("%s: read failed at LBA %llu: %s",
				   t->blk.name, (unsigned long long)lba,
				   err_str(rc));
		done += n;
	}
	elapsed = plat_now_us() - start;
	for (i = 0; i < t->npaths; i++) {
		sent += t->paths[i].sent;
		retrans += t->paths[i].retransmits;
		fast += t->paths[i].fast_retransmits;
	}
	mibs = (double)done / 2048.0 / ((double)elapsed / 1e6);
	printf("target %s, %llu MiB in %.3f s, %u sectors/frame, window %s "
	       "(last %u), %llu frames sent, %llu timeouts, %llu fast retransmits\n",
	       t->blk.name, (unsigned long long)(done / 2048),
	       (double)elapsed / 1e6, aoe_target_spf(t),
	       o->window ? "fixed" : "adaptive", t->paths[0].window,
	       (unsigned long long)sent, (unsigned long long)retrans,
	       (unsigned long long)fast);
	printf("%.2f MiB/s\n", mibs);
	free(buf);
	teardown(&ctx, &nd);
	return 0;
}

/* --- storage commands: the firmware's boot flow, shown --------------- */

/** Set up, choose the targets and scan them. */
static int open_flow(struct aoe_ctx *ctx, struct nics *nd,
		     struct bootflow *bf, const struct options *o,
		     const char *targets)
{
	int rc;

	if (setup(ctx, nd, o))
		return 1;
	rc = bootflow_targets(bf, ctx, targets, o->timeout_ms);
	if (rc < 0) {
		if (targets && *targets)
			return die("none of the targets %s answered on %s",
				   targets, o->iface);
		return die("no AoE targets answered on %s", o->iface);
	}
	rc = bootflow_scan(bf);
	if (rc < 0)
		return die("scanning the targets failed: %s", err_str(rc));
	return 0;
}

static void close_flow(struct aoe_ctx *ctx, struct nics *nd,
		       struct bootflow *bf)
{
	bootflow_free(bf);
	teardown(ctx, nd);
}

static struct bootflow_fs *pick_volume(struct bootflow *bf,
				       const struct options *o)
{
	struct bootflow_fs *bfs;

	if (o->volume) {
		bfs = bootflow_volume(bf, o->volume);
		if (!bfs)
			die("no mounted volume named %s (see aoectl volumes)",
			    o->volume);
		return bfs;
	}
	bfs = bootflow_boot_volume(bf);
	if (!bfs)
		die("no volume with a filesystem was found");
	return bfs;
}

static int cmd_volumes(const struct options *o, const char *targets)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct bootflow bf;
	unsigned int i, j;
	char line[512];

	if (open_flow(&ctx, &nd, &bf, o, targets))
		return 1;
	for (i = 0; i < bf.ntargets; i++) {
		char human[32];

		fmt_size(human, sizeof(human),
			 bf.targets[i]->nsectors * 512);
		printf("disk %s: %s, %s\n", bf.targets[i]->blk.name, human,
		       bf.vols.table_rc[i] < 0 ? "unreadable partition table" :
		       bf.vols.tables[i].scheme == PART_SCHEME_GPT ? "GPT" :
		       bf.vols.tables[i].scheme == PART_SCHEME_MBR ? "MBR" :
		       "no partition table");
	}
	for (i = 0; i < bf.vols.md.count; i++) {
		const struct md_array *a = bf.vols.md.arrays[i];

		if (a->state == MD_ARRAY_FAILED)
			printf("array %s: %s (metadata %s) FAILED: %s\n",
			       a->blk.name, md_level_str(a->level),
			       a->version, a->why);
	}
	for (i = 0; i < bf.vols.count; i++) {
		const struct volume *v = &bf.vols.vols[i];
		const struct bootflow_fs *bfs = NULL;

		volume_describe(v, line, sizeof(line));
		for (j = 0; j < bf.nfs; j++) {
			if (bf.fs[j].vol == v)
				bfs = &bf.fs[j];
		}
		if (bfs)
			printf("%s\n    filesystem %s label \"%s\" uuid %s%s\n",
			       line, bfs->fs->type_name, bfs->fs->label,
			       bfs->fs->uuid[0] ? bfs->fs->uuid : "-",
			       bfs->list.count ? ", has boot entries" : "");
		else
			printf("%s\n    no filesystem\n", line);
	}
	close_flow(&ctx, &nd, &bf);
	return 0;
}

/** Scan the targets and open PATH on the chosen volume (ls, cat). */
static int open_path(struct aoe_ctx *ctx, struct nics *nd,
		     struct bootflow *bf, const struct options *o,
		     const char *targets, const char *path,
		     struct bootflow_fs **bfs, struct fs_file **f)
{
	int rc;

	if (open_flow(ctx, nd, bf, o, targets) || !(*bfs = pick_volume(bf, o)))
		return 1;
	rc = fs_open((*bfs)->fs, path, f);
	if (rc)
		return die("%s: %s: %s", (*bfs)->vol->blk->name, path,
			   err_str(rc));
	return 0;
}

struct ls_state {
	unsigned int count;
};

static int ls_one(void *arg, const struct fs_dirent *ent)
{
	struct ls_state *st = arg;

	printf("%-7s %12llu  %s\n", fs_ftype_name(ent->type),
	       (unsigned long long)ent->size, ent->name);
	st->count++;
	return 0;
}

static int cmd_ls(const struct options *o, const char *targets,
		  const char *path)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct bootflow bf;
	struct bootflow_fs *bfs;
	struct fs_file *f;
	struct ls_state st = { 0 };
	int rc;

	if (!path)
		return die("ls needs a PATH");
	if (open_path(&ctx, &nd, &bf, o, targets, path, &bfs, &f))
		return 1;
	rc = 0;
	if (f->type == FS_FT_DIR)
		rc = fs_readdir(f, ls_one, &st);
	else
		printf("%-7s %12llu  %s\n", fs_ftype_name(f->type),
		       (unsigned long long)f->size, path);
	fs_close(f);
	if (rc < 0)
		return die("%s: listing %s failed: %s", bfs->vol->blk->name,
			   path, err_str(rc));
	close_flow(&ctx, &nd, &bf);
	return 0;
}

static int cmd_cat(const struct options *o, const char *targets,
		   const char *path)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct bootflow bf;
	struct bootflow_fs *bfs;
	struct fs_file *f;
	uint64_t off = 0;
	size_t chunk = 8 << 20;
	uint8_t *buf;
	int rc;

	if (!path)
		return die("cat needs a PATH");
	if (open_path(&ctx, &nd, &bf, o, targets, path, &bfs, &f))
		return 1;
	if (f->type != FS_FT_FILE)
		return die("%s: %s is a %s, not a file", bfs->vol->blk->name,
			   path, fs_ftype_name(f->type));
	buf = malloc(chunk);
	if (!buf)
		return die("out of memory");
	while (off < f->size) {
		size_t n = f->size - off < chunk ? (size_t)(f->size - off) :
						   chunk;

		rc = fs_read(f, off, buf, n);
		if (rc < 0 || (size_t)rc != n)
			return die("%s: reading %s failed at byte %llu: %s",
				   bfs->vol->blk->name, path,
				   (unsigned long long)off,
				   err_str(rc < 0 ? rc : -ERR_IO));
		if (write_all(STDOUT_FILENO, buf, n))
			return die("write to stdout failed: %s",
				   strerror(errno));
		off += n;
	}
	free(buf);
	fs_close(f);
	close_flow(&ctx, &nd, &bf);
	return 0;
}

static int cmd_entries(const struct options *o, const char *targets)
{
	struct aoe_ctx ctx;
	struct nics nd;
	struct bootflow bf;
	unsigned int i, j;

	if (open_flow(&ctx, &nd, &bf, o, targets))
		return 1;
	if (!bf.ncands) {
		close_flow(&ctx, &nd, &bf);
		return die("no boot entries found on %u target(s)",
			   bf.ntargets);
	}
	for (i = 0; i < bf.ncands; i++) {
		const struct boot_candidate *c = &bf.cands[i];
		const struct boot_entry *e = c->entry;

		printf("%c %s  \"%s\"  on %s (%s)\n",
		       (int)i == bf.default_index ? '*' : ' ', e->id, e->title,
		       c->bfs->vol->blk->name, bootcfg_source_name(e->source));
		printf("    linux   %s\n", e->kernel);
		for (j = 0; j < e->ninitrd; j++)
			printf("    initrd  %s\n", e->initrd[j]);
		printf("    options %s\n", e->options);
	}
	close_flow(&ctx, &nd, &bf);
	return 0;
}

static void sha256_buf(const void *data, size_t len, char hex[65])
{
	struct sha256 s;
	uint8_t digest[32];

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, digest);
	sha256_hex(digest, hex);
}

/* --- boot --dry-run: the boot manager on a host boot platform ---------- */

/** The host platform's context for one dry run. */
struct dry_run {
	const char *settings_file;	/**< --settings, or NULL */
	const char *title;		/**< the entry that is handed off */
	const char *id;
};

static int dry_menu(void *pctx, struct boot_menu_entry *entries,
		    unsigned int count, unsigned int def, int timeout)
{
	unsigned int i;

	(void)pctx;
	(void)timeout;
	for (i = 0; i < count; i++)
		printf("menu    %s %s [%s]\n", i == def ? "*" : " ",
		       entries[i].title, entries[i].id ? entries[i].id : "");
	printf("choice   %s\n", entries[def].title);
	return (int)def;
}

static void dry_booting(void *pctx, const char *id, const char *title)
{
	struct dry_run *d = pctx;

	d->id = id;
	d->title = title;
}

static int dry_boot_linux(void *pctx, const struct boot_image *img)
{
	const struct dry_run *d = pctx;
	const struct boot_entry *e = img->cand ? img->cand->entry : NULL;
	char hex[65];
	unsigned int i, n;
	uint64_t bytes;
	size_t off;

	printf("title    %s\n", e ? e->title : d->title);
	if (e)
		printf("entry    %s (%s) on %s\n", e->id,
		       bootcfg_source_name(e->source),
		       img->cand->bfs->vol->blk->name);
	else
		printf("entry    %s (raw)\n", d->id);
	/* The firmware does not hash what it loads; aoectl shows it. */
	sha256_buf(img->kernel, img->kernel_size, hex);
	printf("kernel   %s %zu bytes sha256 %s\n", e ? e->kernel : d->id,
	       img->kernel_size, hex);
	bytes = img->kernel_size;
	n = e ? e->ninitrd : (img->initrd_size ? 1 : 0);
	for (i = 0, off = 0; i < n; i++) {
		size_t sz = e ? img->initrd_sizes[i] : img->initrd_size;

		sha256_buf(img->initrd + off, sz, hex);
		off += (sz + 3) & ~(size_t)3;
		printf("initrd   %s %zu bytes sha256 %s\n",
		       e ? e->initrd[i] : "(targets)", sz, hex);
		bytes += sz;
	}
	printf("cmdline  %s\n", img->cmdline);
	if (e && e->origin[0])
		printf("origin   %s\n", e->origin);
	printf("loaded   %llu bytes in %.3f s: %.1f MiB/s\n",
	       (unsigned long long)bytes, (double)img->load_us / 1e6,
	       img->load_us ? (double)bytes / 1048576.0 /
			      ((double)img->load_us / 1e6) : 0.0);
	return 0;
}

static int dry_boot_san(void *pctx, struct aoe_target *target,
			const char *filename)
{
	(void)pctx;
	printf("title    %s\n", ((struct dry_run *)pctx)->title);
	printf("san      %s starting %s\n", target->blk.name,
	       filename ? filename : SAN_LOADER_UEFI);
	return 0;
}

static int dry_abft_publish(void *pctx, const void *table, size_t len)
{
	const uint8_t *t = table;

	(void)pctx;
	if (len >= 46)
		printf("abft     %zu bytes: e%u.%u via "
		       "%02x:%02x:%02x:%02x:%02x:%02x\n", len,
		       (unsigned int)(t[36] | t[37] << 8), t[38], t[40],
		       t[41], t[42], t[43], t[44], t[45]);
	return 0;
}

static int dry_read_settings(void *pctx, char **text, size_t *len,
			     const char **name)
{
	const struct dry_run *d = pctx;
	FILE *f;
	char *buf;
	long n;

	if (!d->settings_file)
		return -ERR_NOENT;
	*name = d->settings_file;
	f = fopen(d->settings_file, "rb");
	if (!f)
		return errno == ENOENT ? -ERR_NOENT : -ERR_IO;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    n > 1 << 20 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -ERR_TOOBIG;
	}
	buf = plat_alloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		plat_free(buf);
		fclose(f);
		return -ERR_IO;
	}
	fclose(f);
	*text = buf;
	*len = (size_t)n;
	return 0;
}

static int cmd_boot(const struct options *o, const char *targets)
{
	struct dry_run d = { .settings_file = o->settings };
	const struct boot_platform plat = {
		.name = "host",
		.san_loader = SAN_LOADER_UEFI,	/* as the UEFI firmware */
		.menu = dry_menu,
		.booting = dry_booting,
		.boot_linux = dry_boot_linux,
		.boot_san = dry_boot_san,
		.abft_publish = dry_abft_publish,
		.read_settings = dry_read_settings,
	};
	struct settings *set;
	struct netdev *nds[AOE_MAX_NETDEVS];
	struct nics nd;
	char word[SET_MAX_TARGETS * 16 + 16];
	unsigned int i;
	int rc;

	if (!o->dry_run)
		return die("on the host, boot only runs with --dry-run (the "
			   "firmware does the real boot)");
	set = calloc(1, sizeof(*set));
	if (!set)
		return die("out of memory");
	bootmgr_settings(&plat, &d, set, NULL, NULL);
	/* The command line's words last, as the firmware's LoadOptions. */
	if (targets && *targets) {
		snprintf(word, sizeof(word), "targets=%s", targets);
		if (settings_parse(set, word, "command line") < 0) {
			free(set);
			return die("bad target list '%s'", targets);
		}
	}
	if (o->entry)
		snprintf(set->entry, sizeof(set->entry), "%s", o->entry);
	if (o->append)
		snprintf(set->append, sizeof(set->append), "%s", o->append);
	if (o->config_prefix)
		snprintf(set->config_prefix, sizeof(set->config_prefix), "%s",
			 o->config_prefix);
	if (o->vlan)
		set->vlan = (uint16_t)o->vlan;
	set->discover_ms = o->timeout_ms;
	set->timeout = 0;
	if (nics_open(&nd, o)) {
		free(set);
		return 1;
	}
	for (i = 0; i < nd.n; i++)
		nds[i] = &nd.nd[i];
	rc = bootmgr_run(&plat, &d, set, nds, nd.n);
	nics_close(&nd);
	free(set);
	if (rc < 0)
		return die("nothing booted: %s", err_str(rc));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "iface", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "dead-time", required_argument, NULL, 'D' },
		{ "lba", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "window", required_argument, NULL, 'w' },
		{ "sectors", required_argument, NULL, 's' },
		{ "mib", required_argument, NULL, 'm' },
		{ "volume", required_argument, NULL, 'V' },
		{ "entry", required_argument, NULL, 'E' },
		{ "append", required_argument, NULL, 'A' },
		{ "config", required_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "settings", required_argument, NULL, 'S' },
		{ "vlan", required_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .timeout_ms = 1000, .dead_ms = 10000 };
	const char *cmd;
	uint64_t v;
	int c, verbose = 0;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:o:vqh", longopts, NULL)) != -1) {
		const char *arg = optarg;

		switch (c) {
		case 'i': o.iface = arg; break;
		case 'o': o.output = arg; break;
		case 'V': o.volume = arg; break;
		case 'E': o.entry = arg; break;
		case 'A': o.append = arg; break;
		case 'C': o.config_prefix = arg; break;
		case 'n': o.dry_run = true; break;
		case 'S': o.settings = arg; break;
		case 'v': verbose = 1; break;
		case 'q': verbose = -1; break;
		case 'h': usage(stdout); return 0;
		case 't': case 'D': case 'l': case 'c': case 'w': case 's':
		case 'm': case 'L':
			if (!parse_u64(arg, &v))
				return die("bad number '%s'", arg);
			if (c == 't') o.timeout_ms = (uint32_t)v;
			if (c == 'D') o.dead_ms = (uint32_t)v;
			if (c == 'l') { o.lba = v; o.have_lba = true; }
			if (c == 'c') { o.count = v; o.have_count = true; }
			if (c == 'w') {
				if (!v || v > AOE_MAX_WINDOW)
					return die("--window must be 1..%d",
						   AOE_MAX_WINDOW);
				o.window = (unsigned int)v;
			}
			if (c == 's') {
				if (!v || v > 255)
					return die("--sectors must be 1..255");
				o.sectors = (unsigned int)v;
			}
			if (c == 'm') o.mib = (unsigned int)v;
			if (c == 'L') {
				if (v < AOE_VID_MIN || v > AOE_VID_MAX)
					return die("--vlan must be a VLAN id, "
						   "%d..%d", AOE_VID_MIN,
						   AOE_VID_MAX);
				o.vlan = (unsigned int)v;
			}
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	host_set_verbosity(verbose);
	if (!strcmp(cmd, "discover"))
		return cmd_discover(&o);
	if (!strcmp(cmd, "identify"))
		return cmd_identify(&o, argv[optind]);
	if (!strcmp(cmd, "read"))
		return cmd_read(&o, argv[optind]);
	if (!strcmp(cmd, "write"))
		return cmd_write(&o, argv[optind],
				 optind < argc ? argv[optind + 1] : NULL);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(&o, argv[optind]);
	/* Storage commands: [TARGETS] then the PATH, if any. */
	{
		const char *targets = NULL, *path = NULL;

		if (optind < argc) {
			if (argv[optind][0] == '/') {
				path = argv[optind];
			} else {
				targets = argv[optind];
				if (optind + 1 < argc)
					path = argv[optind + 1];
			}
		}
		if (!strcmp(cmd, "volumes"))
			return cmd_volumes(&o, targets);
		if (!strcmp(cmd, "ls"))
			return cmd_ls(&o, targets, path);
		if (!strcmp(cmd, "cat"))
			return cmd_cat(&o, targets, path);
		if (!strcmp(cmd, "entries"))
			return cmd_entries(&o, targets);
		if (!strcmp(cmd, "boot"))
			return cmd_boot(&o, targets);
	}
	fprintf(stderr, "aoectl: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
