import CKernels
import XCTest

@testable import Engine

/// The C kernels run as the CPU chooses (AVX-512, AVX2 or baseline clones, CKernels/Phases.h);
/// each must give, bit for bit, what the same code built for baseline x86-64 alone gives, on
/// edges, padding, partial blocks, both epilogues and accumulation.
final class DispatchedKernelTests: XCTestCase {
    private func random(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
    }

    private func assertSameBits(_ a: [Float], _ b: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
        XCTAssertEqual(differing, 0, "\(what): \(differing) of \(a.count) values differ", file: file, line: line)
    }

    func testInputTransformsMatchTheBaselineBuild() {
        var generator = SeededGenerator(seed: 31)
        typealias Transform = (
            UnsafePointer<Float>?, Int, Int, Int, Int, Int, Int, Int, UnsafeMutablePointer<Float>?, Int,
            UnsafeMutablePointer<Float>?, UnsafePointer<Float>?
        ) -> Void
        let kernels: [(Winograd.Tile, Transform, Transform, (Int, Int) -> Int)] = [
            (.four, filmsr_winograd4_input, filmsr_winograd4_input_reference, filmsr_winograd4_input_scratch),
            (.six, filmsr_winograd6_input, filmsr_winograd6_input_reference, filmsr_winograd6_input_scratch)
        ]
        for (tile, dispatched, reference, scratchSize) in kernels {
            for (height, width, pad) in [(13, 23, 1), (40, 67, 1), (20, 131, 1), (12, 157, 1), (10, 46, 1), (9, 12, 1), (9, 8, 0), (3, 2, 1)] {
                let channel = random(height * width, &generator), following = random(height * width, &generator)
                let outputHeight = height + 2 * pad - 2, outputWidth = width + 2 * pad - 2
                let across = tile.blocks(along: outputWidth), down = tile.blocks(along: outputHeight)
                let first = down > 1 ? 1 : 0, rows = down - first
                let stride = rows * across
                func run(_ transform: Transform, prefetching: UnsafePointer<Float>?) -> [Float] {
                    var v = [Float](repeating: .nan, count: tile.positions * stride)
                    var scratch = [Float](repeating: 0, count: scratchSize(width, across))
                    transform(channel, height, width, pad, pad, first, rows, across, &v, stride, &scratch, prefetching)
                    return v
                }
                // The dispatched one also prefetches a following plane, which must change nothing.
                assertSameBits(run(dispatched, prefetching: following), run(reference, prefetching: nil),
                               "\(tile) input \(height)x\(width) pad \(pad)")
            }
        }
    }

    func testOutputTransformsAndEpiloguesMatchTheBaselineBuild() {
        var generator = SeededGenerator(seed: 32)
        typealias Transform = (
            UnsafePointer<Float>?, Int, Int, Int, Int, Int, Int, UnsafePointer<filmsr_channel_target>?,
            UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?
        ) -> Void
        let kernels: [(Winograd.Tile, Transform, Transform)] = [
            (.four, filmsr_winograd4_output, filmsr_winograd4_output_reference),
            (.six, filmsr_winograd6_output, filmsr_winograd6_output_reference)
        ]
        // Plain planes with each epilogue, then as the second of four channels shuffled by 2 (a
        // column stride of 2) with and without an addend, and with a slope.
        let stores: [(slope: Float, accumulate: Int32, shuffle: Int, adds: Bool)] = [
            (1, 0, 1, false), (0.2, 0, 1, false), (1, 1, 1, false), (1, 0, 2, true), (0.2, 0, 2, true), (1, 0, 2, false)
        ]
        for (tile, dispatched, reference) in kernels {
            for (height, width) in [(13, 23), (48, 67), (14, 131), (7, 157), (9, 46), (1, 5)] {
                for store in stores {
                    let across = tile.blocks(along: width), down = tile.blocks(along: height)
                    let stride = down * across
                    let r = store.shuffle, planeSize = r * r * height * width
                    let m = random(tile.positions * stride, &generator), start = random(planeSize, &generator)
                    let addend = random(height * width, &generator)
                    func run(_ transform: Transform) -> [Float] {
                        var plane = start, following = start
                        var scratch = [Float](repeating: 0, count: tile.outputScratch(blocksAcross: across))
                        plane.withUnsafeMutableBufferPointer { plane in
                            addend.withUnsafeBufferPointer { addend in
                                let origin = r == 1 ? 0 : 1
                                var target = filmsr_channel_target(
                                    plane: plane.baseAddress! + origin, rowStride: r * r * width, columnStride: r, bias: 0.25, slope: store.slope,
                                    accumulate: store.accumulate, addend: store.adds ? addend.baseAddress : nil, addendRowStride: width)
                                transform(m, stride, 0, down, across, height, width, &target, &scratch, &following)
                            }
                        }
                        XCTAssertEqual(following, start, "prefetching the following channel leaves it as it was")
                        return plane
                    }
                    assertSameBits(run(dispatched), run(reference), "\(tile) output \(height)x\(width) \(store)")
                }
            }
        }
        let source = random(1001, &generator)
        for (slope, accumulate): (Float, Int32) in [(1, 0), (0.1, 0), (1, 1)] {
            var a = random(1001, &generator), b = a
            filmsr_channel_epilogue(source, &a, 1001, -0.3, slope, accumulate)
            filmsr_channel_epilogue_reference(source, &b, 1001, -0.3, slope, accumulate)
            assertSameBits(a, b, "epilogue slope \(slope) accumulate \(accumulate)")
        }
    }

    func testFilterTransformMatchesTheBaselineBuild() {
        var generator = SeededGenerator(seed: 33)
        let outputs = 7, inputs = 5
        let weights = random(outputs * inputs * 9, &generator)
        func run(_ transform: (UnsafePointer<Float>?, Int, Int, Int, Int, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void)
            -> [Float]
        {
            var u = [Float](repeating: .nan, count: 64 * outputs * inputs)
            var gathered = [Float](repeating: 0, count: 64 * inputs)
            transform(weights, outputs, inputs, 0, outputs, &u, &gathered)
            return u
        }
        assertSameBits(run(filmsr_winograd6_filters), run(filmsr_winograd6_filters_reference), "F(6x6) filters")
    }
}
