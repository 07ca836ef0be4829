; lkrn.asm - aoeboot.lkrn: a Linux bzImage whose "kernel" is aoeboot.bin,
; compressed.
;
; Any bzImage loader (qemu -kernel, iPXE, pxelinux, GRUB linux16) puts the
; real-mode part below 640 KiB at some X of its choice, the payload at
; code32_start (1 MiB), and the command line at cmd_line_ptr, then jumps to
; X+200h with CS = X/16+20h.  This setup stub
;   1. copies a small relocation stub to 0000:1800 (out of the way of
;      everything the payload will overwrite) and runs it there;
;   2. in flat protected mode copies the command line to 0000:0800;
;   3. back in real mode with DS/ES still flat (4 GiB limits), decodes the
;      payload (aoeboot.bin compressed by build/romlz) from code32_start
;      to 0000:7C00 with unlz.inc, its scratch right after the image
;      (inside aoeboot's own .bss), and jumps to 0000:7C00 with EAX =
;      'LKRN' and ESI = 0800h, which entry.asm takes as "started as .lkrn".
; Boot protocol 2.06 header; LOADED_HIGH; not relocatable.
;
; Build: nasm -f bin -Isrc/bios/ -DPAYLOAD='"build/bios/aoeboot.bin.lz"'
;        -DPAYLOAD_SIZE=<aoeboot.bin's size>

%ifndef PAYLOAD
%error "PAYLOAD must name aoeboot.bin.lz"
%endif

SETUP_SECTS	equ 4
RELOC_ADDR	equ 0x1800		; after the command line
CMDLINE_ADDR	equ 0x0800
CMDLINE_MAX	equ 4096
PAYLOAD_ADDR	equ 0x7C00
LKRN_MAGIC	equ 0x4E524B4C

; The relocation stub runs at RELOC_ADDR: R() turns its labels into that.
%define R(x) ((x) - reloc_entry + RELOC_ADDR)

bits 16

; --- the boot sector, with the header at 1F1h ----------------------------
	jmp	short no_boot_sector
no_boot_sector:
	int	0x18			; booted as a floppy/disk: not supported
	jmp	no_boot_sector
	times 0x1F1 - ($ - $$) db 0
hdr_setup_sects	db SETUP_SECTS		; 1F1
hdr_root_flags	dw 0			; 1F2
hdr_syssize	dd (payload_size + 15) / 16	; 1F4
hdr_ram_size	dw 0			; 1F8
hdr_vid_mode	dw 0xFFFF		; 1FA normal
hdr_root_dev	dw 0			; 1FC
hdr_boot_flag	dw 0xAA55		; 1FE
; --- 200h: the real-mode entry -------------------------------------------
hdr_jump	jmp short setup_start	; 200
hdr_magic	db "HdrS"		; 202
hdr_version	dw 0x0206		; 206
hdr_rm_switch	dd 0			; 208
hdr_start_sys	dw 0x1000		; 20C
hdr_kver	dw kernel_version - 0x200	; 20E
hdr_loader	db 0			; 210 type_of_loader
hdr_loadflags	db 0x01			; 211 LOADED_HIGH
hdr_move_size	dw 0			; 212
hdr_code32	dd 0x100000		; 214 code32_start
hdr_rd_image	dd 0			; 218
hdr_rd_size	dd 0			; 21C
hdr_kludge	dd 0			; 220
hdr_heap_end	dw 0			; 224
hdr_ext_ver	db 0			; 226
hdr_ext_type	db 0			; 227
hdr_cmdline	dd 0			; 228 cmd_line_ptr
hdr_initrd_max	dd 0x37FFFFFF		; 22C
hdr_align	dd 0x1000		; 230
hdr_relocatable	db 0			; 234
hdr_min_align	db 0			; 235
hdr_xloadflags	dw 0			; 236
hdr_cmdline_sz	dd CMDLINE_MAX - 1	; 238

kernel_version	db "aoeboot", 0

setup_start:
	cli
	cld
	mov	ax, cs
	sub	ax, 0x20		; the loader's X/16: DS addresses the header
	mov	ds, ax
	xor	ax, ax
	mov	es, ax
	; The relocation stub to 0:0600, then what it needs to know.
	mov	si, reloc_entry
	mov	di, RELOC_ADDR
	mov	cx, reloc_size
	rep	movsb
	mov	eax, [hdr_cmdline]
	mov	[es:R(reloc_cmdline)], eax
	mov	eax, [hdr_code32]
	mov	[es:R(reloc_payload)], eax
	jmp	0:RELOC_ADDR

reloc_entry:
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, PAYLOAD_ADDR
	lgdt	[R(reloc_gdt_desc)]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	jmp	dword 0x08:R(reloc_pm)
bits 32
reloc_pm:
	mov	ax, 0x10
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	; The command line first: the payload may land on top of it.
	mov	edi, CMDLINE_ADDR
	mov	esi, [R(reloc_cmdline)]
	mov	ecx, CMDLINE_MAX - 1
	test	esi, esi
	jz	.cmd_done
.cmd_copy:
	lodsb
	test	al, al
	jz	.cmd_done
	stosb
	loop	.cmd_copy
.cmd_done:
	mov	byte [edi], 0
	jmp	0x18:R(reloc_pm16)
bits 16
reloc_pm16:
	mov	ax, 0x20		; a 16-bit stack; DS/ES keep the flat
	mov	ss, ax			; 4 GiB limits for unlz
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	0:R(reloc_rm)
reloc_rm:
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, PAYLOAD_ADDR
	cld
	mov	esi, [R(reloc_payload)]
	mov	edi, PAYLOAD_ADDR
	mov	ebp, PAYLOAD_ADDR + PAYLOAD_SIZE
	mov	ebx, (PAYLOAD_ADDR + PAYLOAD_SIZE + 15) & ~15
	call	unlz
	mov	eax, LKRN_MAGIC
	mov	esi, CMDLINE_ADDR
	jmp	0:PAYLOAD_ADDR

%define UNLZ_NO_FLAT
%include "unlz.inc"

align 8
reloc_gdt:
	dq	0
	dq	0x00CF9A000000FFFF	; 08: flat 32-bit code
	dq	0x00CF92000000FFFF	; 10: flat 32-bit data
	dq	0x00009A000000FFFF	; 18: 16-bit code
	dq	0x000092000000FFFF	; 20: 16-bit data
reloc_gdt_desc:
	dw	reloc_gdt_desc - reloc_gdt - 1
	dd	R(reloc_gdt)
reloc_cmdline	dd 0
reloc_payload	dd 0
reloc_end:
reloc_size	equ reloc_end - reloc_entry

	times (SETUP_SECTS + 1) * 512 - ($ - $$) db 0
payload_start:
	incbin	PAYLOAD
payload_end:
payload_size	equ payload_end - payload_start
