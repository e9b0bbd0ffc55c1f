/* Dev-time study (not part of the build): a float32-grade GEMM on the AMX tile unit.
 * Each float32 operand is split into hi = bf16(x) and lo = bf16(x - hi); each product is taken as
 * hi·hi + lo·hi + hi·lo with tdpbf16ps (2×2 blocks of 16×16 tiles, k in slices of 128).
 * Checks the result against a double-precision loop (relative error ≈ 1e-6 of Σ|terms|) and times it.
 * Build and run: clang -O2 -o amx3 amx_split3.c -lm && ./amx3 128 1536 576 [mode]
 * mode 0: B row-major, 1: B transposed (packed by 16×16 register transposes), 2: A strided,
 * 3: C stored transposed. Result (session 4, README): 100–320 GFLOP/s, bimodal between runs. */
/* The tile-unit (AMX-BF16) GEMM with float32-grade accuracy. AMX multiplies bf16 numbers (8
 * significant bits), too coarse for the engine's tolerance (scripts/studies: 0.16 in log-probability
 * on one oracle prompt), so every float32 operand x is split into hi = bf16(x) and
 * lo = bf16(x - hi), 16 significant bits together, and each product is computed as
 * hi·hi + lo·hi + hi·lo (the dropped lo·lo is below 2^-16 of it). The tile unit accumulates in
 * float32; its internal order is its own, so results differ from the AVX kernels' in the last bits,
 * but each output still depends only on its row of A, its column of B and K: not on tiling,
 * ranges or thread count. Nothing here runs unless ck_amx_available() returned 1. */
#pragma STDC FP_CONTRACT OFF
#include <stdint.h>
enum { CK_AMX_ACCUMULATE = 1, CK_AMX_TRANSPOSED_C = 2 };
#if defined(__x86_64__) && defined(__linux__)
#include <immintrin.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <cpuid.h>
#include <stdlib.h>

#define CK_AMX_TARGET "avx2,fma,avx512f,avx512bw,avx512vl,amx-tile,amx-bf16"
/* Linux: a process must ask for the tile data state before its first tile instruction. */
#define CK_ARCH_REQ_XCOMP_PERM 0x1023
#define CK_XFEATURE_XTILEDATA 18

static int ck_amx_probe(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int tile = (d >> 24) & 1, bf16 = (d >> 22) & 1, avx512 = (b >> 16) & 1 && (b >> 30) & 1 && (b >> 31) & 1;
    if (!tile || !bf16 || !avx512) return 0;
    return syscall(SYS_arch_prctl, CK_ARCH_REQ_XCOMP_PERM, CK_XFEATURE_XTILEDATA) == 0;
}

int ck_amx_available(void) {
    static int state = -1;              /* benign race: every thread computes the same answer */
    if (state < 0) state = ck_amx_probe();
    return state;
}

