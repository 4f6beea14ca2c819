# zkfleet guest startup: install our own stack (in .bss, so the program does
# not depend on the emulator's or qemu's initial sp), call main, exit with
# its return value.
	.section .text.start, "ax", @progbits
	.globl _start
_start:
	la	sp, __zk_stack_top
	call	main
	li	a7, 93
	ecall
1:	j	1b

# memcpy/memset/memmove in assembly: the compiler may emit calls to them even
# with -ffreestanding, and C versions could be turned back into such calls.
	.text
	.globl memcpy
memcpy:
	mv	t0, a0
	beqz	a2, 2f
1:	lbu	t1, 0(a1)
	sb	t1, 0(t0)
	addi	a1, a1, 1
	addi	t0, t0, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:	ret

	.globl memset
memset:
	mv	t0, a0
	beqz	a2, 2f
1:	sb	a1, 0(t0)
	addi	t0, t0, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:	ret

	.globl memmove
memmove:
	bgeu	a1, a0, memcpy
	add	t0, a0, a2
	add	a1, a1, a2
	beqz	a2, 2f
1:	addi	a1, a1, -1
	addi	t0, t0, -1
	lbu	t1, 0(a1)
	sb	t1, 0(t0)
	addi	a2, a2, -1
	bnez	a2, 1b
2:	ret

	.section .bss.zk_stack, "aw", @nobits
	.balign	16
	.space	65536
	.globl __zk_stack_top
__zk_stack_top:
