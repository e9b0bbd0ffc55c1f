/* The x86 mat-vec kernel body, included by x86.c once per instruction set with CK_TARGET (target
 * attribute), CK_NAME(x) (suffixes names) and CK_DOT(acc, w, x) (acc plus the int32 pair sums of
 * int16 w times x, lane i = values 2i, 2i+1) defined. Same float steps as portable.c. */

/* Eight float lane sums of one block: weights widened to int16, values 0..15 and 16..31. */
static inline __attribute__((always_inline, target(CK_TARGET)))
__m256 CK_NAME(block)(int format, const uint8_t *p, __m256i x0, __m256i x1) {
    __m256i lo, hi;
    if (format == CK_Q8_0) {
        lo = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(p + 2)));
        hi = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(p + 18)));
    } else {
        const __m128i raw = _mm_loadu_si128((const __m128i *)(p + (format == CK_Q4_1 ? 4 : 2)));
        const __m128i mask = _mm_set1_epi8(15);
        lo = _mm256_cvtepu8_epi16(_mm_and_si128(raw, mask));
        hi = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), mask));
    }
    return _mm256_cvtepi32_ps(CK_DOT(_mm256_madd_epi16(lo, x0), hi, x1));
}

/* The block's scale d (lane 0) and, for Q4_1, its minimum m (lane 1): one load, one conversion. */
static inline __attribute__((always_inline, target(CK_TARGET)))
__m128 CK_NAME(scales)(int format, const uint8_t *p) {
    if (format == CK_Q4_1) {
        int32_t dm;
        memcpy(&dm, p, 4);
        return _mm_cvtph_ps(_mm_cvtsi32_si128(dm));
    }
    uint16_t h;
    memcpy(&h, p, 2);
    return _mm_cvtph_ps(_mm_cvtsi32_si128(h));
}

/* The Q4_1 minimum, Q4_0's implied −8·d, or 0 for Q8_0. */
static inline __attribute__((always_inline, target(CK_TARGET)))
float CK_NAME(offset)(int format, __m128 dm, float dw) {
    return format == CK_Q4_1 ? _mm_cvtss_f32(_mm_movehdup_ps(dm)) : format == CK_Q4_0 ? dw * -8.0f : 0.0f;
}

static inline __attribute__((always_inline, target(CK_TARGET)))
float CK_NAME(fma)(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}

/* The fixed lane tree, then the offset terms. */
static inline __attribute__((always_inline, target(CK_TARGET)))
float CK_NAME(finish)(__m256 acc, float macc) {
    float lanes[8];
    _mm256_storeu_ps(lanes, acc);
    return ck_lane_sum(lanes) + macc;
}

/* One block of one row into its accumulators. */
#define CK_STEP(P, A, M) do { \
        const __m128 dm_ = CK_NAME(scales)(format, P); \
        const float dw_ = _mm_cvtss_f32(dm_); \
        A = _mm256_fmadd_ps(_mm256_set1_ps(dw_ * dx), CK_NAME(block)(format, P, x0, x1), A); \
        M = CK_NAME(fma)(CK_NAME(offset)(format, dm_, dw_), sx, M); \
    } while (0)

/* Inlined once per format (a constant), so the format tests leave the inner loop. */
static inline __attribute__((always_inline, target(CK_TARGET)))
void CK_NAME(rows)(const int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                   const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out) {
    const int64_t bb = ck_block_bytes(format);
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {   /* four rows share each activation block load */
        const uint8_t *row = (const uint8_t *)w + r * rowBytes;
        /* The next four rows follow these in memory: fetch them 4·bb bytes per block ahead. */
        const char *next = (const char *)row + 4 * rowBytes;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        float m0 = 0, m1 = 0, m2 = 0, m3 = 0;
        for (int64_t b = 0; b < blocks; b++) {
            _mm_prefetch(next + b * 4 * bb, _MM_HINT_T0);
            _mm_prefetch(next + b * 4 * bb + 64, _MM_HINT_T0);
            const __m256i x0 = _mm256_loadu_si256((const __m256i *)(xq + b * 32));
            const __m256i x1 = _mm256_loadu_si256((const __m256i *)(xq + b * 32 + 16));
            const float dx = xd[b], sx = xs[b];
            const uint8_t *p0 = row + b * bb;
            CK_STEP(p0, a0, m0);
            CK_STEP(p0 + rowBytes, a1, m1);
            CK_STEP(p0 + 2 * rowBytes, a2, m2);
            CK_STEP(p0 + 3 * rowBytes, a3, m3);
        }
        out[r] = CK_NAME(finish)(a0, m0);
        out[r + 1] = CK_NAME(finish)(a1, m1);
        out[r + 2] = CK_NAME(finish)(a2, m2);
        out[r + 3] = CK_NAME(finish)(a3, m3);
    }
    for (; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)w + r * rowBytes;
        __m256 a0 = _mm256_setzero_ps();
        float m0 = 0;
        for (int64_t b = 0; b < blocks; b++) {
            const __m256i x0 = _mm256_loadu_si256((const __m256i *)(xq + b * 32));
            const __m256i x1 = _mm256_loadu_si256((const __m256i *)(xq + b * 32 + 16));
            const float dx = xd[b], sx = xs[b];
            CK_STEP(row + b * bb, a0, m0);
        }
        out[r] = CK_NAME(finish)(a0, m0);
    }
}

__attribute__((target(CK_TARGET)))
void CK_NAME(ck_matvec)(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                        const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out) {
    switch (format) {
    case CK_Q4_0: CK_NAME(rows)(CK_Q4_0, w, rowBytes, r0, r1, xq, xd, xs, blocks, out); break;
    case CK_Q4_1: CK_NAME(rows)(CK_Q4_1, w, rowBytes, r0, r1, xq, xd, xs, blocks, out); break;
    default: CK_NAME(rows)(CK_Q8_0, w, rowBytes, r0, r1, xq, xd, xs, blocks, out); break;
    }
}
#undef CK_STEP
