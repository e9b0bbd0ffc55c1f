/* Dev-time probe (not part of the build): can a CPU without AMX reproduce TDPBF16PS's bits? Random
 * bf16 tiles (16×32 by 32×16, magnitudes over 12 octaves, a random float32 C) are multiplied by the
 * tile unit and by four float32/double emulations of its accumulation order; the count of outputs
 * each matches bit for bit is printed. Build and run: clang -O2 -ffp-contract=off -o o amx_order.c */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
typedef struct { uint8_t palette, start; uint8_t res[14]; uint16_t colsb[16]; uint8_t rows[16]; } __attribute__((packed)) tilecfg;
static float f32(uint16_t b) { uint32_t u = (uint32_t)b << 16; float f; memcpy(&f, &u, 4); return f; }
static uint16_t bf(float f) { uint32_t u; memcpy(&u, &f, 4); return (uint16_t)((u + 0x7FFF + ((u >> 16) & 1)) >> 16); }
static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
__attribute__((target("amx-tile,amx-bf16")))
int main(void) {
    if (syscall(SYS_arch_prctl, 0x1023, 18)) { puts("no AMX"); return 1; }
    tilecfg cfg = {0}; cfg.palette = 1;
    for (int i = 0; i < 3; i++) { cfg.rows[i] = 16; cfg.colsb[i] = 64; }
    _tile_loadconfig(&cfg);
    enum { K = 32 };                       /* one tile: A 16x32 bf16, B (16 pairs x 16 cols) */
    static uint16_t A[16][K], Bp[K / 2][32]; static float C[16][16];
    srand(7);
    int seq = 0, pair = 0, total = 0, pairx = 0, allx = 0, ftz = 0;
    for (int trial = 0; trial < 200; trial++) {
        float B[K][16];
        for (int m = 0; m < 16; m++) for (int k = 0; k < K; k++) A[m][k] = bf((rand() / (float)RAND_MAX - 0.5f) * (1 << (rand() % 12)));
        for (int k = 0; k < K; k++) for (int n = 0; n < 16; n++) { uint16_t v = bf((rand() / (float)RAND_MAX - 0.5f) * (1 << (rand() % 12))); B[k][n] = f32(v); Bp[k / 2][2 * n + (k & 1)] = v; }
        float C0[16][16];
        for (int m = 0; m < 16; m++) for (int n = 0; n < 16; n++) C0[m][n] = C[m][n] = (rand() / (float)RAND_MAX - 0.5f) * 100;
        _tile_loadd(0, C, 64); _tile_loadd(1, A, 64); _tile_loadd(2, Bp, 64);
        _tile_dpbf16ps(0, 1, 2);
        _tile_stored(0, C, 64);
        for (int m = 0; m < 16; m++) for (int n = 0; n < 16; n++) {
            float s = C0[m][n], p = C0[m][n];
            for (int k = 0; k < K; k++) s = s + f32(A[m][k]) * B[k][n];                      /* sequential */
            for (int k = 0; k < K; k += 2) p = p + (f32(A[m][k]) * B[k][n] + f32(A[m][k + 1]) * B[k + 1][n]); /* pair sums */
            float px = C0[m][n]; double all = 0;
            for (int k = 0; k < K; k += 2) px = (float)((double)px + (double)f32(A[m][k]) * B[k][n] + (double)f32(A[m][k + 1]) * B[k + 1][n]);
            for (int k = 0; k < K; k++) all += (double)f32(A[m][k]) * B[k][n];
            float ax = (float)((double)C0[m][n] + all);
            seq += bits(s) == bits(C[m][n]); pair += bits(p) == bits(C[m][n]); pairx += bits(px) == bits(C[m][n]); allx += bits(ax) == bits(C[m][n]); total++;
        }
    }
    printf("of %d outputs: sequential %d, pair-sum %d, pair exact then rounded %d, whole row exact %d\n", total, seq, pair, pairx, allx);
    return 0;
}
