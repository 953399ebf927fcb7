#ifndef FILMSR_CKERNELS_H
#define FILMSR_CKERNELS_H

// The engine's element-wise hot loops, written in C so that each is compiled for several x86
// levels (AVX-512, AVX2, baseline) and the best one this CPU runs is chosen when the library
// loads; Swift compiles for baseline x86-64 only. Layouts are documented in Winograd.swift.

/// V = B^T d B, F(4x4, 3x3), for block rows [firstBlockRow, firstBlockRow + blockRows) of one
/// channel plane (height x width, read with padTop rows and padLeft columns of zeros before
/// it): position k of block (by, bx) goes to v[k * positionStride + (by - firstBlockRow) *
/// blocksAcross + bx]. `scratch` holds filmsr_winograd4_input_scratch(width, blocksAcross)
/// floats. `following`, when not NULL, is the plane the caller transforms next: its rows for
/// these block rows are prefetched while this one computes (no result changes).
void filmsr_winograd4_input(const float *channel, long height, long width, long padTop, long padLeft,
                            long firstBlockRow, long blockRows, long blocksAcross,
                            float *v, long positionStride, float *scratch, const float *following);
long filmsr_winograd4_input_scratch(long width, long blocksAcross);

/// Where an output transform puts one output channel, and what it does on the way: value v at
/// (y, x) becomes v + bias, then slope * that where negative (slope 1: unchanged), then that plus
/// addend[y * addendRowStride + x] where addend is not NULL, and is stored at plane[y * rowStride
/// + x * columnStride]; with `accumulate` it is added there instead (no slope, no addend then).
/// A channel of its own plane has rowStride = the output width and columnStride = 1. A pixel
/// shuffle by r folded in puts channel c r^2 + dy r + dx at offset (dy, dx) of each r x r block
/// of plane c (plane = that plane + dy r width + dx, rowStride r^2 width, columnStride r), and
/// the addend is then the network's input, whose nearest upsampling by r is added.
typedef struct {
    float *plane;
    long rowStride, columnStride;
    float bias, slope;
    int accumulate;
    const float *addend;
    long addendRowStride;
} filmsr_channel_target;

/// y = A^T M A for one output channel over block rows [firstBlockRow, firstBlockRow +
/// blockRows): position k's products of block (by, bx) at m[k * positionStride + (by -
/// firstBlockRow) * blocksAcross + bx], stored as `target` says. `scratch` holds
/// filmsr_winograd4_output_scratch(blocksAcross) floats. `following`, when not NULL, is where
/// the caller writes its next channel (strided as target's plane): its rows are prefetched for
/// writing.
void filmsr_winograd4_output(const float *m, long positionStride, long firstBlockRow, long blockRows,
                             long blocksAcross, long outputHeight, long outputWidth,
                             const filmsr_channel_target *target, float *scratch, float *following);
long filmsr_winograd4_output_scratch(long blocksAcross);

/// The same for F(6x6, 3x3): 8x8 input blocks, 64 positions, 6x6 output blocks (Winograd6.c).
void filmsr_winograd6_input(const float *channel, long height, long width, long padTop, long padLeft,
                            long firstBlockRow, long blockRows, long blocksAcross,
                            float *v, long positionStride, float *scratch, const float *following);
long filmsr_winograd6_input_scratch(long width, long blocksAcross);
long filmsr_winograd6_output_scratch(long blocksAcross);
void filmsr_winograd6_output(const float *m, long positionStride, long firstBlockRow, long blockRows,
                             long blocksAcross, long outputHeight, long outputWidth,
                             const filmsr_channel_target *target, float *scratch, float *following);

/// U = G g G^T of F(6x6, 3x3) for output channels [firstOutput, firstOutput + outputCount) of
/// weights (outputs, inputs, 3, 3): position k's matrix (outputs x inputs) at u + k * outputs *
/// inputs. `gathered` holds 64 * inputs floats.
void filmsr_winograd6_filters(const float *weights, long outputs, long inputs, long firstOutput, long outputCount,
                              float *u, float *gathered);

/// target[i] = source[i] + bias, then slope * that where negative (slope 1: unchanged); with
/// `accumulate`, target[i] += source[i] + bias. target may be source.
void filmsr_channel_epilogue(const float *source, float *target, long count, float bias, float slope, int accumulate);

/// The same kernels built for baseline x86-64 alone (no dispatch): the reference that tests hold
/// the dispatched ones to, bit for bit (no fused multiply-adds anywhere, so no clone rounds
/// differently).
void filmsr_winograd4_input_reference(const float *channel, long height, long width, long padTop, long padLeft,
                                      long firstBlockRow, long blockRows, long blocksAcross,
                                      float *v, long positionStride, float *scratch, const float *following);
void filmsr_winograd4_output_reference(const float *m, long positionStride, long firstBlockRow, long blockRows,
                                       long blocksAcross, long outputHeight, long outputWidth,
                                       const filmsr_channel_target *target, float *scratch, float *following);
void filmsr_winograd6_input_reference(const float *channel, long height, long width, long padTop, long padLeft,
                                      long firstBlockRow, long blockRows, long blocksAcross,
                                      float *v, long positionStride, float *scratch, const float *following);
void filmsr_winograd6_output_reference(const float *m, long positionStride, long firstBlockRow, long blockRows,
                                       long blocksAcross, long outputHeight, long outputWidth,
                                       const filmsr_channel_target *target, float *scratch, float *following);
void filmsr_winograd6_filters_reference(const float *weights, long outputs, long inputs, long firstOutput, long outputCount,
                                        float *u, float *gathered);
void filmsr_channel_epilogue_reference(const float *source, float *target, long count, float bias, float slope, int accumulate);

#endif
