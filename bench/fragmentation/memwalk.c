/* A fixed memory-heavy "solution": touches MB megabytes in a pseudo-random page order, many times. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 64;
  size_t n = mb << 20, pages = n >> 12;
  unsigned char *p = malloc(n);
  if (!p) return 1;
  uint64_t x = 88172645463325252ull, sum = 0;
  for (int pass = 0; pass < 8; pass++) {
    for (size_t i = 0; i < pages; i++) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      size_t at = ((x % pages) << 12) + (x & 4095);
      p[at] += (unsigned char)i;
      sum += p[at];
    }
  }
  printf("%llu\n", (unsigned long long)sum);
  free(p);
  return 0;
}
