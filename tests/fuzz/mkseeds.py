#!/usr/bin/env python3
"""mkseeds.py - seed corpora for fuzz_part and fuzz_md from the real test
images (tests/images/*.sh output in build/images), in the sparse-disk format
of tests/fuzz/sparsedisk.h: only non-zero sectors are kept, so each seed is
a few KB.  Run after the images exist; the seeds are committed."""
import os, struct, sys

img = sys.argv[1] if len(sys.argv) > 1 else "build/images"
out = sys.argv[2] if len(sys.argv) > 2 else "tests/fuzz/corpus"


def frags(path, disk, skip_data=True):
    data = open(path, "rb").read()
    n = len(data) // 512
    res = []
    run = None
    kept_data = False
    for s in range(n):
        sec = data[s * 512:(s + 1) * 512]
        # Array payload sectors are random: keep only metadata-looking ones
        # (mostly zero) plus the first payload sector of the disk.
        nz = sum(1 for b in sec if b)
        if nz > 400 and skip_data:
            if kept_data:
                run = None
                continue
            kept_data = True
        if nz == 0:
            run = None
            continue
        if run is not None and run[1] + len(run[2]) == s * 512:
            run[2].extend(sec)
        else:
            run = [disk, s * 512, bytearray(sec)]
            res.append(run)
    outl = []
    for d, off, b in res:
        b = bytes(b).rstrip(b"\0")
        for i in range(0, len(b), 65535):
            outl.append((d, (off + i) // 512, b[i:i + 65535]))
    return n, outl


def seed(name, paths):
    sizes, fr = [], []
    for i, p in enumerate(paths):
        n, f = frags(os.path.join(img, p), i)
        sizes.append(n)
        fr.extend(f)
    blob = bytes([0x80 | (len(paths) - 1)]) + b"".join(struct.pack("<I", n) for n in sizes)
    for d, sec, b in fr[:64]:
        blob += struct.pack("<BIH", d, sec, len(b)) + b
    return name, blob


seeds = {
    "fuzz_part": [seed("gpt", ["gpt.img"]), seed("mbr", ["mbr.img"]),
                  seed("mbr-md", ["md/pt.0.img"])],
    "fuzz_md": [seed("pt", ["md/pt.0.img", "md/pt.1.img"]),
                seed("r1_090", ["md/r1_090.0.img", "md/r1_090.1.img"]),
                seed("r1_10", ["md/r1_10.0.img", "md/r1_10.1.img"]),
                seed("r1_11", ["md/r1_11.0.img", "md/r1_11.2.img"]),
                seed("r0", ["md/r0.0.img", "md/r0.1.img", "md/r0.2.img"]),
                seed("r10n2", ["md/r10n2.%d.img" % i for i in range(4)]),
                seed("r10o2", ["md/r10o2.%d.img" % i for i in range(4)]),
                seed("r1s", ["md/r1s.%d.img" % i for i in range(3)]),
                seed("r0za", ["md/r0za.%d.img" % i for i in range(3)]),
                seed("r5ls", ["md/r5ls.%d.img" % i for i in range(3)]),
                seed("r6", ["md/r6.%d.img" % i for i in range(4)]),
                seed("r6x2", ["md/r6.%d.img" % i for i in (0, 2, 4)])],
}
for fz, lst in seeds.items():
    os.makedirs(os.path.join(out, fz), exist_ok=True)
    for name, blob in lst:
        open(os.path.join(out, fz, name), "wb").write(blob)
        print(fz, name, len(blob))
