/* sort: sorts the input bytes (up to 4096) with heapsort and writes them;
   without input it sorts 512 pseudo-random bytes. Exit code: number of
   distinct byte values modulo 256. */
#include "zkfleet.h"

static uint8_t a[4096];

static void sift(uint8_t *v, size_t i, size_t n)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && v[l] > v[m])
			m = l;
		if (l + 1 < n && v[l + 1] > v[m])
			m = l + 1;
		if (m == i)
			return;
		uint8_t t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

int main(void)
{
	size_t n = read_input(a, sizeof a);
	if (n == 0) {
		uint32_t x = 12345;
		for (n = 0; n < 512; n++) {
			x = x * 1103515245u + 12345u;
			a[n] = (uint8_t)(x >> 16);
		}
	}
	for (size_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (size_t end = n; end-- > 1;) {
		uint8_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift(a, 0, end);
	}
	int distinct = n > 0;
	for (size_t i = 1; i < n; i++)
		distinct += a[i] != a[i - 1];
	write_output(a, n);
	return distinct & 0xff;
}
