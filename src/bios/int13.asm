; int13.asm - the resident part of a BIOS SAN boot: INT 13h and INT 15h
; E820 hooks in hidden base memory, and the way into the 32-bit AoE engine.
;
; The program is linked at 0000:7C00, exactly where the disk's MBR and the
; loaders after it (syslinux) live, so the engine cannot simply stay where
; it is.  Instead int13.c keeps a copy of the whole image area [SWAP_LO,
; __end) above 1 MiB (in memory hidden from E820) and this stub swaps it in
; for each call on our drive: the loader's bytes of that area go to a save
; area, the image comes back, the 32-bit handler runs on its own stack (and
; may call the BIOS/PXE through rm_call as usual), then the image (with its
; updated .data/.bss) goes back to the copy and the loader's bytes return.
; The handler reaches the caller's buffers through the save area when they
; lie inside the swapped range (int13.c).
;
; The stub blob (stub_start..stub_end) is copied to the top of base memory
; below 40:13 (which int13.c lowers) and runs at segment S with offsets
; relative to stub_start; its GDT has the program's 08h-20h selectors plus
; 28h/30h, 16-bit code/data based at S*16.
;
; C side: int13.c (the header offsets ST_* below are int13.c's INT13_ST_*).

bits 16

SEL_CODE32	equ 0x08
SEL_DATA32	equ 0x10
SEL_SCODE16	equ 0x28
SEL_SDATA16	equ 0x30

; Stub header, filled in by int13.c.
ST_OLD13	equ 0x00	; dd old INT 13h vector
ST_OLD15	equ 0x04	; dd old INT 15h vector
ST_DRIVE	equ 0x08	; db our drive number
ST_HIDE_LO	equ 0x0C	; dd hidden RAM [lo, hi) for E820
ST_HIDE_HI	equ 0x10
ST_GDTDESC	equ 0x14	; dw limit, dd base
ST_SAVE		equ 0x1C	; dd linear: the loader's bytes of the swap area
ST_COPY		equ 0x20	; dd linear: the image copy
ST_SWAPLO	equ 0x24	; dd linear start of the swap area
ST_SWAPDW	equ 0x28	; dd its length in dwords
ST_MBR		equ 0x2C	; dd linear: the MBR to start (boot only)
ST_RMJMP	equ 0x30	; dw offset, dw segment: back to real mode
ST_BHIDE_LO	equ 0x98	; dd base memory hidden [lo, hi): the stub's pages
ST_BHIDE_HI	equ 0x9C
ST_CSS		equ 0x34	; dw caller SS
ST_CSP		equ 0x36	; dw caller SP
ST_REGS		equ 0x38	; struct int13_regs (40 bytes)
ST_GDT		equ 0x60	; 7 descriptors
ST_ABFT		equ 0xA0	; the aBFT copy (16-aligned, 48 bytes)
ST_STACK	equ 0x200	; stack top (grows down to the aBFT)
ST_CODE		equ 0x200

; struct int13_regs
R_EAX		equ ST_REGS + 0
R_EBX		equ ST_REGS + 4
R_ECX		equ ST_REGS + 8
R_EDX		equ ST_REGS + 12
R_ESI		equ ST_REGS + 16
R_EDI		equ ST_REGS + 20
R_EBP		equ ST_REGS + 24
R_DS		equ ST_REGS + 28
R_ES		equ ST_REGS + 30
R_FS		equ ST_REGS + 32
R_GS		equ ST_REGS + 34
R_FLAGS		equ ST_REGS + 36	; CF on return

E820_CONT	equ 0x0A0EB13E	; our continuation value for the extra entry
SMAP		equ 0x534D4150

extern __pm_stack_top
extern int13_handle
extern int13_stub_gdt, int13_stub_ret, int13_stub_bootptr

section .rodata

align 16
global int13_stub_start, int13_stub_end, int13_stub_entry13
global int13_stub_entry15, int13_stub_boot, int13_stub_back
int13_stub_start:
stub_start:
	times ST_CODE db 0

; ---- INT 13h ----------------------------------------------------------------
int13_stub_entry13:
	cmp	dl, [cs:ST_DRIVE]
	jne	.chain
	cmp	ah, 0x00
	je	.ours
	cmp	ah, 0x01
	je	.ours
	cmp	ah, 0x02
	je	.ours
	cmp	ah, 0x03
	je	.ours
	cmp	ah, 0x08
	je	.ours
	cmp	ah, 0x15
	je	.ours
	cmp	ah, 0x41
	je	.ours
	cmp	ah, 0x42
	je	.ours
	cmp	ah, 0x43
	je	.ours
	cmp	ah, 0x48
	je	.ours
.chain:
	jmp	far [cs:ST_OLD13]
.ours:
	cli
	mov	[cs:R_EAX], eax
	mov	[cs:R_EBX], ebx
	mov	[cs:R_ECX], ecx
	mov	[cs:R_EDX], edx
	mov	[cs:R_ESI], esi
	mov	[cs:R_EDI], edi
	mov	[cs:R_EBP], ebp
	mov	[cs:R_DS], ds
	mov	[cs:R_ES], es
	mov	[cs:R_FS], fs
	mov	[cs:R_GS], gs
	mov	[cs:ST_CSS], ss
	mov	[cs:ST_CSP], sp
	mov	ax, cs
	mov	ss, ax
	mov	esp, ST_STACK
	o32 lgdt [cs:ST_GDTDESC]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	jmp	SEL_SCODE16:(.pm16 - stub_start)
.pm16:
	mov	ax, SEL_DATA32
	mov	ds, ax
	mov	es, ax
	cld
	; the loader's bytes out, the image in
	mov	esi, [cs:ST_SWAPLO]
	mov	edi, [cs:ST_SAVE]
	mov	ecx, [cs:ST_SWAPDW]
	a32 rep movsd
	mov	esi, [cs:ST_COPY]
	mov	edi, [cs:ST_SWAPLO]
	mov	ecx, [cs:ST_SWAPDW]
	a32 rep movsd
	jmp	dword SEL_CODE32:int13_pm_entry

; Back from the 32-bit handler (SEL_SCODE16, stub GDT loaded).
int13_stub_back:
	mov	ax, SEL_SDATA16
	mov	ss, ax
	mov	esp, ST_STACK
	mov	ax, SEL_DATA32
	mov	ds, ax
	mov	es, ax
	cld
	; the image (with its new .data/.bss) out, the loader's bytes in
	mov	esi, [cs:ST_SWAPLO]
	mov	edi, [cs:ST_COPY]
	mov	ecx, [cs:ST_SWAPDW]
	a32 rep movsd
	mov	esi, [cs:ST_SAVE]
	mov	edi, [cs:ST_SWAPLO]
	mov	ecx, [cs:ST_SWAPDW]
	a32 rep movsd
	call	to_real_mode
	mov	ss, [cs:ST_CSS]
	mov	sp, [cs:ST_CSP]
	mov	eax, [cs:R_EAX]
	mov	ebx, [cs:R_EBX]
	mov	ecx, [cs:R_ECX]
	mov	edx, [cs:R_EDX]
	mov	esi, [cs:R_ESI]
	mov	edi, [cs:R_EDI]
	mov	ebp, [cs:R_EBP]
	mov	ds, [cs:R_DS]
	mov	es, [cs:R_ES]
	mov	fs, [cs:R_FS]
	mov	gs, [cs:R_GS]
	push	bp
	mov	bp, sp
	and	word [bp + 6], 0xFFFE	; the caller's FLAGS: CF from the handler
	test	byte [cs:R_FLAGS], 1
	jz	.cf_done
	or	word [bp + 6], 1
.cf_done:
	pop	bp
	iret

; From 16-bit protected mode (SEL_SCODE16, SS:ESP on the stub's stack) to
; real mode at segment S; DS=ES=FS=GS=SS=S afterwards, still on that stack.
to_real_mode:
	mov	ax, SEL_SDATA16
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	pop	word [ret_off - stub_start]
	mov	ss, ax
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	far [cs:ST_RMJMP]
global int13_stub_rm
int13_stub_rm:
	mov	ax, cs
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	esp, ST_STACK
	jmp	word [cs:ret_off - stub_start]

ret_off	dw 0

; ---- INT 15h E820: hide [HIDE_LO, HIDE_HI) ---------------------------------
int13_stub_entry15:
	cmp	eax, 0xE820
	jne	.chain
	cmp	ebx, E820_CONT
	je	.extra
	pushf
	call	far [cs:ST_OLD15]
	push	bp
	mov	bp, sp
	jc	.fail
	cmp	dword [es:di + 16], 1		; RAM?
	jne	.last
	cmp	dword [es:di + 4], 0		; below 4 GiB only
	jne	.last
	cmp	dword [es:di + 12], 0
	jne	.last
	push	esi
	mov	si, ST_HIDE_LO
	call	clip
	mov	si, ST_BHIDE_LO
	call	clip
	pop	esi
.last:
	test	ebx, ebx
	jnz	.ok
	mov	ebx, E820_CONT			; one more: ours
.ok:
	and	word [bp + 6], 0xFFFE
	pop	bp
	iret
.fail:
	or	word [bp + 6], 1
	pop	bp
	iret
.extra:
	push	bp
	mov	bp, sp
	push	eax
	mov	eax, [cs:ST_HIDE_LO]
	mov	[es:di], eax
	mov	dword [es:di + 4], 0
	neg	eax
	add	eax, [cs:ST_HIDE_HI]
	mov	[es:di + 8], eax
	mov	dword [es:di + 12], 0
	mov	dword [es:di + 16], 2		; reserved
	pop	eax
	cmp	ecx, 24
	jb	.short
	mov	dword [es:di + 20], 1		; ACPI 3.0 attributes: valid
	mov	ecx, 24
	jmp	.done
.short:
	mov	ecx, 20
.done:
	mov	eax, SMAP
	xor	ebx, ebx
	jmp	.ok
.chain:
	jmp	far [cs:ST_OLD15]

; clip: the E820 RAM entry at ES:DI loses what lies in the range whose
; lo/hi dwords are at CS:SI, CS:SI+4 (the range is the top of the entry's
; region); an entry wholly inside becomes reserved.
clip:
	push	eax
	push	edx
	mov	eax, [es:di]			; base
	mov	edx, eax
	add	edx, [es:di + 8]		; end
	cmp	eax, [cs:si + 4]
	jae	.done
	cmp	edx, [cs:si]
	jbe	.done
	cmp	eax, [cs:si]
	jae	.all
	mov	edx, [cs:si]
	sub	edx, eax
	mov	[es:di + 8], edx
	jmp	.done
.all:
	mov	dword [es:di + 16], 2		; reserved
.done:
	pop	edx
	pop	eax
	ret

; ---- the first start: snapshot the image, the MBR to 0:7C00, jump ----------
; Entered from int13_boot() at SEL_SCODE16 with the stub GDT loaded.
int13_stub_boot:
	mov	ax, SEL_SDATA16
	mov	ss, ax
	mov	esp, ST_STACK
	mov	ax, SEL_DATA32
	mov	ds, ax
	mov	es, ax
	cld
	mov	esi, [cs:ST_SWAPLO]
	mov	edi, [cs:ST_COPY]
	mov	ecx, [cs:ST_SWAPDW]
	a32 rep movsd
	mov	esi, [cs:ST_MBR]
	mov	edi, 0x7C00
	mov	ecx, 128
	a32 rep movsd
	call	to_real_mode
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, 0x7C00
	mov	dl, [cs:ST_DRIVE]
	xor	dh, dh
	sti
	jmp	0:0x7C00
int13_stub_end:

; ---- 32-bit side (in the image, valid while it is swapped in) --------------
section .text
bits 32
int13_pm_entry:
	mov	ax, SEL_DATA32
	mov	ds, ax
	mov	es, ax
	mov	fs, ax
	mov	gs, ax
	mov	ss, ax
	mov	esp, __pm_stack_top
	cld
	call	int13_handle
	; back to the stub: its GDT, then its 16-bit code
global int13_return
int13_return:
	mov	eax, [int13_stub_gdt]
	lgdt	[eax]
	jmp	far [int13_stub_ret]

; void int13_boot(void): into the stub's boot path (int13_stub_boot); no
; return.
global int13_boot
int13_boot:
	cli
	mov	eax, [int13_stub_gdt]
	lgdt	[eax]
	jmp	far [int13_stub_bootptr]
