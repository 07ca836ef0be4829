; entry.asm - real-mode entry of aoeboot.pxe, the mode switches, and the
; one trampoline every BIOS and PXE call goes through.
;
; The whole program is linked at 0000:7C00 (where a PXE ROM loads a network
; boot program, and where the .lkrn setup stub copies it), so linear
; addresses equal offsets in segment 0 for the 16-bit code here, and the
; 32-bit C runs on flat selectors with base 0: no relocation anywhere.
;
; Entry states:
;   PXE NBP:  far-called at 0:7C00, ES:BX -> PXENV+, [SS:SP+4] -> !PXE;
;             returning (retf) tells the PXE ROM to try its next device;
;             once the C side has unloaded the PXE stack (exit_int18 = 1:
;             our own driver took the NIC) there is no ROM to return to,
;             and "nothing booted" is INT 18h, as under .lkrn.
;   .lkrn:    jumped to at 0:7C00 by the setup stub with EAX = 'LKRN' and
;             ESI = the command line's linear address; nothing to return
;             to, so "nothing booted" is INT 18h (the BIOS's next device).
;   ROM:      far-called at 0:7C00 by romprefix.asm's BEV with EAX = 'AROM'
;             and ESI = the board's command line; the caller's stack ends
;             at 7C00h (SeaBIOS's POST stack) and ours overwrites it, so
;             "nothing booted" is INT 18h, as under .lkrn.
;
; C side: see bios.h (struct rm_regs, rm_call, bios_exit_to_linux).

bits 16

SEL_CODE32	equ 0x08
SEL_DATA32	equ 0x10
SEL_CODE16	equ 0x18
SEL_DATA16	equ 0x20

RM_STACK_TOP	equ 0x7C00	; real-mode stack grows down below us
LKRN_MAGIC	equ 0x4E524B4C	; 'LKRN'
ROM_MAGIC	equ 0x4D4F5241	; 'AROM'

; struct rm_regs offsets (bios.h keeps the same layout, static-asserted)
RR_EAX		equ 0
RR_EBX		equ 4
RR_ECX		equ 8
RR_EDX		equ 12
RR_ESI		equ 16
RR_EDI		equ 20
RR_EBP		equ 24
RR_DS		equ 28
RR_ES		equ 30
RR_FLAGS	equ 32
RR_KIND		equ 34
RR_INTNO	equ 35
RR_TARGET	equ 36
RR_NSTACK	equ 40
RR_STACK	equ 42
RR_SIZE		equ 48

extern bios_main
extern __bss_start
extern __bss_end
extern __pm_stack_top

section .text16 progbits alloc exec write align=16

global _start
_start:
	jmp	0:start16		; whatever CS:IP we got, make it 0:7C00
start16:
	cli
	mov	[cs:entry_eax], eax
	mov	[cs:entry_esi], esi
	mov	[cs:entry_es], es
	mov	[cs:entry_bx], bx
	mov	bp, sp
	les	bx, [ss:bp+4]		; !PXE far pointer (garbage under .lkrn)
	mov	[cs:entry_pxe_off], bx
	mov	[cs:entry_pxe_seg], es
	; Everything the caller may want back, on the caller's stack.
	pushad
	push	ds
	push	es
	push	fs
	push	gs
	mov	[cs:caller_ss], ss
	mov	[cs:caller_sp], sp
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, RM_STACK_TOP
	cld
	call	a20_enable
	mov	[a20_result], al
	lgdt	[gdt_desc]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	jmp	dword SEL_CODE32:pm_entry

; A20: BIOS first, then port 92h, then the keyboard controller; AL = 1 when
; the wrap test says it is on.
a20_enable:
	call	a20_test
	jnz	.on
	mov	ax, 0x2401
	int	0x15
	call	a20_test
	jnz	.on
	in	al, 0x92
	test	al, 2
	jnz	.kbc
	or	al, 2
	and	al, 0xFE		; never the reset bit
	out	0x92, al
	call	a20_test
	jnz	.on
.kbc:
	call	kbc_wait
	mov	al, 0xD1		; write output port
	out	0x64, al
	call	kbc_wait
	mov	al, 0xDF		; A20 on
	out	0x60, al
	call	kbc_wait
	call	a20_test
	jnz	.on
	xor	al, al
	ret
.on:
	mov	al, 1
	ret

; Bounded wait for the keyboard controller's input buffer to drain.
kbc_wait:
	mov	cx, 0xFFFF
.loop:
	in	al, 0x64
	test	al, 2
	loopnz	.loop
	ret

; ZF clear when A20 is on: 0:0500 and FFFF:0510 differ after a write.
a20_test:
	push	ds
	push	es
	xor	ax, ax
	mov	ds, ax
	not	ax
	mov	es, ax
	mov	al, [0x0500]
	push	ax
	mov	ah, [es:0x0510]
	mov	byte [0x0500], 0x00
	mov	byte [es:0x0510], 0xFF
	cmp	byte [0x0500], 0xFF
	mov	[es:0x0510], ah
	pop	ax
	mov	[0x0500], al
	pop	es
	pop	ds
	ret

bits 32
pm_entry:
	mov	ax, SEL_DATA32
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	esp, __pm_stack_top	; a stack of our own, in .bss
	cld
	mov	edi, __bss_start
	mov	ecx, __bss_end
	sub	ecx, edi
	xor	eax, eax
	rep	stosb
	call	bios_main
	mov	[exit_code], ax
	; back to the caller in real mode
	jmp	SEL_CODE16:.pm16
bits 16
.pm16:
	mov	ax, SEL_DATA16
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	0:.rm
.rm:
	xor	ax, ax
	mov	ds, ax
	cmp	dword [entry_eax], LKRN_MAGIC
	je	.lkrn
	cmp	dword [entry_eax], ROM_MAGIC
	je	.lkrn
	cmp	byte [exit_int18], 0
	jne	.lkrn
	mov	ss, [caller_ss]
	mov	sp, [caller_sp]
	pop	gs
	pop	fs
	pop	es
	pop	ds
	popad
	mov	ax, [cs:exit_code]
	sti
	retf
.lkrn:
	mov	ss, ax
	mov	sp, RM_STACK_TOP
	sti
	int	0x18			; BIOS: next boot device
.halt:
	hlt
	jmp	.halt

; int rm_call(struct rm_regs *regs): INT n or far call in real mode with
; these registers; the registers and flags afterwards are written back.
bits 32
global rm_call
rm_call:
	pushad
	mov	esi, [esp + 36]
	mov	[pm_esp], esp
	mov	edi, rm_block
	mov	ecx, RR_SIZE
	rep	movsb
	jmp	SEL_CODE16:.pm16
bits 16
.pm16:
	mov	ax, SEL_DATA16
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	0:.rm
.rm:
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	sp, RM_STACK_TOP
	; Words for the callee's stack (the !PXE API takes its arguments there).
	mov	cx, [rm_block + RR_NSTACK]
	cmp	cx, 3
	jbe	.nstack_ok
	mov	cx, 3
.nstack_ok:
	mov	si, rm_block + RR_STACK
.push:
	jcxz	.pushed
	push	word [si]
	add	si, 2
	dec	cx
	jmp	.push
.pushed:
	mov	eax, [rm_block + RR_TARGET]
	cmp	byte [rm_block + RR_KIND], 0
	jne	.have_target
	movzx	bx, byte [rm_block + RR_INTNO]
	shl	bx, 2
	mov	eax, [bx]		; the interrupt vector
.have_target:
	mov	[rm_target], eax
	mov	eax, [rm_block + RR_EAX]
	mov	ebx, [rm_block + RR_EBX]
	mov	ecx, [rm_block + RR_ECX]
	mov	edx, [rm_block + RR_EDX]
	mov	esi, [rm_block + RR_ESI]
	mov	edi, [rm_block + RR_EDI]
	mov	ebp, [rm_block + RR_EBP]
	push	word [rm_block + RR_DS]
	mov	es, [rm_block + RR_ES]
	cmp	byte [rm_block + RR_KIND], 0
	pop	ds
	jne	.farcall
	sti
	pushf				; an INT: flags, then the far return
	cli
	call	far [cs:rm_target]
	jmp	.done
.farcall:
	sti
	call	far [cs:rm_target]
.done:
	cli
	mov	[cs:rm_block + RR_EAX], eax
	mov	[cs:rm_block + RR_EBX], ebx
	mov	[cs:rm_block + RR_ECX], ecx
	mov	[cs:rm_block + RR_EDX], edx
	mov	[cs:rm_block + RR_ESI], esi
	mov	[cs:rm_block + RR_EDI], edi
	mov	[cs:rm_block + RR_EBP], ebp
	mov	[cs:rm_block + RR_DS], ds
	mov	[cs:rm_block + RR_ES], es
	pushf
	pop	word [cs:rm_block + RR_FLAGS]
	xor	ax, ax
	mov	ds, ax
	lgdt	[gdt_desc]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	jmp	dword SEL_CODE32:.back
bits 32
.back:
	mov	ax, SEL_DATA32
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	esp, [pm_esp]
	cld
	mov	edi, [esp + 36]
	mov	esi, rm_block
	mov	ecx, RR_SIZE
	rep	movsb
	popad
	ret

; void bios_start_linux(uint16_t seg, uint16_t sp): the 16-bit entry of a
; Linux setup loaded at seg:0 (boot protocol): DS=ES=FS=GS=SS=seg,
; SP=sp, far jump to seg+20h:0.  Does not return.
global bios_start_linux
bios_start_linux:
	mov	eax, [esp + 4]
	mov	[linux_seg], ax
	mov	eax, [esp + 8]
	mov	[linux_sp], ax
	jmp	SEL_CODE16:.pm16
bits 16
.pm16:
	mov	ax, SEL_DATA16
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	0:.rm
.rm:
	xor	ax, ax
	mov	ds, ax
	mov	bx, [linux_seg]
	mov	dx, [linux_sp]
	lea	ax, [bx + 0x20]
	mov	[linux_jump + 2], ax
	mov	word [linux_jump], 0
	mov	ds, bx
	mov	es, bx
	mov	fs, bx
	mov	gs, bx
	mov	ss, bx
	mov	sp, dx
	jmp	far [cs:linux_jump]

align 8
gdt:
	dq	0
	dq	0x00CF9A000000FFFF	; 08: flat 32-bit code
	dq	0x00CF92000000FFFF	; 10: flat 32-bit data
	dq	0x00009A000000FFFF	; 18: 16-bit code, base 0, 64 KiB
	dq	0x000092000000FFFF	; 20: 16-bit data, base 0, 64 KiB
gdt_end:
gdt_desc:
	dw	gdt_end - gdt - 1
	dd	gdt

align 4
global entry_eax, entry_esi, entry_es, entry_bx, entry_pxe_off
global entry_pxe_seg, a20_result, exit_int18
entry_eax	dd 0
entry_esi	dd 0
entry_es	dw 0
entry_bx	dw 0
entry_pxe_off	dw 0
entry_pxe_seg	dw 0
caller_ss	dw 0
caller_sp	dw 0
exit_code	dw 0
a20_result	db 0
exit_int18	db 0
align 4
pm_esp		dd 0
rm_target	dd 0
linux_jump	dd 0
linux_seg	dw 0
linux_sp	dw 0
align 4
rm_block	times RR_SIZE db 0
