/* Bitboard N-queens counters, the C baselines of benchmarks/nqueens.py (gcc -O2).
 *
 *   nqueens_bitboard N          half trick: the baseline of the speed goals
 *   nqueens_bitboard N sym8     all 8 symmetries of the board: a reference row
 *
 * Prints: N count cpu_seconds (the search's own CPU time, clock()).
 *
 * half: 32-bit masks, an explicit stack, the lowest free bit b & -b. The queen of row 0 takes
 * the columns of the right half only and the count is doubled (the mirror image of a board has
 * its row-0 queen in the other half). For odd N, a row-0 queen in the middle column mirrors onto
 * itself; its boards are counted with the queen of row 1 in the right half only, doubled too (row
 * 1's queen cannot be in the middle column beside it). The same tricks as
 * ../shared/baselines/nqueens_somers.c, written here on their own.
 *
 * sym8: one board per class of the 8 symmetries (rotations and reflections), each class weighted
 * by its size, after Takaken (2003): a top-row queen in the corner is searched with the queen of
 * row 1 bounding the rest; otherwise the top queen at distance k from the left corner forbids the
 * side columns in rows above k and below n-1-k, and a leaf is kept only if no rotation of it is
 * smaller. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* ------------------------------------------------------------------ half trick */

/* Boards that extend rows 0..row-1 (occupied columns, diagonals) with the candidates `avail` of
 * row `row`: an explicit stack of the candidates still to try, the masks of each row. */
static uint64_t count_below(int n, int row, uint32_t cols, uint32_t left, uint32_t right, uint32_t avail) {
    const uint32_t full = (n == 32) ? 0xffffffffu : ((1u << n) - 1);
    uint32_t st_cols[32], st_left[32], st_right[32], st_avail[32];
    uint64_t total = 0;
    int d = row;
    const int last = n - 1;
    st_cols[d] = cols;
    st_left[d] = left;
    st_right[d] = right;
    st_avail[d] = avail;
    for (;;) {
        uint32_t free = st_avail[d];
        if (free == 0) {
            if (--d < row) break;
            continue;
        }
        uint32_t bit = free & (0u - free);
        st_avail[d] = free ^ bit;
        if (d == last) {
            total++;
            continue;
        }
        uint32_t c = st_cols[d] | bit;
        uint32_t l = (st_left[d] | bit) << 1;
        uint32_t r = (st_right[d] | bit) >> 1;
        d++;
        st_cols[d] = c;
        st_left[d] = l;
        st_right[d] = r;
        st_avail[d] = full & ~(c | l | r);
    }
    return total;
}

static uint64_t count_half(int n) {
    if (n == 1) return 1;
    const uint32_t full = (1u << n) - 1;
    const int half = n / 2;
    /* Row 0 in the right half: columns 0..half-1. */
    uint64_t total = 2 * count_below(n, 0, 0, 0, 0, (1u << half) - 1);
    if (n % 2) {
        /* Row 0 in the middle column; row 1 in the right half, not attacked. */
        uint32_t bit = 1u << half;
        uint32_t left = bit << 1, right = bit >> 1;
        uint32_t row1 = ((1u << half) - 1) & ~(bit | left | right) & full;
        total += 2 * count_below(n, 1, bit, left, right, row1);
    }
    return total;
}

/* ------------------------------------------------------------------ all 8 symmetries */

typedef struct {
    int n, last;
    uint32_t full, top_bit, side_mask, last_mask, end_bit;
    int bound1, bound2;
    uint32_t board[32]; /* the bit of each row's queen */
    uint64_t classes8, classes4, classes2;
} Sym;

/* The leaf test of the non-corner search: the board is its class's smallest under rotation by
 * 90, 180 and 270 degrees (reflections are excluded by the search itself); count its class by
 * how many distinct images it has. Each test compares the board with its image row by row. */
