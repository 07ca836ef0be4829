; romprefix.asm - aoeboot as a legacy PCI expansion ROM (code type 0).
;
; nasm -f bin, with
;   -DPAYLOAD="file"      aoeboot.pxe compressed by build/romlz (raw LZMA,
;                         decoded by unlz.inc: nasm -Isrc/bios/)
;   -DPAYLOAD_SIZE=n      its size uncompressed (the decoder's stop)
;   -DCMDLINE="file"      the board's settings as a command line (may be empty)
;   -DVENDOR=, -DDEVICE=, -DCLASS=  the PCIR's ids (0xFFFF: any card)
;
; Layout: the ROM header, PCIR, $PnP, strings, the command line and the
; code (all in the first STUB_BLOCKS 512-byte blocks), then the payload.
; The checksum byte is at offset 6 (iPXE's convention, which build/mkrom
; keeps when it copies this image into a ROM); mkrom sets it.
;
; Init (far-called by the BIOS during POST, AX = bus/dev/fn): find PMM
; ($PMM in F0000-FFFFF), allocate permanent memory above 1 MiB, copy the
; compressed payload there and shrink the image to the stub (byte 2 and the
; checksum rewritten: the BIOS keeps only that much of the shadow RAM).
; Without PMM the payload stays in the ROM.  Returns AX = 20h (an IPL
; device is attached, BBS), quickly: no hardware is touched.
;
; BEV (far-called by the BIOS when this boot device's turn comes, plain
; real mode): A20 on, DS/ES with 4 GiB limits, the payload inflated to
; 0000:7C00 (where aoeboot.pxe is linked; the decoder's UNLZ_SCRATCH bytes
; of scratch right after the image, inside aoeboot's own .bss, which it
; zeroes itself), then far-called with
; EAX = 'AROM' and ESI = the command line's linear address.  aoeboot.pxe
; then uses its native NIC drivers (no PXE stack).  When nothing boots it
; calls INT 18h itself (entry.asm, as under .lkrn): the BIOS boots its next
; device.  It cannot return here: SeaBIOS calls the BEV on its POST stack,
; which ends at 7C00h (BUILD_STACK_ADDR), and aoeboot.pxe's own real-mode
; stack grows down from 7C00h over those frames.

bits 16
cpu 386

%ifndef VENDOR
%define VENDOR 0xFFFF
%endif
%ifndef DEVICE
%define DEVICE 0xFFFF
%endif
%ifndef CLASS
%define CLASS 0x020000
%endif

ROM_MAGIC	equ 0x4D4F5241	; 'AROM' in EAX: started by this ROM
LOAD_ADDR	equ 0x7C00	; aoeboot.pxe's link address
PMM_FLAGS	equ 0x000A	; extended memory (2) | permanent (8)

section .text
org 0

rom_start:
	dw	0xAA55
rom_blocks:
	db	(rom_end - rom_start) / 512
	jmp	init			; offset 3
	db	0			; offset 6: checksum (mkrom)
	times 0x18 - ($ - $$) db 0
	dw	pcir			; 0x18
	dw	pnp			; 0x1A

align 4
pcir:
	db	'PCIR'
	dw	VENDOR
	dw	DEVICE
	dw	0			; no device list
	dw	pcir_end - pcir
	db	0			; PCI 2.2 data structure
	db	CLASS & 0xFF, (CLASS >> 8) & 0xFF, (CLASS >> 16) & 0xFF
	dw	(rom_end - rom_start) / 512
	dw	0			; code revision
	db	0			; code type: x86
	db	0x80			; last image (mkrom clears it in a chain)
	dw	0
pcir_end:

align 16
pnp:
	db	'$PnP'
	db	1			; revision
	db	(pnp_end - pnp) / 16
	dw	0			; next
	db	0
pnp_sum:
	db	-(PNP_SUM & 0xFF)	; checksum of the 32 bytes
	dd	0			; device id
	dw	str_maker
	dw	str_product
	db	2, 0, 0			; network controller
	db	0x54			; device indicators (as iPXE's)
	dw	0			; BCV
	dw	0			; disconnect
	dw	bev			; BEV
	dw	0
	dw	0			; static resource information
pnp_end:

; The byte sum of the header fields that are not zero.
%define WSUM(x) (((x) & 0xFF) + (((x) >> 8) & 0xFF))
PNP_SUM equ '$' + 'P' + 'n' + 'P' + 1 + ((pnp_end - pnp) / 16) + \
	WSUM(str_maker - rom_start) + WSUM(str_product - rom_start) + 2 + \
	0x54 + WSUM(bev - rom_start)

str_maker:	db 'aoeboot', 0
str_product:	db 'aoeboot (AoE)', 0
cmdline:
%ifdef CMDLINE
	incbin	CMDLINE
%endif
	db	0

align 4
pmm_addr:	dd 0			; the payload's copy in PMM memory (0: none)

; --- init -------------------------------------------------------------------
init:
	pushf
	pushad
	push	ds
	push	es
	cld
	; $PMM: 16-byte aligned in F0000-FFFFF, length @5 in bytes (SeaBIOS
	; and iPXE read it so), byte sum 0; entry point (far) @7.
	mov	ax, 0xF000
	mov	es, ax
	xor	bx, bx
.scan:
	cmp	dword [es:bx], '$PMM'
	jne	.next
	movzx	cx, byte [es:bx + 5]
	cmp	cx, 11			; up to the entry point at least
	jb	.next
	xor	si, si
	xor	al, al
.sum:
	add	al, [es:bx + si]
	inc	si
	loop	.sum
	test	al, al
	jz	.found
.next:
	add	bx, 16
	jnz	.scan
	jmp	.done			; no PMM: the payload stays in the ROM
.found:
	push	word PMM_FLAGS
	push	dword 0xFFFFFFFF	; anonymous handle
	push	dword (PAYLOAD_LZ_SIZE + 15) / 16
	push	word 0			; function 0: allocate
	call	far [es:bx + 7]
	add	sp, 12
	shl	edx, 16
	mov	dx, ax
	test	edx, edx
	jz	.done
	mov	edi, edx
	call	a20_on
	call	flat_ds_es		; DS = ES = 0, 4 GiB limits
	xor	esi, esi
	mov	si, cs
	shl	esi, 4
	add	esi, payload
	mov	ecx, PAYLOAD_LZ_SIZE
	a32 rep movsb
	; Keep only the stub: its size in byte 2, its checksum fixed.
	push	cs
	pop	ds
	mov	[pmm_addr], edx
	mov	byte [rom_blocks], STUB_BLOCKS
	mov	byte [6], 0
	xor	si, si
	xor	al, al
	mov	cx, STUB_BLOCKS * 512
.csum:
	sub	al, [si]
	inc	si
	loop	.csum
	mov	[6], al
.done:
	pop	es
	pop	ds
	popad
	popf
	mov	ax, 0x20		; BBS: IPL device attached
	retf

; --- BEV --------------------------------------------------------------------
bev:
	pushf
	pushad
	push	ds
	push	es
	push	fs
	push	gs
	cld
	call	a20_on
	call	flat_ds_es
	mov	esi, [cs:pmm_addr]
	test	esi, esi
	jnz	.have
	mov	si, cs
	shl	esi, 4
	add	esi, payload
.have:
	mov	edi, LOAD_ADDR
	mov	ebp, LOAD_ADDR + PAYLOAD_SIZE
	mov	ebx, (LOAD_ADDR + PAYLOAD_SIZE + 15) & ~15	; scratch: after it
	call	unlz
	xor	esi, esi
	mov	si, cs
	shl	esi, 4
	add	esi, cmdline
	mov	eax, ROM_MAGIC
	call	0:LOAD_ADDR		; does not come back (INT 18h instead)
	int	0x18

; A20 through the BIOS, then port 92h (aoeboot.pxe checks it properly).
a20_on:
	push	ax
	mov	ax, 0x2401
	int	0x15
	in	al, 0x92
	test	al, 2
	jnz	.on
	or	al, 2
	and	al, 0xFE
	out	0x92, al
.on:
	pop	ax
	ret

%include "unlz.inc"

	align	512, db 0
stub_end:
STUB_BLOCKS equ (stub_end - rom_start) / 512

payload:
	incbin	PAYLOAD
payload_end:
PAYLOAD_LZ_SIZE equ payload_end - payload
	align	512, db 0
rom_end:
