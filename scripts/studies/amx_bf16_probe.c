/* Dev-time probe (not part of the build): AMX-BF16 throughput on this CPU for the engine's and the
 * trainer's GEMM shapes. C (M, N) = A (M, K) · B (K, N) in 32×32 blocks of four 16×16 float32 tiles,
 * bf16 inputs, B packed in AMX's pair-interleaved layout; a plain loop, no tuning. It asks Linux for
 * the tile-data permission first (arch_prctl ARCH_REQ_XCOMP_PERM), as any AMX code here must.
 * Build and run: clang -O2 -o amx amx_bf16_probe.c && ./amx 128 1536 576 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#define ARCH_REQ_XCOMP_PERM 0x1023
#define XFEATURE_XTILEDATA 18
typedef struct { uint8_t palette, start; uint8_t res[14]; uint16_t colsb[16]; uint8_t rows[16]; } __attribute__((packed)) tilecfg;
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
__attribute__((target("amx-tile,amx-bf16")))
static void gemm(const uint16_t *A, const uint16_t *Bp, float *C, int M, int N, int K) {
    // A: M x K bf16 row-major; Bp: packed VNNI: for each 16-col block nb, K/2 rows of 16 pairs (64 bytes)
    for (int m = 0; m < M; m += 32) for (int n = 0; n < N; n += 32) {
        _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
        for (int k = 0; k < K; k += 32) {
            _tile_loadd(4, A + (size_t)m * K + k, K * 2);
            _tile_loadd(5, A + (size_t)(m + 16) * K + k, K * 2);
            _tile_loadd(6, Bp + ((size_t)(n / 16) * (K / 2) + k / 2) * 32, 64);
            _tile_loadd(7, Bp + ((size_t)(n / 16 + 1) * (K / 2) + k / 2) * 32, 64);
            _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7); _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
        }
        _tile_stored(0, C + (size_t)m * N + n, N * 4); _tile_stored(1, C + (size_t)m * N + n + 16, N * 4);
        _tile_stored(2, C + (size_t)(m + 16) * N + n, N * 4); _tile_stored(3, C + (size_t)(m + 16) * N + n + 16, N * 4);
    }
}
__attribute__((target("amx-tile,amx-bf16")))
int main(int argc, char **argv) {
    if (syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)) { printf("no AMX permission\n"); return 1; }
    tilecfg cfg = {0}; cfg.palette = 1;
    for (int i = 0; i < 8; i++) { cfg.rows[i] = 16; cfg.colsb[i] = 64; }
    _tile_loadconfig(&cfg);
    int M = atoi(argv[1]), N = atoi(argv[2]), K = atoi(argv[3]);
    uint16_t *A = aligned_alloc(64, (size_t)M * K * 2), *B = aligned_alloc(64, (size_t)K * N * 2);
    float *C = aligned_alloc(64, (size_t)M * N * 4);
    for (size_t i = 0; i < (size_t)M * K; i++) A[i] = 0x3f80; for (size_t i = 0; i < (size_t)K * N; i++) B[i] = 0x3f80;
    int reps = 50; double best = 1e9;
    for (int t = 0; t < 5; t++) { double s = now(); for (int r = 0; r < reps; r++) gemm(A, B, C, M, N, K); double e = now() - s; if (e < best) best = e; }
    printf("M %d N %d K %d: %.1f GFLOP/s (C[0]=%g, expect %d)\n", M, N, K, 2.0 * M * N * K * reps / best / 1e9, C[0], K);
    return 0;
}