/* float → bf16, round to nearest even (inputs are finite). */
static inline uint16_t ck_bf16(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    u += 0x7FFFu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

static inline float ck_bf16_value(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline void ck_split(float x, uint16_t *hi, uint16_t *lo) {
    uint16_t h = ck_bf16(x);
    *hi = h;
    *lo = ck_bf16(x - ck_bf16_value(h));
}

/* ck_split on 16 lanes: hi and lo as bf16 bits in the low half of each 32-bit lane. */
__attribute__((target(CK_AMX_TARGET)))
static inline void ck_split16(__m512 x, __m512i *hi, __m512i *lo) {
    const __m512i half = _mm512_set1_epi32(0x7FFF), one = _mm512_set1_epi32(1), top = _mm512_set1_epi32((int)0xFFFF0000u);
    __m512i u = _mm512_castps_si512(x);
    __m512i h = _mm512_and_si512(_mm512_add_epi32(u, _mm512_add_epi32(half, _mm512_and_si512(_mm512_srli_epi32(u, 16), one))), top);
    __m512i r = _mm512_castps_si512(_mm512_sub_ps(x, _mm512_castsi512_ps(h)));
    r = _mm512_add_epi32(r, _mm512_add_epi32(half, _mm512_and_si512(_mm512_srli_epi32(r, 16), one)));
    *hi = _mm512_srli_epi32(h, 16);
    *lo = _mm512_srli_epi32(r, 16);
}

/* Up to 16 floats from p (zero past `count`). */
__attribute__((target(CK_AMX_TARGET)))
static inline __m512 ck_load16(const float *p, int64_t count) {
    if (count >= 16) return _mm512_loadu_ps(p);
    if (count <= 0) return _mm512_setzero_ps();
    return _mm512_maskz_loadu_ps((__mmask16)((1u << count) - 1), p);
}

/* Rows of sixteen 32-bit lanes transposed in place (r[i][j] ↔ r[j][i]). */
__attribute__((target(CK_AMX_TARGET)))
static inline void ck_transpose16(__m512i r[16]) {
    __m512i t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    __m512i s[4][4];   /* s[i][c], 128-bit lane L: column 4L + c of rows 4i..4i+3 */
    for (int i = 0; i < 4; i++) {
        s[i][0] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        s[i][1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        s[i][2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        s[i][3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    for (int c = 0; c < 4; c++) {
        __m512i a = _mm512_shuffle_i32x4(s[0][c], s[1][c], _MM_SHUFFLE(1, 0, 1, 0));
        __m512i b = _mm512_shuffle_i32x4(s[0][c], s[1][c], _MM_SHUFFLE(3, 2, 3, 2));
        __m512i e = _mm512_shuffle_i32x4(s[2][c], s[3][c], _MM_SHUFFLE(1, 0, 1, 0));
        __m512i f = _mm512_shuffle_i32x4(s[2][c], s[3][c], _MM_SHUFFLE(3, 2, 3, 2));
        r[c] = _mm512_shuffle_i32x4(a, e, _MM_SHUFFLE(2, 0, 2, 0));
        r[4 + c] = _mm512_shuffle_i32x4(a, e, _MM_SHUFFLE(3, 1, 3, 1));
        r[8 + c] = _mm512_shuffle_i32x4(b, f, _MM_SHUFFLE(2, 0, 2, 0));
        r[12 + c] = _mm512_shuffle_i32x4(b, f, _MM_SHUFFLE(3, 1, 3, 1));
    }
}

__attribute__((target(CK_AMX_TARGET)))
void ck_amx_pack_a(const float *a, int64_t sam, int64_t sak, int64_t K, int64_t m0, int64_t m1, int64_t kpad,
                   uint16_t *hi, uint16_t *lo) {
    int64_t end = (m1 + 31) / 32 * 32;
    for (int64_t m = m0; m < end; m++) {
        uint16_t *h = hi + m * kpad, *l = lo + m * kpad;
        if (m >= m1) { memset(h, 0, (size_t)kpad * 2); memset(l, 0, (size_t)kpad * 2); continue; }
        const float *row = a + m * sam;
        if (sak == 1) {
            for (int64_t k = 0; k < kpad; k += 16) {
                __m512i vh, vl;
                ck_split16(ck_load16(row + k, K - k), &vh, &vl);
                _mm256_storeu_si256((__m256i *)(h + k), _mm512_cvtepi32_epi16(vh));
                _mm256_storeu_si256((__m256i *)(l + k), _mm512_cvtepi32_epi16(vl));
            }
        } else {
            for (int64_t k = 0; k < K; k++) ck_split(row[k * sak], h + k, l + k);
            for (int64_t k = K; k < kpad; k++) { h[k] = 0; l[k] = 0; }
        }
    }
}

__attribute__((target(CK_AMX_TARGET)))
void ck_amx_pack_b(const float *b, int64_t sbk, int64_t sbn, int64_t K, int64_t n0, int64_t n1, int64_t kpad,
                   uint16_t *hi, uint16_t *lo) {
    int64_t end = (n1 + 31) / 32 * 32;
    for (int64_t g = n0 / 16; g < end / 16; g++) {
        uint16_t *h = hi + g * kpad * 16, *l = lo + g * kpad * 16;
        int64_t n = g * 16, cols = n1 - n < 16 ? (n1 - n > 0 ? n1 - n : 0) : 16;
        if (sbn == 1) {
            /* Rows of B are contiguous: two rows give one pair row of the group. */
            for (int64_t k = 0; k < kpad; k += 2) {
                __m512i h0, l0, h1, l1;
                __m512 x0 = k < K ? ck_load16(b + k * sbk + n, cols) : _mm512_setzero_ps();
                __m512 x1 = k + 1 < K ? ck_load16(b + (k + 1) * sbk + n, cols) : _mm512_setzero_ps();
                ck_split16(x0, &h0, &l0);
                ck_split16(x1, &h1, &l1);
                _mm512_storeu_si512(h + k * 16, _mm512_or_si512(h0, _mm512_slli_epi32(h1, 16)));
                _mm512_storeu_si512(l + k * 16, _mm512_or_si512(l0, _mm512_slli_epi32(l1, 16)));
            }
        } else if (sbk == 1) {
            /* Columns of B are contiguous: each gives 16 pairs per 32 k, and a 16×16 transpose
             * turns the group's columns into its pair rows. */
            for (int64_t k = 0; k < kpad; k += 32) {
                __m512i rh[16], rl[16];
                for (int64_t j = 0; j < 16; j++) {
                    if (j >= cols) { rh[j] = _mm512_setzero_si512(); rl[j] = _mm512_setzero_si512(); continue; }
                    const float *col = b + (n + j) * sbn + k;
                    __m512i ha, la, hb, lb;
                    ck_split16(ck_load16(col, K - k), &ha, &la);
                    ck_split16(ck_load16(col + 16, K - k - 16), &hb, &lb);
                    rh[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi32_epi16(ha)), _mm512_cvtepi32_epi16(hb), 1);
                    rl[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi32_epi16(la)), _mm512_cvtepi32_epi16(lb), 1);
                }
                ck_transpose16(rh);
                ck_transpose16(rl);
                for (int p = 0; p < 16; p++) {
                    _mm512_storeu_si512(h + (k / 2 + p) * 32, rh[p]);
                    _mm512_storeu_si512(l + (k / 2 + p) * 32, rl[p]);
                }
            }
        } else {
            for (int64_t j = 0; j < 16; j++) {
                for (int64_t k = 0; k < kpad; k++) {
                    uint16_t *ph = h + (k >> 1) * 32 + j * 2 + (k & 1), *pl = l + (k >> 1) * 32 + j * 2 + (k & 1);
                    if (j < cols && k < K) ck_split(b[k * sbk + (n + j) * sbn], ph, pl);
                    else { *ph = 0; *pl = 0; }
                }
            }
        }
    }
}

typedef struct {
    uint8_t palette, start_row, reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} __attribute__((packed)) ck_tile_config;

/* One 32×32 block of C at c (rows ldc apart) over k0..<k1: C tiles loaded (or zeroed when `zero`),
 * advanced by the three products per 32-deep slice, stored back. A rows at ahi/alo (kpad apart),
 * B's two column groups at bhi/blo (kpad·16 apart). Tiles 0–3 accumulate, 4–5 hold A, 6–7 hold B. */
__attribute__((target(CK_AMX_TARGET)))
static void ck_amx_block(const uint16_t *ahi, const uint16_t *alo, const uint16_t *bhi, const uint16_t *blo,
                         int64_t kpad, int64_t k0, int64_t k1, float *c, int64_t ldc, int zero) {
    int64_t sa = kpad * 2, sc = ldc * 4, g = kpad * 16;
    if (zero) { _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3); }
    else {
        _tile_loadd(0, c, sc);
        _tile_loadd(1, c + 16, sc);
        _tile_loadd(2, c + 16 * ldc, sc);
        _tile_loadd(3, c + 16 * ldc + 16, sc);
    }
    for (int64_t k = k0; k < k1; k += 32) {
        const uint16_t *bh = bhi + k * 16, *bl = blo + k * 16;
        _tile_loadd(4, ahi + k, sa);
        _tile_loadd(5, ahi + 16 * kpad + k, sa);
        _tile_loadd(6, bh, 64);
        _tile_loadd(7, bh + g, 64);
        _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7); _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
        _tile_loadd(4, alo + k, sa);
        _tile_loadd(5, alo + 16 * kpad + k, sa);
        _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7); _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
        _tile_loadd(4, ahi + k, sa);
        _tile_loadd(5, ahi + 16 * kpad + k, sa);
        _tile_loadd(6, bl, 64);
        _tile_loadd(7, bl + g, 64);
        _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7); _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
    }
    _tile_stored(0, c, sc);
    _tile_stored(1, c + 16, sc);
    _tile_stored(2, c + 16 * ldc, sc);
    _tile_stored(3, c + 16 * ldc + 16, sc);
}

