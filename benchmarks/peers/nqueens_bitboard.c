/* Plain bitboard N-queens counter, the baseline of benchmarks/nqueens.py.
 * Explicit stack, lowest free bit b & -b, first row on the left half and the count doubled
 * (odd N: the middle column once). Prints: N count cpu_seconds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t count_from(int n, uint64_t cols, uint64_t left, uint64_t right, int row) {
    uint64_t full = (n == 64) ? ~0ULL : ((1ULL << n) - 1);
    uint64_t st_cols[64], st_left[64], st_right[64], st_free[64];
    uint64_t total = 0;
    int d = row;
    st_cols[d] = cols; st_left[d] = left; st_right[d] = right;
    st_free[d] = ~(cols | left | right) & full;
    while (d >= row) {
        uint64_t free = st_free[d];
        if (free == 0) { d--; continue; }
        uint64_t bit = free & -free;
        st_free[d] = free ^ bit;
        if (d == n - 1) { total++; continue; }
        uint64_t c = st_cols[d] | bit;
        uint64_t l = ((st_left[d] | bit) << 1) & full;
        uint64_t r = (st_right[d] | bit) >> 1;
        d++;
        st_cols[d] = c; st_left[d] = l; st_right[d] = r;
        st_free[d] = ~(c | l | r) & full;
    }
    return total;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 8;
    clock_t start = clock();
    uint64_t total = 0;
    if (n == 1) total = 1;
    else {
        uint64_t full = (1ULL << n) - 1;
        for (int col = 0; col < n / 2; col++) {
            uint64_t bit = 1ULL << col;
            total += 2 * count_from(n, bit, (bit << 1) & full, bit >> 1, 1);
        }
        if (n % 2) {
            uint64_t bit = 1ULL << (n / 2);
            total += count_from(n, bit, (bit << 1) & full, bit >> 1, 1);
        }
    }
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("%d %llu %.6f\n", n, (unsigned long long)total, secs);
    return 0;
}
