/*
 * A neighbour that fragments host memory: allocates about MB megabytes in
 * single pages and frees a random half of them, a few times over, then holds
 * what is left and sleeps. Free memory is then scattered in 4 kB holes (large
 * pages are hard to find) while the neighbour takes no CPU: what changes for
 * the benchmark is the memory, not the competition for a core.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 512;
  size_t pages = (mb << 20) >> 12;
  void **slot = calloc(pages, sizeof *slot);
  uint64_t x = 2463534242ull;
  for (int pass = 0; pass < 4; pass++) {
    for (size_t i = 0; i < pages; i++) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      size_t k = x % pages;
      if (slot[k] && (x & 1)) { munmap(slot[k], 4096); slot[k] = NULL; }
      else if (!slot[k]) {
        void *pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pg != MAP_FAILED) { memset(pg, (int)i, 64); slot[k] = pg; }
      }
    }
  }
  for (;;) pause();
}
