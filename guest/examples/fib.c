/* fib: reads n as a 4-byte little-endian integer (default 30 without
   input), writes fib(n) mod 2^32 in decimal followed by a newline. */
#include "zkfleet.h"

static size_t utoa(uint32_t v, char *buf)
{
	char tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

int main(void)
{
	uint8_t in[4] = {0};
	uint32_t n = 30;
	if (read_input(in, 4) == 4)
		n = in[0] | in[1] << 8 | in[2] << 16 | (uint32_t)in[3] << 24;
	uint32_t a = 0, b = 1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = a + b;
		a = b;
		b = t;
	}
	char out[12];
	size_t len = utoa(a, out);
	out[len++] = '\n';
	write_output(out, len);
	write_debug_str("fib done\n");
	return 0;
}
