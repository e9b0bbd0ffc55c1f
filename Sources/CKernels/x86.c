/* x86-64 builds of the integer mat-vec kernel: AVX2 (vpmaddwd + vpaddd) and AVX-512 VNNI
 * (vpmaddwd + vpdpwssd, on ymm registers: a zmm version taking two blocks per register measured no
 * faster here). Both compute the same int32 lane sums, then the float steps of portable.c in the
 * same order, so all three versions agree bit for bit. Each function carries
 * its own target attribute; nothing here runs unless the caller checked the CPU first. */
#pragma STDC FP_CONTRACT OFF
#include "CKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include "common.h"

#define CK_TARGET "avx2,fma,f16c"
#define CK_NAME(x) x##_avx2_impl
#define CK_DOT(acc, w, x) _mm256_add_epi32(acc, _mm256_madd_epi16(w, x))
#include "x86_body.h"
#undef CK_TARGET
#undef CK_NAME
#undef CK_DOT

#define CK_TARGET "avx2,fma,f16c,avx512f,avx512vl,avx512bw,avx512vnni"
#define CK_NAME(x) x##_vnni_impl
#define CK_DOT(acc, w, x) _mm256_dpwssd_epi32(acc, w, x)
#include "x86_body.h"

void ck_matvec_avx2(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                    const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out) {
    ck_matvec_avx2_impl(format, w, rowBytes, r0, r1, xq, xd, xs, blocks, out);
}

void ck_matvec_vnni(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                    const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out) {
    ck_matvec_vnni_impl(format, w, rowBytes, r0, r1, xq, xd, xs, blocks, out);
}

/* Column j of the 8x8 block r[0..8) (rows 8 floats each) into c[j]: unpack pairs, then quads, then
 * swap 128-bit halves. */
__attribute__((target("avx2")))
static inline void transpose8(__m256 r[8], __m256 c[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    c[0] = _mm256_permute2f128_ps(u0, u4, 0x20); c[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    c[1] = _mm256_permute2f128_ps(u1, u5, 0x20); c[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    c[2] = _mm256_permute2f128_ps(u2, u6, 0x20); c[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    c[3] = _mm256_permute2f128_ps(u3, u7, 0x20); c[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

/* The scalar loop moved one float per load+store (3.5% of prompt time); 8x8 blocks move 64 per 24
 * shuffles. Rows past `tokens` are zero so the padded GEMM lanes compute on zeros. */
__attribute__((target("avx2")))
void ck_pack_tokens_avx2(const float *x, int64_t ldx, int64_t tokens, int64_t k, float *dst) {
    int64_t full = tokens / 8 * 8, k8 = k / 8 * 8;
    for (int64_t e0 = 0; e0 < k8; e0 += 8) {
        for (int64_t i0 = 0; i0 < full; i0 += 8) {
            __m256 r[8], c[8];
            for (int j = 0; j < 8; j++) r[j] = _mm256_loadu_ps(x + (i0 + j) * ldx + e0);
            transpose8(r, c);
            for (int j = 0; j < 8; j++) _mm256_storeu_ps(dst + (e0 + j) * 32 + i0, c[j]);
        }
        for (int64_t e = e0; e < e0 + 8; e++) {
            for (int64_t i = full; i < 32; i++) dst[e * 32 + i] = i < tokens ? x[i * ldx + e] : 0.0f;
        }
    }
    for (int64_t e = k8; e < k; e++) {
        for (int64_t i = 0; i < 32; i++) dst[e * 32 + i] = i < tokens ? x[i * ldx + e] : 0.0f;
    }
}

#endif
