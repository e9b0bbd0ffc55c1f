/* Small helpers shared by the kernel files (internal; not part of the Swift-visible API). */
#ifndef CKERNELS_COMMON_H
#define CKERNELS_COMMON_H
#include <stdint.h>
#include <string.h>

/* Bytes per 32-value block of a row format. */
static inline int64_t ck_block_bytes(int format) { return format == 1 ? 20 : format == 0 ? 18 : 34; }

/* IEEE half at p (little-endian) as float; exact, by bits, so every build agrees. */
static inline float ck_half(const uint8_t *p) {
    uint32_t h = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
    uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 31, man = h & 0x3FF, bits;
    if (exp == 0) {
        if (man == 0) bits = sign;
        else {                                   /* subnormal: normalize */
            int e = -1;
            do { man <<= 1; e++; } while ((man & 0x400) == 0);
            bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3FF) << 13);
        }
    } else if (exp == 31) bits = sign | 0x7F800000u | (man << 13);
    else bits = sign | ((exp + 112) << 23) | (man << 13);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* The fixed lane-addition tree every version uses: ((0+1)+(2+3)) + ((4+5)+(6+7)). */
static inline float ck_lane_sum(const float a[8]) {
    float s01 = a[0] + a[1], s23 = a[2] + a[3], s45 = a[4] + a[5], s67 = a[6] + a[7];
    float lo = s01 + s23, hi = s45 + s67;
    return lo + hi;
}
#endif
