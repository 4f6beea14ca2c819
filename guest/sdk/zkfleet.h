/* zkfleet guest SDK: the syscalls of docs/GUEST_ABI.md. Header-only; link
   with crt0.S and link.ld (see guest/build.sh). */
#ifndef ZKFLEET_H
#define ZKFLEET_H

typedef unsigned int size_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef int int32_t;

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);

static inline long zk_syscall3(long nr, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = nr;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

/* read_input fills buf with up to len bytes of the private input, looping on
   short reads; it returns the number of bytes read (< len only at the end of
   the input). */
static inline size_t read_input(void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		long n = zk_syscall3(63, 0, (long)((uint8_t *)buf + done), (long)(len - done));
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

static inline void zk_write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		long n = zk_syscall3(64, fd, (long)((const uint8_t *)buf + done), (long)(len - done));
		if (n <= 0)
			break;
		done += (size_t)n;
	}
}

/* write_output appends to the public output (committed by the proof). */
static inline void write_output(const void *buf, size_t len) { zk_write_all(1, buf, len); }

/* write_debug appends to the debug log (fd 2, not part of the statement). */
static inline void write_debug(const void *buf, size_t len) { zk_write_all(2, buf, len); }

static inline size_t zk_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static inline void write_debug_str(const char *s) { write_debug(s, zk_strlen(s)); }

/* exit halts the guest with the given exit code. */
static inline __attribute__((noreturn)) void exit(int code)
{
	zk_syscall3(93, code, 0, 0);
	for (;;)
		;
}

#endif
