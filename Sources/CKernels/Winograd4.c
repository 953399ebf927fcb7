#include "CKernels.h"
#include "Phases.h"

#include <string.h>

// No fused multiply-adds: every clone rounds exactly as the baseline one does, so results do
// not depend on the CPU that runs them.
#pragma STDC FP_CONTRACT OFF

// B^T applied to x0 .. x5 of `type` (float or a vector); OUT(j, value) stores result j.
#define BT6(type, x0, x1, x2, x3, x4, x5, OUT)                                                   \
    do {                                                                                         \
        const type a = x1, b = x2, c = x3, e = x4;                                               \
        OUT(0, 4 * x0 - 5 * b + e);                                                               \
        OUT(1, -4 * (a + b) + c + e);                                                             \
        OUT(2, 4 * (a - b) - c + e);                                                              \
        OUT(3, 2 * (c - a) + e - b);                                                              \
        OUT(4, 2 * (a - c) + e - b);                                                              \
        OUT(5, 4 * a - 5 * c + x5);                                                               \
    } while (0)

// Half-transformed rows are read whole vectors of phases long: 4 phases of
// whole_lanes(blocksAcross + 1) floats.
static long input_row_stride(long blocksAcross) { return 4 * whole_lanes(blocksAcross + 1); }

long filmsr_winograd4_input_scratch(long width, long blocksAcross) {
    return 6 * input_row_stride(blocksAcross) + width + 4 * whole_lanes(blocksAcross + 1);
}

INLINE void winograd4_input(const float *channel, long height, long width, long padTop, long padLeft,
                            long firstBlockRow, long blockRows, long blocksAcross,
                            float *v, long positionStride, float *scratch, const float *following) {
    const long rowWidth = 4 * blocksAcross + 2, rowStride = input_row_stride(blocksAcross), plane = positionStride;
    const long phaseStride = whole_lanes(blocksAcross + 1);
    float *t = scratch, *zeros = scratch + 6 * rowStride, *phases = zeros + width;
    memset(zeros, 0, (size_t)width * sizeof(float));
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const float *d[6];
        long first, last;
        block_rows(channel, height, width, padLeft, 4 * by - padTop, 6, zeros, rowWidth, d, &first, &last);
        // B^T d: combine rows, straight from the input.
#define HALF_ROWS(j, value) STORE(t + (j) * rowStride + x, value)
        EACH_VECTOR(x, first, last,
            const vector x0 = LOAD(vector, d[0] + x), x1 = LOAD(vector, d[1] + x), x2 = LOAD(vector, d[2] + x), x3 = LOAD(vector, d[3] + x),
                        x4 = LOAD(vector, d[4] + x), x5 = LOAD(vector, d[5] + x);
            BT6(vector, x0, x1, x2, x3, x4, x5, HALF_ROWS);
        );
        zero_padding(t, 6, rowStride, first, last);
        // (.) B: combine columns 4bx .. 4bx + 5 of each half-transformed row, on the row's
        // columns split by x mod 4 (Phases.h): columns 4bx + 4 and 4bx + 5 are phases 0 and 1
        // at bx + 1.
        const long base = (by - firstBlockRow) * blocksAcross;
        for (int r = 0; r < 6; r++) {
            prefetch_plane_row(following, 4 * by - padTop + r, height, width);
            split_phases4(t + r * rowStride, phases, phaseStride);
            const float *p = phases;
            float *k = v + r * 6 * plane + base;
#define POSITIONS(c, value) STORE(k + (c) * plane + bx, value)
            EACH_VECTOR(bx, 0, blocksAcross,
                const vector x0 = LOAD(vector, p + bx), x1 = LOAD(vector, p + phaseStride + bx), x2 = LOAD(vector, p + 2 * phaseStride + bx),
                            x3 = LOAD(vector, p + 3 * phaseStride + bx), x4 = LOAD(vector, p + bx + 1),
                            x5 = LOAD(vector, p + phaseStride + bx + 1);
                BT6(vector, x0, x1, x2, x3, x4, x5, POSITIONS);
            );
        }
    }
}

