#ifndef FILMSR_CKERNELS_PHASES_H
#define FILMSR_CKERNELS_PHASES_H

#include "CKernels.h"

#include <string.h>

// What the Winograd transforms share, inlined into each clone of their callers.

#if defined(__x86_64__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif
#define INLINE static inline __attribute__((always_inline))

// The exported kernel filmsr_NAME (CLONES: as the CPU chooses) and filmsr_NAME_reference, the
// same body built for baseline x86-64 alone, which the tests hold every clone to, bit for bit.
#define KERNEL(name, parameters, arguments)          \
    CLONES void filmsr_##name parameters { name arguments; } \
    void filmsr_##name##_reference parameters { name arguments; }

// Sixteen floats (or eight) that the arithmetic treats as one value: each clone compiles them to
// what its CPU has (AVX-512, AVX2 or SSE registers), lane by lane the same rounding.
#define LANES 16
typedef float lanes __attribute__((vector_size(LANES * sizeof(float))));
typedef float half_lanes __attribute__((vector_size(LANES / 2 * sizeof(float))));

// A vector of `type` from unaligned memory, and back.
#define LOAD(type, source) ({ type loaded_; memcpy(&loaded_, (source), sizeof loaded_); loaded_; })
#define STORE(target, value) do { const __typeof__(value) stored_ = (value); memcpy((target), &stored_, sizeof stored_); } while (0)

// `count` rounded up to whole 8-lane vectors: the stride of rows that vectors walk (no vector
// reaches past a row's end) and that the phase splits and merges run over without a remainder.
INLINE long whole_lanes(long count) { return (count + LANES / 2 - 1) / (LANES / 2) * (LANES / 2); }

// Runs the statements after `end` for each start i of a vector over [begin, end), the type
// `vector` naming the vector's type: 16 lanes at a time, then what is left as vectors of 16 or
// 8 lanes, the last ending at `end` and overlapping the one before it; rows shorter than 8, one
// float at a time. No scalar remainder (rows are short: 37 blocks of a 220-pixel tile, 12 of a
// 48-pixel patch), and lanes computed twice get the same values.
#define EACH_VECTOR(i, begin, end, ...)                                                         \
    do {                                                                                        \
        long i = (begin);                                                                       \
        if ((end) - i < LANES / 2) {                                                            \
            for (; i < (end); i++) { typedef float vector; __VA_ARGS__ }                        \
            break;                                                                              \
        }                                                                                       \
        for (; i + LANES <= (end); i += LANES) { typedef lanes vector; __VA_ARGS__ }            \
        if ((end) - i > LANES / 2 && (end) - (begin) >= LANES) {                                \
            i = (end) - LANES;                                                                  \
            typedef lanes vector;                                                               \
            __VA_ARGS__                                                                         \
        } else {                                                                                \
            if ((end) - i > LANES / 2) { typedef half_lanes vector; __VA_ARGS__ }               \
            if (i < (end)) { i = (end) - LANES / 2; typedef half_lanes vector; __VA_ARGS__ }    \
        }                                                                                       \
    } while (0)

// A block row's input rows: rows[r] is input row firstRow + r read from column -padLeft on, a
// row of zeros (`zeros`, width long) where that row is padding. Returns, through first and last,
// the padded columns [first, last) of a row of rowWidth that lie inside the input.
INLINE void block_rows(const float *channel, long height, long width, long padLeft, long firstRow, int count,
                       const float *zeros, long rowWidth, const float **rows, long *first, long *last) {
    for (int r = 0; r < count; r++) {
        const long y = firstRow + r;
        rows[r] = (y >= 0 && y < height ? channel + y * width : zeros) - padLeft;
    }
    *first = padLeft < rowWidth ? padLeft : rowWidth;
    *last = width + padLeft < rowWidth ? width + padLeft : rowWidth;
    if (*last < *first) *last = *first;
}

// Asks for `count` floats from `start` to be brought into L2 (for writing with `forWriting`): the
// plane that the caller's next call reads or writes, while this one computes. A layer's planes
// outgrow L2, and each call touches only a few short rows of its plane, too short for the
// hardware's prefetcher to catch up; waiting on them cost the transforms a third of their time.
// Prefetching changes no result.
INLINE void prefetch_row(const float *start, long count, int forWriting) {
    const char *bytes = (const char *)start;
    for (long offset = 0; offset < count * (long)sizeof(float); offset += 64) {
        if (forWriting) __builtin_prefetch(bytes + offset, 1, 1);
        else __builtin_prefetch(bytes + offset, 0, 1);
    }
}

// Prefetches row y of `plane` (height x width) for reading, where there is one: the following
// plane's rows are fetched a row at a time, while the current plane's rows are combined (all at
// once would fill the core's queue of misses and stall it).
INLINE void prefetch_plane_row(const float *plane, long y, long height, long width) {
    if (plane && y >= 0 && y < height) prefetch_row(plane + y * width, width, 0);
}

