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

// B^T applied to (d0 .. d7), each a pointer read at [i]; results to t0 .. t7 at [i].
#define BT8(d0, d1, d2, d3, d4, d5, d6, d7, t, i)                                                 \
    do {                                                                                         \
        const float x1 = d1, x2 = d2, x3 = d3, x4 = d4, x5 = d5, x6 = d6;                         \
        const float a12 = x2 + x6 - 4.25f * x4, b12 = x1 + x5 - 4.25f * x3;                       \
        const float a34 = 0.25f * x2 + x6 - 1.25f * x4, b34 = 0.5f * x1 - 2.5f * x3 + 2 * x5;    \
        const float a56 = 4 * x2 + x6 - 5 * x4, b56 = 2 * x1 - 2.5f * x3 + 0.5f * x5;            \
        t[0][i] = d0 - x6 + 5.25f * (x4 - x2);                                                    \
        t[1][i] = a12 + b12;                                                                      \
        t[2][i] = a12 - b12;                                                                      \
        t[3][i] = a34 + b34;                                                                      \
        t[4][i] = a34 - b34;                                                                      \
        t[5][i] = a56 + b56;                                                                      \
        t[6][i] = a56 - b56;                                                                      \
        t[7][i] = d7 - x1 + 5.25f * (x3 - x5);                                                    \
    } while (0)

long filmsr_winograd6_input_scratch(long width, long blocksAcross) {
    return 8 * (6 * blocksAcross + 2) + width + 6 * (blocksAcross + 1);
}

INLINE void winograd6_input(const float *channel, long height, long width, long padTop, long padLeft,
                            long firstBlockRow, long blockRows, long blocksAcross,
                            float *v, long positionStride, float *scratch, const float *following) {
    const long rowWidth = 6 * blocksAcross + 2, plane = positionStride, phaseStride = blocksAcross + 1;
    float *zeros = scratch + 8 * rowWidth, *phases = zeros + width;
    memset(zeros, 0, (size_t)width * sizeof(float));
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const float *d[8];
        long first, last;
        block_rows(channel, height, width, padLeft, 6 * by - padTop, 8, zeros, rowWidth, d, &first, &last);
        // B^T d: combine rows, straight from the input.
        float *restrict t[8];
        for (int r = 0; r < 8; r++) t[r] = scratch + r * rowWidth;
        const float *restrict d0 = d[0], *restrict d1 = d[1], *restrict d2 = d[2], *restrict d3 = d[3],
                    *restrict d4 = d[4], *restrict d5 = d[5], *restrict d6 = d[6], *restrict d7 = d[7];
        for (long x = first; x < last; x++) BT8(d0[x], d1[x], d2[x], d3[x], d4[x], d5[x], d6[x], d7[x], t, x);
        zero_padding(scratch, 8, rowWidth, first, last);
        if (following)
            for (int r = 0; r < 8; r++) {
                const long y = 6 * by - padTop + r;
                if (y >= 0 && y < height) prefetch_row(following + y * width, width, 0);
            }
        // (.) B along x, on the row's columns split by x mod 6 (Phases.h): columns 6bx + 6 and
        // 6bx + 7 are phases 0 and 1 at bx + 1.
        const long base = (by - firstBlockRow) * blocksAcross;
        for (int r = 0; r < 8; r++) {
            split_phases6(t[r], phases, phaseStride);
            const float *restrict p0 = phases, *restrict p1 = p0 + phaseStride, *restrict p2 = p1 + phaseStride,
                        *restrict p3 = p2 + phaseStride, *restrict p4 = p3 + phaseStride, *restrict p5 = p4 + phaseStride;
            float *restrict k[8];
            for (int c = 0; c < 8; c++) k[c] = v + (r * 8 + c) * plane + base;
            for (long bx = 0; bx < blocksAcross; bx++)
                BT8(p0[bx], p1[bx], p2[bx], p3[bx], p4[bx], p5[bx], p0[bx + 1], p1[bx + 1], k, bx);
        }
    }
}

