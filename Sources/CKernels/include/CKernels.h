/* Integer dot-product kernels for quantized weights against int16-quantized activations, for
 * matrix-vector products (one token per step). One portable C version and x86 versions compiled
 * per function with target attributes (AVX2; AVX-512 VNNI), chosen at run time by the caller
 * (Numerics/CPU.swift). Every version returns the same bits: integer block sums are exact and the
 * float steps after them are the same operations in the same order. Not a general BLAS. */
#ifndef CKERNELS_H
#define CKERNELS_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Weight row formats (ggml block layouts, 32 values per block). Raw values match Swift's RowFormat. */
enum { CK_Q4_0 = 0, CK_Q4_1 = 1, CK_Q8_0 = 2 };

/* Activations quantized per 32-value block (ggml's Q8_1 idea with 16-bit values: their rounding
 * error, at most 1/65534 of the block's largest value, keeps the float32 oracle tests within
 * tolerance, where 8-bit activations moved near-tied first tokens by 0.07 in log-probability):
 * q: n int16 values, d[b] = max|x| / 32767 over block b, s[b] = d[b] * sum of q over block b.
 * n must be a multiple of 32. Portable C only, so every build gives the same bytes. */
void ck_quantize_q16(const float *x, int64_t n, int16_t *q, float *d, float *s);

/* out[r] = row(r) . x for r0 <= r < r1, weight rows rowBytes apart from w, x given as
 * ck_quantize_q16 output of blocks*32 values. Per row: eight int32 lane sums per block (lane i =
 * values 2i, 2i+1, 16+2i, 17+2i), scaled into eight float lanes by fma(dw*dx, lane, acc); then
 * the fixed lane tree, plus the offset terms (Q4_1 m, Q4_0 -8d) times s[b] summed in block order. */
void ck_matvec_portable(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                        const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out);
/* The same, AVX2+FMA+F16C (vpmaddwd). Call only on such a CPU. Absent off x86-64. */
void ck_matvec_avx2(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                    const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out);
/* The same with AVX-512 VNNI (vpdpwssd on ymm). Call only with avx512vnni+avx512vl. Absent off x86-64. */
void ck_matvec_vnni(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                    const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out);

/* Packs up to 32 activation rows k-major for the prompt GEMM: dst[e*32 + i] = x[i*ldx + e] for
 * i < tokens (<= 32), e < k, and 0 for tokens <= i < 32. A pure copy, so every version gives the
 * same bytes. dst: 32*k floats. */
void ck_pack_tokens_portable(const float *x, int64_t ldx, int64_t tokens, int64_t k, float *dst);
/* The same with 8x8 AVX register transposes. Call only on an AVX2 CPU. Absent off x86-64. */
void ck_pack_tokens_avx2(const float *x, int64_t ldx, int64_t tokens, int64_t k, float *dst);

/* Asks for bytes [p, p+bytes) in L2 (prefetcht1) without waiting: the prompt GEMM fetches the weight
 * rows of its next panel while it multiplies the current one. Inline, so Swift callers pay no call. */
static inline void ck_prefetch_l2(const void *p, int64_t bytes) {
    for (int64_t off = 0; off < bytes; off += 64) __builtin_prefetch((const char *)p + off, 0, 2);
}

#ifdef __cplusplus
}
#endif
#endif
