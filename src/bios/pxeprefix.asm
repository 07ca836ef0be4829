; pxeprefix.asm - aoeboot.pxe: a self-extracting PXE network boot program.
;
; nasm -f bin -Isrc/bios/, with
;   -DPAYLOAD="file"      aoeboot.bin (the image linked at 0:7C00)
;                         compressed by build/romlz
;   -DPAYLOAD_SIZE=n      aoeboot.bin's size (the decoder's stop)
;   -DIMAGE_END=addr      where the image ends in memory, .bss included
;                         (nm aoeboot.elf: __end)
;
; The PXE ROM loads this file at 0:7C00 and far-calls it (ES:BX = PXENV+,
; [SS:SP+4] = !PXE, the return address on its stack).  The prefix keeps
; every register and the caller's stack as they were, copies itself with
; the compressed bytes to RELOC (the first paragraph after IMAGE_END, so
; nothing of the decoded image or its .bss lands on it), runs there,
; decodes aoeboot.bin to 0:7C00 (unlz.inc; its scratch after the copy),
; restores the registers and jumps to 0:7C00, where entry.asm finds the
; state the PXE ROM gave.  When base memory (40:13h) ends below what that
; needs, or the caller's stack lies in it, it says so on the screen and
; returns to the PXE ROM, which tries its next boot device.

bits 16
cpu 386

%ifndef PAYLOAD
%error "PAYLOAD must name aoeboot.bin's compressed form"
%endif

LOAD_ADDR	equ 0x7C00
RELOC		equ (IMAGE_END + 15) & ~15
RELOC_SEG	equ RELOC >> 4
RELOC_END	equ RELOC + (scratch - start) + UNLZ_SCRATCH
NEED_KB		equ (RELOC_END + 1023) / 1024

section .text
org 0

start:
	pushfd
	pushad
	push	ds
	push	es
	cld
	call	.here
.here:
	pop	si
	sub	si, .here		; SI = our offset in CS (7C00h or 0)
	xor	ax, ax
	mov	ds, ax
	cmp	word [0x413], NEED_KB
	jb	fail
	mov	ax, ss			; the caller's stack in the way?
	movzx	eax, ax
	shl	eax, 4
	movzx	edx, sp
	add	eax, edx
	cmp	eax, LOAD_ADDR
	jb	.stack_ok
	cmp	eax, RELOC_END
	jb	fail
.stack_ok:
	; the whole file to RELOC:0 (DS:SI normalized: the file is < 64 KiB)
	mov	ax, si
	shr	ax, 4
	mov	dx, cs
	add	ax, dx
	mov	ds, ax
	and	si, 15
	mov	ax, RELOC_SEG
	mov	es, ax
	xor	di, di
	mov	cx, file_end
	rep	movsb
	push	es
	push	word moved
	retf

moved:
	call	flat_ds_es
	mov	esi, RELOC + payload
	mov	edi, LOAD_ADDR
	mov	ebp, LOAD_ADDR + PAYLOAD_SIZE
	mov	ebx, RELOC + scratch
	call	unlz
	pop	es
	pop	ds
	popad
	popfd
	jmp	0:LOAD_ADDR

fail:
	push	cs
	pop	ds
	add	si, msg
.putc:
	lodsb
	test	al, al
	jz	.back
	mov	ah, 0x0E
	mov	bx, 7
	int	0x10
	jmp	.putc
.back:
	pop	es
	pop	ds
	popad
	popfd
	retf

msg:	db	"aoeboot: too little free base memory to unpack", 13, 10, 0

%include "unlz.inc"

payload:
	incbin	PAYLOAD
file_end:
	align	16, db 0
scratch:

; build-time checks (a negative TIMES fails): the file below 64 KiB (one
; rep movsb), the unpacking area below 636 KiB
	times	-((file_end - start) > 0xFFF0) db 0
	times	-(RELOC_END > 0x9F000) db 0