// Zeros in the padded columns (outside [first, last)) of `count` rows of rowWidth.
INLINE void zero_padding(float *rows, int count, long rowWidth, long first, long last) {
    if (first == 0 && last == rowWidth) return;
    for (int r = 0; r < count; r++) {
        memset(rows + r * rowWidth, 0, (size_t)first * sizeof(float));
        memset(rows + r * rowWidth + last, 0, (size_t)(rowWidth - last) * sizeof(float));
    }
}

// A row split by column mod N: phases[j * count + i] = row[N i + j]. Reading with a stride in
// the arithmetic leaves the compiler scalar; a whole interleaved group it vectorizes with
// permutes, and the arithmetic then runs in unit steps.
INLINE void split_phases4(const float *restrict row, float *restrict phases, long count) {
    float *restrict p0 = phases, *restrict p1 = p0 + count, *restrict p2 = p1 + count, *restrict p3 = p2 + count;
    for (long i = 0; i < count; i++) {
        p0[i] = row[4 * i];
        p1[i] = row[4 * i + 1];
        p2[i] = row[4 * i + 2];
        p3[i] = row[4 * i + 3];
    }
}

INLINE void split_phases6(const float *restrict row, float *restrict phases, long count) {
    float *restrict p0 = phases, *restrict p1 = p0 + count, *restrict p2 = p1 + count, *restrict p3 = p2 + count,
                    *restrict p4 = p3 + count, *restrict p5 = p4 + count;
    for (long i = 0; i < count; i++) {
        p0[i] = row[6 * i];
        p1[i] = row[6 * i + 1];
        p2[i] = row[6 * i + 2];
        p3[i] = row[6 * i + 3];
        p4[i] = row[6 * i + 4];
        p5[i] = row[6 * i + 5];
    }
}

// The inverse: row[N i + j] = phases[j * count + i].
INLINE void merge_phases4(const float *restrict phases, float *restrict row, long count) {
    const float *restrict p0 = phases, *restrict p1 = p0 + count, *restrict p2 = p1 + count, *restrict p3 = p2 + count;
    for (long i = 0; i < count; i++) {
        row[4 * i] = p0[i];
        row[4 * i + 1] = p1[i];
        row[4 * i + 2] = p2[i];
        row[4 * i + 3] = p3[i];
    }
}

INLINE void merge_phases6(const float *restrict phases, float *restrict row, long count) {
    const float *restrict p0 = phases, *restrict p1 = p0 + count, *restrict p2 = p1 + count, *restrict p3 = p2 + count,
                          *restrict p4 = p3 + count, *restrict p5 = p4 + count;
    for (long i = 0; i < count; i++) {
        row[6 * i] = p0[i];
        row[6 * i + 1] = p1[i];
        row[6 * i + 2] = p2[i];
        row[6 * i + 3] = p3[i];
        row[6 * i + 4] = p4[i];
        row[6 * i + 5] = p5[i];
    }
}

// target[i] = source[i] + bias, negatives times slope (1: unchanged); or, accumulating,
// target[i] += source[i] + bias. target may be source.
INLINE void channel_epilogue(const float *source, float *target, long count, float bias, float slope, int accumulate) {
    if (accumulate) {
        for (long i = 0; i < count; i++) target[i] += source[i] + bias;
    } else if (slope != 1) {
        for (long i = 0; i < count; i++) {
            const float value = source[i] + bias;
            target[i] = value > 0 ? value : slope * value;
        }
    } else {
        for (long i = 0; i < count; i++) target[i] = source[i] + bias;
    }
}

// Output row y of a channel, `width` values in `line`, stored as `target` says (CKernels.h). A
// channel of its own plane with nothing to add takes the plain epilogue above.
INLINE void store_target_row(const float *restrict line, const filmsr_channel_target *target, long y, long width) {
    float *restrict row = target->plane + y * target->rowStride;
    const long step = target->columnStride;
    if (step == 1 && !target->addend) {
        channel_epilogue(line, row, width, target->bias, target->slope, target->accumulate);
        return;
    }
    const float bias = target->bias, slope = target->slope;
    if (target->accumulate) {
        for (long x = 0; x < width; x++) row[x * step] += line[x] + bias;
        return;
    }
    const float *restrict addend = target->addend ? target->addend + y * target->addendRowStride : NULL;
    for (long x = 0; x < width; x++) {
        float value = line[x] + bias;
        if (slope != 1) value = value > 0 ? value : slope * value;
        row[x * step] = addend ? value + addend[x] : value;
    }
}

// Prefetches, for writing, row y of the channel the caller writes next (`following`, strided as
// target's plane), where there is one.
INLINE void prefetch_target_row(float *following, const filmsr_channel_target *target, long y, long width) {
    if (following) prefetch_row(following + y * target->rowStride, (width - 1) * target->columnStride + 1, 1);
}

#endif