static void check_rotations(Sym *s) {
    const int n = s->n, last = s->last;
    const uint32_t *b = s->board;
    if (b[s->bound2] == 1) { /* rotation by 90 degrees may map the board to itself */
        int row;
        uint32_t pattern = 2;
        for (row = 1; row <= last; row++, pattern <<= 1) {
            uint32_t bit = 1;
            for (int other = last; b[other] != pattern && b[row] >= bit; other--) bit <<= 1;
            if (b[row] > bit) return;
            if (b[row] < bit) break;
        }
        if (row > last) {
            s->classes2++;
            return;
        }
    }
    if (b[last] == s->end_bit) { /* rotation by 180 degrees */
        int row, other;
        for (row = 1, other = last - 1; row <= last; row++, other--) {
            uint32_t bit = 1;
            for (uint32_t pattern = s->top_bit; pattern != b[other] && b[row] >= bit; pattern >>= 1) bit <<= 1;
            if (b[row] > bit) return;
            if (b[row] < bit) break;
        }
        if (row > last) {
            s->classes4++;
            return;
        }
    }
    if (b[s->bound1] == s->top_bit) { /* rotation by 270 degrees */
        uint32_t pattern = s->top_bit >> 1;
        for (int row = 1; row <= last; row++, pattern >>= 1) {
            uint32_t bit = 1;
            for (int other = 0; b[other] != pattern && b[row] >= bit; other++) bit <<= 1;
            if (b[row] > bit) return;
            if (b[row] < bit) break;
        }
    }
    (void)n;
    s->classes8++;
}

/* Top queen in the corner (column 0): the queen of row 1 at column bound1 > 1; rows above
 * bound1 keep column 1 free. Such boards have 8 distinct images. */
static void corner_search(Sym *s, int row, uint32_t left, uint32_t down, uint32_t right) {
    uint32_t avail = s->full & ~(left | down | right);
    if (row == s->last) {
        if (avail) s->classes8++;
        return;
    }
    if (row < s->bound1) avail &= ~2u;
    while (avail) {
        uint32_t bit = avail & (0u - avail);
        avail ^= bit;
        corner_search(s, row + 1, (left | bit) << 1, down | bit, (right | bit) >> 1);
    }
}

/* Top queen at column bound1 (0 < bound1 < n/2): side columns free above row bound1, the last
 * row's queen not in the corners' neighbourhood, both side columns used by row bound2. */
static void side_search(Sym *s, int row, uint32_t left, uint32_t down, uint32_t right) {
    uint32_t avail = s->full & ~(left | down | right);
    if (row == s->last) {
        if (avail && !(avail & s->last_mask)) {
            s->board[row] = avail;
            check_rotations(s);
        }
        return;
    }
    if (row < s->bound1) {
        avail &= ~s->side_mask;
    } else if (row == s->bound2) {
        if (!(down & s->side_mask)) return;
        if ((down & s->side_mask) != s->side_mask) avail &= s->side_mask;
    }
    while (avail) {
        uint32_t bit = avail & (0u - avail);
        avail ^= bit;
        s->board[row] = bit;
        side_search(s, row + 1, (left | bit) << 1, down | bit, (right | bit) >> 1);
    }
}

static uint64_t count_sym8(int n) {
    if (n == 1) return 1;
    if (n < 4) return 0;
    Sym s = {0};
    s.n = n;
    s.last = n - 1;
    s.full = (1u << n) - 1;
    s.top_bit = 1u << s.last;
    s.board[0] = 1;
    for (s.bound1 = 2; s.bound1 < s.last; s.bound1++) {
        uint32_t bit = 1u << s.bound1;
        s.board[1] = bit;
        corner_search(&s, 2, (2 | bit) << 1, 1 | bit, bit >> 1);
    }
    s.side_mask = s.last_mask = s.top_bit | 1;
    s.end_bit = s.top_bit >> 1;
    for (s.bound1 = 1, s.bound2 = n - 2; s.bound1 < s.bound2; s.bound1++, s.bound2--) {
        uint32_t bit = 1u << s.bound1;
        s.board[0] = bit;
        side_search(&s, 1, bit << 1, bit, bit >> 1);
        s.last_mask |= (s.last_mask >> 1) | (s.last_mask << 1);
        s.end_bit >>= 1;
    }
    return 8 * s.classes8 + 4 * s.classes4 + 2 * s.classes2;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 8;
    int sym8 = argc > 2 && argv[2][0] == 's';
    if (n < 1 || n > 31) {
        fprintf(stderr, "N must be in 1..31\n");
        return 2;
    }
    clock_t start = clock();
    uint64_t total = sym8 ? count_sym8(n) : count_half(n);
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("%d %llu %.6f\n", n, (unsigned long long)total, secs);
    return 0;
}
