#include "CKernels.h"
#include "Phases.h"

#include <string.h>

// No fused multiply-adds: every clone rounds exactly as the baseline one does.
#pragma STDC FP_CONTRACT OFF

// F(6x6, 3x3) with the interpolation points 0, 1, -1, 2, -2, 1/2, -1/2 and infinity (as ncnn
// and Lavin and Gray's F(6,3)): an 8x8 input block gives a 6x6 output block through 64
// products per channel pair instead of 324.
//   B^T = [1 0 -21/4 0 21/4 0 -1 0; 0 1 1 -17/4 -17/4 1 1 0; 0 -1 1 17/4 -17/4 -1 1 0;
//          0 1/2 1/4 -5/2 -5/4 2 1 0; 0 -1/2 1/4 5/2 -5/4 -2 1 0; 0 2 4 -5/2 -5 1/2 1 0;
//          0 -2 4 5/2 -5 -1/2 1 0; 0 -1 0 21/4 0 -21/4 0 1]
//   G   = [1 0 0; -2/9 -2/9 -2/9; -2/9 2/9 -2/9; 1/90 1/45 2/45; 1/90 -1/45 2/45;
//          32/45 16/45 8/45; 32/45 -16/45 8/45; 0 0 1]
//   A^T = [1 1 1 1 1 1 1 0; 0 1 -1 2 -2 1/2 -1/2 0; 0 1 1 4 4 1/4 1/4 0;
//          0 1 -1 8 -8 1/8 -1/8 0; 0 1 1 16 16 1/16 1/16 0; 0 1 -1 32 -32 1/32 -1/32 1]

// B^T applied to x0 .. x7 of `type` (float or a vector); OUT(j, value) stores result j.
#define BT8(type, x0, x1, x2, x3, x4, x5, x6, x7, OUT)                                           \
    do {                                                                                         \
        const type a12 = x2 + x6 - 4.25f * x4, b12 = x1 + x5 - 4.25f * x3;                        \
        const type a34 = 0.25f * x2 + x6 - 1.25f * x4, b34 = 0.5f * x1 - 2.5f * x3 + 2 * x5;     \
        const type a56 = 4 * x2 + x6 - 5 * x4, b56 = 2 * x1 - 2.5f * x3 + 0.5f * x5;             \
        OUT(0, x0 - x6 + 5.25f * (x4 - x2));                                                      \
        OUT(1, a12 + b12);                                                                        \
        OUT(2, a12 - b12);                                                                        \
        OUT(3, a34 + b34);                                                                        \
        OUT(4, a34 - b34);                                                                        \
        OUT(5, a56 + b56);                                                                        \
        OUT(6, a56 - b56);                                                                        \
        OUT(7, x7 - x1 + 5.25f * (x3 - x5));                                                      \
    } while (0)

// Half-transformed rows are read whole vectors of phases long: each is 6 phases of
// whole_lanes(blocksAcross + 1) floats.
static long input_row_stride(long blocksAcross) { return 6 * whole_lanes(blocksAcross + 1); }

long filmsr_winograd6_input_scratch(long width, long blocksAcross) {
    return 8 * input_row_stride(blocksAcross) + width + 6 * whole_lanes(blocksAcross + 1);
}

