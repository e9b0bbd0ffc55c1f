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

#endif
