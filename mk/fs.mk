# mk/fs.mk - filesystem and boot-entry test images, made at test time by
# the real tools (mke2fs/debugfs/e2fsck, mkfs.vfat/mtools) under
# build/images/fs.  Rebuilt when the scripts change.

FS_IMAGE_SCRIPTS := $(sort $(wildcard tests/images/mkfs-*.sh))
FS_IMAGE_STAMPS := $(FS_IMAGE_SCRIPTS:tests/images/%.sh=$(BUILD)/images/fs/.%.stamp)

$(BUILD)/images/fs/.%.stamp: tests/images/%.sh
	@mkdir -p $(dir $@)
	@echo "  IMAGES  $<"
	$(Q)$< $(BUILD)/images
	$(Q)touch $@

fs-images: $(FS_IMAGE_STAMPS)

check-extra:: fs-images

.PHONY: fs-images