INLINE void winograd6_input(const float *channel, long height, long width, long padTop, long padLeft,
                            long firstBlockRow, long blockRows, long blocksAcross,
                            float *v, long positionStride, float *scratch, const float *following) {
    const long rowWidth = 6 * blocksAcross + 2, rowStride = input_row_stride(blocksAcross), plane = positionStride;
    const long phaseStride = whole_lanes(blocksAcross + 1);
    float *t = scratch, *zeros = scratch + 8 * rowStride, *phases = zeros + width;
    memset(zeros, 0, (size_t)width * sizeof(float));
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const float *d[8];
        long first, last;
        block_rows(channel, height, width, padLeft, 6 * by - padTop, 8, zeros, rowWidth, d, &first, &last);
        // B^T d: combine rows, straight from the input.
#define HALF_ROWS(j, value) STORE(t + (j) * rowStride + x, value)
        EACH_VECTOR(x, first, last,
            const vector x0 = LOAD(vector, d[0] + x), x1 = LOAD(vector, d[1] + x), x2 = LOAD(vector, d[2] + x), x3 = LOAD(vector, d[3] + x),
                        x4 = LOAD(vector, d[4] + x), x5 = LOAD(vector, d[5] + x), x6 = LOAD(vector, d[6] + x), x7 = LOAD(vector, d[7] + x);
            BT8(vector, x0, x1, x2, x3, x4, x5, x6, x7, HALF_ROWS);
        );
        zero_padding(t, 8, rowStride, first, last);
        // (.) B along x, on the row's columns split by x mod 6 (Phases.h): columns 6bx + 6 and
        // 6bx + 7 are phases 0 and 1 at bx + 1.
        const long base = (by - firstBlockRow) * blocksAcross;
        for (int r = 0; r < 8; r++) {
            prefetch_plane_row(following, 6 * by - padTop + r, height, width);
            split_phases6(t + r * rowStride, phases, phaseStride);
            const float *p = phases;
            float *k = v + r * 8 * plane + base;
#define POSITIONS(c, value) STORE(k + (c) * plane + bx, value)
            EACH_VECTOR(bx, 0, blocksAcross,
                const vector x0 = LOAD(vector, p + bx), x1 = LOAD(vector, p + phaseStride + bx), x2 = LOAD(vector, p + 2 * phaseStride + bx),
                            x3 = LOAD(vector, p + 3 * phaseStride + bx), x4 = LOAD(vector, p + 4 * phaseStride + bx),
                            x5 = LOAD(vector, p + 5 * phaseStride + bx), x6 = LOAD(vector, p + bx + 1), x7 = LOAD(vector, p + phaseStride + bx + 1);
                BT8(vector, x0, x1, x2, x3, x4, x5, x6, x7, POSITIONS);
            );
        }
    }
}

// A^T applied to x0 .. x7 of `type`; OUT(j, value) stores result j (0 .. 5).
#define AT8(type, x0, x1, x2, x3, x4, x5, x6, x7, OUT)                                           \
    do {                                                                                         \
        const type a1 = x1 + x2, b1 = x1 - x2, a2 = x3 + x4, b2 = x3 - x4, a3 = x5 + x6, b3 = x5 - x6; \
        OUT(0, x0 + a1 + a2 + a3);                                                                \
        OUT(1, b1 + 2 * b2 + 0.5f * b3);                                                          \
        OUT(2, a1 + 4 * a2 + 0.25f * a3);                                                         \
        OUT(3, b1 + 8 * b2 + 0.125f * b3);                                                        \
        OUT(4, a1 + 16 * a2 + 0.0625f * a3);                                                      \
        OUT(5, b1 + 32 * b2 + 0.03125f * b3 + x7);                                                \
    } while (0)

long filmsr_winograd6_output_scratch(long blocksAcross) { return 60 * whole_lanes(blocksAcross); }

INLINE void winograd6_output(const float *m, long positionStride, long firstBlockRow, long blockRows,
                             long blocksAcross, long outputHeight, long outputWidth,
                             const filmsr_channel_target *target, float *scratch, float *following) {
    const long products = positionStride, blocksX = blocksAcross, n = whole_lanes(blocksAcross);
    float *half = scratch, *line = half + 48 * n, *phases = line + 6 * n;
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const long base = (by - firstBlockRow) * blocksX;
        // A^T (.) along y: half holds row r's 8 columns at (8 r + c) * n.
        for (int c = 0; c < 8; c++) {
            const float *s = m + c * products + base;
            float *h = half + c * n;
#define HALVES(r, value) STORE(h + (r) * 8 * n + bx, value)
            EACH_VECTOR(bx, 0, blocksX,
                const vector x0 = LOAD(vector, s + bx), x1 = LOAD(vector, s + 8 * products + bx), x2 = LOAD(vector, s + 16 * products + bx),
                            x3 = LOAD(vector, s + 24 * products + bx), x4 = LOAD(vector, s + 32 * products + bx),
                            x5 = LOAD(vector, s + 40 * products + bx), x6 = LOAD(vector, s + 48 * products + bx),
                            x7 = LOAD(vector, s + 56 * products + bx);
                AT8(vector, x0, x1, x2, x3, x4, x5, x6, x7, HALVES);
            );
        }
        // (.) A along x into the row's six phases, then the row put together and the epilogue.
        const long rows = outputHeight - 6 * by < 6 ? outputHeight - 6 * by : 6;
        for (long r = 0; r < rows; r++) {
            const float *q = half + r * 8 * n;
#define PHASES(j, value) STORE(phases + (j) * n + bx, value)
            EACH_VECTOR(bx, 0, blocksX,
                const vector x0 = LOAD(vector, q + bx), x1 = LOAD(vector, q + n + bx), x2 = LOAD(vector, q + 2 * n + bx), x3 = LOAD(vector, q + 3 * n + bx),
                            x4 = LOAD(vector, q + 4 * n + bx), x5 = LOAD(vector, q + 5 * n + bx), x6 = LOAD(vector, q + 6 * n + bx),
                            x7 = LOAD(vector, q + 7 * n + bx);
                AT8(vector, x0, x1, x2, x3, x4, x5, x6, x7, PHASES);
            );
            prefetch_target_row(following, target, 6 * by + r, outputWidth);
            merge_phases6(phases, line, n);
            store_target_row(line, target, 6 * by + r, outputWidth);
        }
    }
}