// A^T applied to (m0 .. m7); results to o0 .. o5 at [i].
#define AT8(m0, m1, m2, m3, m4, m5, m6, m7, o, i)                                                 \
    do {                                                                                         \
        const float x1 = m1, x2 = m2, x3 = m3, x4 = m4, x5 = m5, x6 = m6;                         \
        const float a1 = x1 + x2, b1 = x1 - x2, a2 = x3 + x4, b2 = x3 - x4, a3 = x5 + x6, b3 = x5 - x6; \
        o[0][i] = m0 + a1 + a2 + a3;                                                              \
        o[1][i] = b1 + 2 * b2 + 0.5f * b3;                                                        \
        o[2][i] = a1 + 4 * a2 + 0.25f * a3;                                                       \
        o[3][i] = b1 + 8 * b2 + 0.125f * b3;                                                      \
        o[4][i] = a1 + 16 * a2 + 0.0625f * a3;                                                    \
        o[5][i] = b1 + 32 * b2 + 0.03125f * b3 + m7;                                              \
    } while (0)

INLINE void winograd6_output(const float *m, long positionStride, long firstBlockRow, long blockRows,
                             long blocksAcross, long outputHeight, long outputWidth,
                             float bias, float slope, int accumulate, float *channel, float *scratch, float *following) {
    const long products = positionStride, blocksX = blocksAcross;
    float *half = scratch, *line = half + 48 * blocksX, *phases = line + 6 * blocksX;
    for (long by = firstBlockRow; by < firstBlockRow + blockRows; by++) {
        const long base = (by - firstBlockRow) * blocksX;
        // A^T (.) along y: half holds row r's 8 columns at (8 r + c) * blocksX.
        for (int c = 0; c < 8; c++) {
            const float *restrict s[8];
            for (int i = 0; i < 8; i++) s[i] = m + (i * 8 + c) * products + base;
            float *restrict p[6];
            for (int r = 0; r < 6; r++) p[r] = half + (r * 8 + c) * blocksX;
            for (long bx = 0; bx < blocksX; bx++)
                AT8(s[0][bx], s[1][bx], s[2][bx], s[3][bx], s[4][bx], s[5][bx], s[6][bx], s[7][bx], p, bx);
        }
        // (.) A along x into the row's six phases, then the row put together and the epilogue.
        const long rows = outputHeight - 6 * by < 6 ? outputHeight - 6 * by : 6;
        for (long r = 0; r < rows; r++) {
            const float *restrict q[8];
            for (int c = 0; c < 8; c++) q[c] = half + (r * 8 + c) * blocksX;
            float *restrict o[6];
            for (int j = 0; j < 6; j++) o[j] = phases + j * blocksX;
            for (long bx = 0; bx < blocksX; bx++)
                AT8(q[0][bx], q[1][bx], q[2][bx], q[3][bx], q[4][bx], q[5][bx], q[6][bx], q[7][bx], o, bx);
            if (following) prefetch_row(following + (6 * by + r) * outputWidth, outputWidth, 1);
            merge_phases6(phases, line, blocksX);
            channel_epilogue(line, channel + (6 * by + r) * outputWidth, outputWidth, bias, slope, accumulate);
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
       (const float *m, long positionStride, long firstBlockRow, long blockRows, long blocksAcross, long outputHeight, long outputWidth, float bias, float slope, int accumulate, float *channel, float *scratch, float *following),
       (m, positionStride, firstBlockRow, blockRows, blocksAcross, outputHeight, outputWidth, bias, slope, accumulate, channel, scratch, following))
KERNEL(winograd6_filters,
       (const float *weights, long outputs, long inputs, long firstOutput, long outputCount, float *u, float *gathered),
       (weights, outputs, inputs, firstOutput, outputCount, u, gathered))
