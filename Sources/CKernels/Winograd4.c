#include "CKernels.h"
#include "Phases.h"

#include <string.h>

// No fused multiply-adds: every clone rounds exactly as the baseline one does, so results do
// not depend on the CPU that runs them.
#pragma STDC FP_CONTRACT OFF

long filmsr_winograd4_input_scratch(long width, long blocksAcross) {
    return 6 * (4 * blocksAcross + 2) + width + 4 * (blocksAcross + 1);
}

INLINE void winograd4_input(const float *channel, long height, long width, long padTop, long padLeft,
                            long firstBlockRow, long blockRows, long blocksAcross,
                            float *v, long positionStride, float *scratch, const float *following) {
    const long rowWidth = 4 * blocksAcross + 2, plane = positionStride;
    float *zeros = scratch + 6 * rowWidth;
    const long phaseStride = blocksAcross + 1;
    float *phases = zeros + width;
    memset(zeros, 0, (size_t)width * sizeof(float));
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const float *d[6];
        long first, last;
        block_rows(channel, height, width, padLeft, 4 * by - padTop, 6, zeros, rowWidth, d, &first, &last);
        float *t0 = scratch, *t1 = t0 + rowWidth, *t2 = t1 + rowWidth, *t3 = t2 + rowWidth, *t4 = t3 + rowWidth,
              *t5 = t4 + rowWidth;
        // B^T d: combine rows, straight from the input.
        const float *restrict d0 = d[0], *restrict d1 = d[1], *restrict d2 = d[2], *restrict d3 = d[3],
                    *restrict d4 = d[4], *restrict d5 = d[5];
        for (long x = first; x < last; x++) {
            const float a = d1[x], b = d2[x], c = d3[x], e = d4[x];
            t0[x] = 4 * d0[x] - 5 * b + e;
            t1[x] = -4 * (a + b) + c + e;
            t2[x] = 4 * (a - b) - c + e;
            t3[x] = 2 * (c - a) + e - b;
            t4[x] = 2 * (a - c) + e - b;
            t5[x] = 4 * a - 5 * c + d5[x];
        }
        zero_padding(scratch, 6, rowWidth, first, last);
        if (following)
            for (int r = 0; r < 6; r++) {
                const long y = 4 * by - padTop + r;
                if (y >= 0 && y < height) prefetch_row(following + y * width, width, 0);
            }
        // (.) B: combine columns 4bx .. 4bx + 5 of each half-transformed row, on the row's
        // columns split by x mod 4 (Phases.h): columns 4bx + 4 and 4bx + 5 are phases 0 and 1
        // at bx + 1.
        const long base = (by - firstBlockRow) * blocksAcross;
        for (int r = 0; r < 6; r++) {
            split_phases4(scratch + r * rowWidth, phases, blocksAcross + 1);
            const float *restrict p0 = phases, *restrict p1 = p0 + phaseStride, *restrict p2 = p1 + phaseStride,
                        *restrict p3 = p2 + phaseStride;
            float *k = v + r * 6 * plane + base;
            float *restrict k0 = k, *restrict k1 = k + plane, *restrict k2 = k + 2 * plane, *restrict k3 = k + 3 * plane,
                  *restrict k4 = k + 4 * plane, *restrict k5 = k + 5 * plane;
            for (long bx = 0; bx < blocksAcross; bx++) {
                const float a = p1[bx], b = p2[bx], c = p3[bx], e = p0[bx + 1];
                k0[bx] = 4 * p0[bx] - 5 * b + e;
                k1[bx] = -4 * (a + b) + c + e;
                k2[bx] = 4 * (a - b) - c + e;
                k3[bx] = 2 * (c - a) + e - b;
                k4[bx] = 2 * (a - c) + e - b;
                k5[bx] = 4 * a - 5 * c + p1[bx + 1];
            }
        }
    }
}

// A^T applied to (m0 .. m5) read at [i]; results to o0 .. o3 at [i].
#define AT6(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3, i)                 \
    do {                                                               \
        const float a = m1[i], b = m2[i], e = m3[i], f = m4[i];        \
        o0[i] = m0[i] + a + b + e + f;                                 \
        o1[i] = a - b + 2 * (e - f);                                   \
        o2[i] = a + b + 4 * (e + f);                                   \
        o3[i] = a - b + 8 * (e - f) + m5[i];                           \
    } while (0)

INLINE void winograd4_output(const float *m, long positionStride, long firstBlockRow, long blockRows,
                             long blocksAcross, long outputHeight, long outputWidth,
                             float bias, float slope, int accumulate, float *channel, float *scratch, float *following) {
    const long products = positionStride, blocksX = blocksAcross;
    float *half = scratch, *line = half + 24 * blocksX, *phases = line + 4 * blocksX;
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const long base = (by - firstBlockRow) * blocksX;
        // A^T (.) along y: half holds row r's 6 columns at (6 r + c) * blocksX.
        for (int c = 0; c < 6; c++) {
            const float *s = m + c * products + base;
            const float *restrict s0 = s, *restrict s1 = s + 6 * products, *restrict s2 = s + 12 * products,
                        *restrict s3 = s + 18 * products, *restrict s4 = s + 24 * products, *restrict s5 = s + 30 * products;
            float *restrict p0 = half + c * blocksX, *restrict p1 = half + (6 + c) * blocksX,
                  *restrict p2 = half + (12 + c) * blocksX, *restrict p3 = half + (18 + c) * blocksX;
            for (long bx = 0; bx < blocksX; bx++) AT6(s0, s1, s2, s3, s4, s5, p0, p1, p2, p3, bx);
        }
        // (.) A along x, then the epilogue on the way out.
        const long rows = outputHeight - 4 * by < 4 ? outputHeight - 4 * by : 4;
        for (long r = 0; r < rows; r++) {
            const float *h = half + 6 * r * blocksX;
            const float *restrict q0 = h, *restrict q1 = h + blocksX, *restrict q2 = h + 2 * blocksX,
                        *restrict q3 = h + 3 * blocksX, *restrict q4 = h + 4 * blocksX, *restrict q5 = h + 5 * blocksX;
            float *restrict o0 = phases, *restrict o1 = o0 + blocksX, *restrict o2 = o1 + blocksX, *restrict o3 = o2 + blocksX;
            for (long bx = 0; bx < blocksX; bx++) AT6(q0, q1, q2, q3, q4, q5, o0, o1, o2, o3, bx);
            if (following) prefetch_row(following + (4 * by + r) * outputWidth, outputWidth, 1);
            merge_phases4(phases, line, blocksX);
            channel_epilogue(line, channel + (4 * by + r) * outputWidth, outputWidth, bias, slope, accumulate);
        }
    }
}

KERNEL(winograd4_input,
       (const float *channel, long height, long width, long padTop, long padLeft, long firstBlockRow, long blockRows, long blocksAcross, float *v, long positionStride, float *scratch, const float *following),
       (channel, height, width, padTop, padLeft, firstBlockRow, blockRows, blocksAcross, v, positionStride, scratch, following))
KERNEL(winograd4_output,
       (const float *m, long positionStride, long firstBlockRow, long blockRows, long blocksAcross, long outputHeight, long outputWidth, float bias, float slope, int accumulate, float *channel, float *scratch, float *following),
       (m, positionStride, firstBlockRow, blockRows, blocksAcross, outputHeight, outputWidth, bias, slope, accumulate, channel, scratch, following))
KERNEL(channel_epilogue,
       (const float *source, float *target, long count, float bias, float slope, int accumulate),
       (source, target, count, bias, slope, accumulate))
