/* memheavy: a memory-bound workload spanning many segments. Sieve of
   Eratosthenes up to N (4-byte little-endian input, default 200000) on a
   word array, then a pseudo-random read-modify-write walk over 64 KiB.
   Writes the prime count and a checksum (8 bytes little-endian). */
#include "zkfleet.h"

#define MAXN 1000000
static uint32_t composite[MAXN / 32 + 1];
static uint32_t table[16384];

int main(void)
{
	uint8_t in[4];
	uint32_t n = 200000;
	if (read_input(in, 4) == 4)
		n = in[0] | in[1] << 8 | in[2] << 16 | (uint32_t)in[3] << 24;
	if (n > MAXN)
		n = MAXN;
	uint32_t count = 0;
	for (uint32_t i = 2; i <= n; i++) {
		if (composite[i / 32] >> (i % 32) & 1)
			continue;
		count++;
		for (uint32_t j = i * 2; j <= n; j += i)
			composite[j / 32] |= 1u << (j % 32);
	}
	uint32_t x = count, sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		x = x * 1664525u + 1013904223u;
		uint32_t k = x >> 18;
		table[k] = table[k] * 31 + i;
		sum ^= table[(k * 7) & 16383];
	}
	uint8_t out[8];
	for (int i = 0; i < 4; i++) {
		out[i] = (uint8_t)(count >> (8 * i));
		out[4 + i] = (uint8_t)(sum >> (8 * i));
	}
	write_output(out, 8);
	return 0;
}