// A^T applied to x0 .. x5 of `type`; OUT(j, value) stores result j (0 .. 3).
#define AT6(type, x0, x1, x2, x3, x4, x5, OUT)                                                   \
    do {                                                                                         \
        const type a = x1, b = x2, e = x3, f = x4;                                               \
        OUT(0, x0 + a + b + e + f);                                                               \
        OUT(1, a - b + 2 * (e - f));                                                              \
        OUT(2, a + b + 4 * (e + f));                                                              \
        OUT(3, a - b + 8 * (e - f) + x5);                                                         \
    } while (0)

long filmsr_winograd4_output_scratch(long blocksAcross) { return 32 * whole_lanes(blocksAcross); }

INLINE void winograd4_output(const float *m, long positionStride, long firstBlockRow, long blockRows,
                             long blocksAcross, long outputHeight, long outputWidth,
                             const filmsr_channel_target *target, float *scratch, float *following) {
    const long products = positionStride, blocksX = blocksAcross, n = whole_lanes(blocksAcross);
    float *half = scratch, *line = half + 24 * n, *phases = line + 4 * n;
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const long base = (by - firstBlockRow) * blocksX;
        // A^T (.) along y: half holds row r's 6 columns at (6 r + c) * n.
        for (int c = 0; c < 6; c++) {
            const float *s = m + c * products + base;
            float *h = half + c * n;
#define HALVES(r, value) STORE(h + (r) * 6 * n + bx, value)
            EACH_VECTOR(bx, 0, blocksX,
                const vector x0 = LOAD(vector, s + bx), x1 = LOAD(vector, s + 6 * products + bx), x2 = LOAD(vector, s + 12 * products + bx),
                            x3 = LOAD(vector, s + 18 * products + bx), x4 = LOAD(vector, s + 24 * products + bx),
                            x5 = LOAD(vector, s + 30 * products + bx);
                AT6(vector, x0, x1, x2, x3, x4, x5, HALVES);
            );
        }
        // (.) A along x, then the epilogue on the way out.
        const long rows = outputHeight - 4 * by < 4 ? outputHeight - 4 * by : 4;
        for (long r = 0; r < rows; r++) {
            const float *q = half + 6 * r * n;
#define PHASES(j, value) STORE(phases + (j) * n + bx, value)
            EACH_VECTOR(bx, 0, blocksX,
                const vector x0 = LOAD(vector, q + bx), x1 = LOAD(vector, q + n + bx), x2 = LOAD(vector, q + 2 * n + bx),
                            x3 = LOAD(vector, q + 3 * n + bx), x4 = LOAD(vector, q + 4 * n + bx), x5 = LOAD(vector, q + 5 * n + bx);
                AT6(vector, x0, x1, x2, x3, x4, x5, PHASES);
            );
            prefetch_target_row(following, target, 4 * by + r, outputWidth);
            merge_phases4(phases, line, n);
            store_target_row(line, target, 4 * by + r, outputWidth);
        }
    }
}

KERNEL(winograd4_input,
       (const float *channel, long height, long width, long padTop, long padLeft, long firstBlockRow, long blockRows, long blocksAcross, float *v, long positionStride, float *scratch, const float *following),
       (channel, height, width, padTop, padLeft, firstBlockRow, blockRows, blocksAcross, v, positionStride, scratch, following))
KERNEL(winograd4_output,
       (const float *m, long positionStride, long firstBlockRow, long blockRows, long blocksAcross, long outputHeight, long outputWidth, const filmsr_channel_target *target, float *scratch, float *following),
       (m, positionStride, firstBlockRow, blockRows, blocksAcross, outputHeight, outputWidth, target, scratch, following))
KERNEL(channel_epilogue,
       (const float *source, float *target, long count, float bias, float slope, int accumulate),
       (source, target, count, bias, slope, accumulate))