/* k slices per pass: A's and B's 32-row slabs of this depth (16 KB each, hi and lo) stay in L1
 * while C blocks stream past them. */
#define CK_AMX_KC 128

/* A per-thread buffer for C regions that are not 32-aligned or are stored transposed. */
static __thread float *ck_region;
static __thread size_t ck_region_capacity;

__attribute__((target(CK_AMX_TARGET)))
void ck_amx_gemm(const uint16_t *ahi, const uint16_t *alo, const uint16_t *bhi, const uint16_t *blo, int64_t kpad,
                 int64_t m0, int64_t m1, int64_t n0, int64_t n1, float *c, int64_t ldc, int flags) {
    if (m1 <= m0 || n1 <= n0) return;
    int accumulate = flags & CK_AMX_ACCUMULATE, transposed = flags & CK_AMX_TRANSPOSED_C;
    int64_t rows = (m1 - m0 + 31) / 32 * 32, cols = (n1 - n0 + 31) / 32 * 32;
    /* Work on C in place when it is whole 32×32 blocks; otherwise on a padded region copied in and out. */
    int direct = !transposed && rows == m1 - m0 && cols == n1 - n0;
    float *w = c + m0 * ldc + n0;
    int64_t ldw = ldc;
    if (!direct) {
        size_t need = (size_t)(rows * cols);
        if (ck_region_capacity < need) {
            free(ck_region);
            ck_region = aligned_alloc(64, need * 4);
            ck_region_capacity = need;
        }
        w = ck_region;
        ldw = cols;
        memset(w, 0, need * 4);
        if (accumulate) {
            for (int64_t m = m0; m < m1; m++)
                for (int64_t n = n0; n < n1; n++)
                    w[(m - m0) * ldw + (n - n0)] = transposed ? c[n * ldc + m] : c[m * ldc + n];
        }
    }
    ck_tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int i = 0; i < 8; i++) { config.rows[i] = 16; config.colsb[i] = 64; }
    _tile_loadconfig(&config);
    for (int64_t k0 = 0; k0 < kpad; k0 += CK_AMX_KC) {
        int64_t k1 = k0 + CK_AMX_KC < kpad ? k0 + CK_AMX_KC : kpad;
        int zero = k0 == 0 && !accumulate && direct;
        for (int64_t m = 0; m < rows; m += 32)
            for (int64_t n = 0; n < cols; n += 32)
                ck_amx_block(ahi + (m0 + m) * kpad, alo + (m0 + m) * kpad, bhi + ((n0 + n) / 16) * kpad * 16,
                             blo + ((n0 + n) / 16) * kpad * 16, kpad, k0, k1, w + m * ldw + n, ldw, zero);
    }
    _tile_release();
    if (direct) return;
    if (!transposed) {
        for (int64_t m = m0; m < m1; m++) memcpy(c + m * ldc + n0, w + (m - m0) * ldw, (size_t)(n1 - n0) * 4);
        return;
    }
    /* C[n][m] from the region's (m, n): whole 16×16 squares by register transposes, edges one by one. */
    for (int64_t m = 0; m < m1 - m0; m += 16) {
        for (int64_t n = 0; n < n1 - n0; n += 16) {
            if (m + 16 <= m1 - m0 && n + 16 <= n1 - n0) {
                __m512i r[16];
                for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_si512(w + (m + i) * ldw + n);
                ck_transpose16(r);
                for (int i = 0; i < 16; i++) _mm512_storeu_si512(c + (n0 + n + i) * ldc + m0 + m, r[i]);
            } else {
                for (int64_t i = m; i < m + 16 && i < m1 - m0; i++)
                    for (int64_t j = n; j < n + 16 && j < n1 - n0; j++) c[(n0 + j) * ldc + m0 + i] = w[i * ldw + j];
            }
        }
    }
}

