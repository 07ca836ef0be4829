/*
 * entry.S - multiboot (v1) entry of the NIC test program.
 *
 * QEMU's -kernel loads a multiboot ELF32 image itself and jumps to _start
 * in 32-bit protected mode, flat segments, paging and interrupts off,
 * EAX = 0x2BADB002, EBX = the multiboot information.  We zero .bss, take
 * a stack of our own and call nictest_main(magic, info).
 */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	cld
	movl %eax, %esi
	movl %ebx, %ebp
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	movl $stack_top, %esp
	pushl %ebp
	pushl %esi
	call nictest_main
1:	hlt
	jmp 1b

	.bss
	.balign 16
	.space 65536
stack_top:
	.section .note.GNU-stack, "", @progbits