INLINE void winograd6_filters(const float *weights, long outputs, long inputs, long firstOutput, long outputCount,
                              float *u, float *gathered) {
    const long stride = outputs * inputs;
    for (long o = firstOutput; o < firstOutput + outputCount; o++) {
        for (long i = 0; i < inputs; i++) {
            const float *g = weights + (o * inputs + i) * 9;
            // t = G g (8 x 3), column by column; then each row of t times G^T.
            float t[8][3];
            for (int col = 0; col < 3; col++) {
                const float a = g[col], b = g[3 + col], c = g[6 + col];
                t[0][col] = a;
                t[1][col] = -2.0f / 9 * (a + b + c);
                t[2][col] = -2.0f / 9 * (a - b + c);
                t[3][col] = a / 90 + b / 45 + 2 * c / 45;
                t[4][col] = a / 90 - b / 45 + 2 * c / 45;
                t[5][col] = 32 * a / 45 + 16 * b / 45 + 8 * c / 45;
                t[6][col] = 32 * a / 45 - 16 * b / 45 + 8 * c / 45;
                t[7][col] = c;
            }
            for (int r = 0; r < 8; r++) {
                const float a = t[r][0], b = t[r][1], c = t[r][2];
                float *position = gathered + r * 8 * inputs + i;
                position[0] = a;
                position[inputs] = -2.0f / 9 * (a + b + c);
                position[2 * inputs] = -2.0f / 9 * (a - b + c);
                position[3 * inputs] = a / 90 + b / 45 + 2 * c / 45;
                position[4 * inputs] = a / 90 - b / 45 + 2 * c / 45;
                position[5 * inputs] = 32 * a / 45 + 16 * b / 45 + 8 * c / 45;
                position[6 * inputs] = 32 * a / 45 - 16 * b / 45 + 8 * c / 45;
                position[7 * inputs] = c;
            }
        }
        // Gathered first: U's 64 planes lie far apart, and writing all at once thrashes L1.
        for (int k = 0; k < 64; k++) memcpy(u + k * stride + o * inputs, gathered + k * inputs, (size_t)inputs * sizeof(float));
    }
}

KERNEL(winograd6_input,
       (const float *channel, long height, long width, long padTop, long padLeft, long firstBlockRow, long blockRows, long blocksAcross, float *v, long positionStride, float *scratch, const float *following),
       (channel, height, width, padTop, padLeft, firstBlockRow, blockRows, blocksAcross, v, positionStride, scratch, following))
KERNEL(winograd6_output,
       (const float *m, long positionStride, long firstBlockRow, long blockRows, long blocksAcross, long outputHeight, long outputWidth, const filmsr_channel_target *target, float *scratch, float *following),
       (m, positionStride, firstBlockRow, blockRows, blocksAcross, outputHeight, outputWidth, target, scratch, following))
KERNEL(winograd6_filters,
       (const float *weights, long outputs, long inputs, long firstOutput, long outputCount, float *u, float *gathered),
       (weights, outputs, inputs, firstOutput, outputCount, u, gathered))
