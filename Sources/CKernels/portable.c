/* Activation quantization and the portable reference version of the integer mat-vec kernels.
 * Plain C with explicit fmaf and FP contraction off, so the compiler cannot fuse or reorder float
 * steps: these define the bits the x86 versions (x86.c) must reproduce. Not tuned for speed. */
#pragma STDC FP_CONTRACT OFF
#include "CKernels.h"
#include "common.h"
#include <math.h>

void ck_quantize_q16(const float *x, int64_t n, int16_t *q, float *d, float *s) {
    for (int64_t b = 0; b < n / 32; b++) {
        const float *xb = x + b * 32;
        float amax = 0;
        for (int j = 0; j < 32; j++) { float a = fabsf(xb[j]); amax = a > amax ? a : amax; }
        float db = amax / 32767.0f;
        float id = db != 0 ? 1.0f / db : 0.0f;
        int sum = 0;
        for (int j = 0; j < 32; j++) {
            float v = nearbyintf(xb[j] * id);      /* clamped: amax·id may round just above 32767 */
            v = v > 32767 ? 32767 : v < -32767 ? -32767 : v;
            q[b * 32 + j] = (int16_t)v;
            sum += (int)v;
        }
        d[b] = db;
        s[b] = db * (float)sum;
    }
}

/* Eight lane sums of one block: lane i = w·x over values 2i, 2i+1, 16+2i, 17+2i (w unpacked).
 * |w| <= 128 and |x| <= 32767, so no lane can overflow. */
static void block_lanes(int format, const uint8_t *p, const int16_t *x, int32_t lanes[8]) {
    int32_t w[32];
    if (format == CK_Q8_0) {
        for (int j = 0; j < 32; j++) w[j] = (int8_t)p[2 + j];
    } else {
        const uint8_t *qs = p + (format == CK_Q4_1 ? 4 : 2);
        for (int j = 0; j < 16; j++) { w[j] = qs[j] & 15; w[j + 16] = qs[j] >> 4; }
    }
    for (int i = 0; i < 8; i++) {
        int j = 2 * i;
        lanes[i] = w[j] * x[j] + w[j + 1] * x[j + 1] + w[j + 16] * x[j + 16] + w[j + 17] * x[j + 17];
    }
}

void ck_matvec_portable(int format, const void *w, int64_t rowBytes, int64_t r0, int64_t r1,
                        const int16_t *xq, const float *xd, const float *xs, int64_t blocks, float *out) {
    const int64_t bb = ck_block_bytes(format);
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)w + r * rowBytes;
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, macc = 0;
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *p = row + b * bb;
            int32_t lanes[8];
            block_lanes(format, p, xq + b * 32, lanes);
            float dw = ck_half(p), scale = dw * xd[b];
            for (int i = 0; i < 8; i++) acc[i] = fmaf(scale, (float)lanes[i], acc[i]);
            float m = format == CK_Q4_1 ? ck_half(p + 2) : format == CK_Q4_0 ? dw * -8.0f : 0.0f;
            macc = fmaf(m, xs[b], macc);
        }
        out[r] = ck_lane_sum(acc) + macc;
    }
}

void ck_pack_tokens_portable(const float *x, int64_t ldx, int64_t tokens, int64_t k, float *dst) {
    for (int64_t e = 0; e < k; e++) {
        for (int64_t i = 0; i < 32; i++) dst[e * 32 + i] = i < tokens ? x[i * ldx + e] : 0.0f;
    }
}