#else
#error "x86-64 Linux only"
#endif

/* ---- the harness ---- */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  if(!ck_amx_available()){printf("no amx\n");return 1;}
  int M=atoi(argv[1]),N=atoi(argv[2]),K=atoi(argv[3]); int mode=argc>4?atoi(argv[4]):0; // 0: B rowmajor, 1: B transposed, 2: A strided, 3: C transposed
  int kpad=(K+31)/32*32, Mp=(M+31)/32*32, Np=(N+31)/32*32;
  float*A=malloc(4L*M*K),*B=malloc(4L*K*N),*C=malloc(4L*M*N);
  srand(1);
  for(long i=0;i<(long)M*K;i++)A[i]=(rand()/(float)RAND_MAX-0.5f)*2;
  for(long i=0;i<(long)K*N;i++)B[i]=(rand()/(float)RAND_MAX-0.5f)*0.1f;
  for(long i=0;i<(long)M*N;i++)C[i]=1.0f;
  uint16_t*ah=aligned_alloc(64,2L*Mp*kpad),*al=aligned_alloc(64,2L*Mp*kpad),*bh=aligned_alloc(64,2L*Np*kpad),*bl=aligned_alloc(64,2L*Np*kpad);
  // logical A(m,k), B(k,n)
  #define AE(m,k) (mode==2? A[(long)(k)*M+(m)] : A[(long)(m)*K+(k)])
  #define BE(k,n) (mode==1? B[(long)(n)*K+(k)] : B[(long)(k)*N+(n)])
  long sam= mode==2?1:K, sak= mode==2?M:1, sbk= mode==1?1:N, sbn= mode==1?K:1;
  int flags = 1 | (mode==3?2:0);
  #define RUN() do{ ck_amx_pack_a(A,sam,sak,K,0,M,kpad,ah,al); ck_amx_pack_b(B,sbk,sbn,K,0,N,kpad,bh,bl); ck_amx_gemm(ah,al,bh,bl,kpad,0,M,0,N,C,mode==3?M:N,flags);}while(0)
  RUN();
  double maxrel=0;
  for(int m=0;m<M;m++)for(int n=0;n<N;n++){double s=1,sa=1;for(int k=0;k<K;k++){s+=(double)AE(m,k)*BE(k,n);sa+=fabs((double)AE(m,k)*BE(k,n));}
    double c= mode==3? C[(long)n*M+m] : C[(long)m*N+n]; double e=fabs(s-c); if(e/sa>maxrel)maxrel=e/sa;}
  printf("mode %d max err/sum|terms| %.3g  ",mode,maxrel);
  int reps=20;double best=1e9,bestg=1e9;
  for(int t=0;t<5;t++){double s=now();for(int r=0;r<reps;r++)RUN();double e=now()-s;if(e<best)best=e;}
  for(int t=0;t<5;t++){double s=now();for(int r=0;r<reps;r++)ck_amx_gemm(ah,al,bh,bl,kpad,0,M,0,N,C,mode==3?M:N,flags);double e=now()-s;if(e<bestg)bestg=e;}
  printf("%dx%dx%d: with packing %.1f, gemm only %.1f GFLOP/s\n",M,N,K,2.0*M*N*K*reps/best/1e9,2.0*M*N*K*reps/bestg/1e9);
}
