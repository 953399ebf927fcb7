import Foundation
import XCTest

@testable import Media

/// Transcodes and segmented renders process frame n on a thread of their own while frame n + 1
/// is decoded and frame n - 1 encoded (FrameProcessingThread). The processor must still see every
/// frame once, in order, never two at once, and each picture must land on its own frame.
final class OverlappedProcessingTests: XCTestCase {
    /// Paints frame k flat grey at a level of its own, taking an uneven time over it, and records
    /// the calls.
    final class Painter: FrameProcessor, @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var order: [Int] = []
        private(set) var mostAtOnce = 0
        private(set) var ranOnCallingThread = false
        let callingThread = Thread.current

        static func level(_ index: Int) -> Float { Float(16 + 12 * (index % 18)) / 255 }

        func outputSize(width: Int, height: Int) -> (width: Int, height: Int) { (width, height) }

        func process(_ frame: DecodedFrame) -> RGBImage {
            lock.withLock {
                running += 1
                mostAtOnce = max(mostAtOnce, running)
                order.append(frame.index)
                if Thread.current == callingThread { ranOnCallingThread = true }
            }
            usleep(UInt32(frame.index * 7 % 5) * 4000)
            let image = RGBImage(
                width: frame.image.width, height: frame.image.height,
                pixels: [Float](repeating: Self.level(frame.index), count: frame.image.pixels.count))
            lock.withLock { running -= 1 }
            return image
        }
    }

    private func source(_ directory: String) throws -> String {
        let path = directory + "/bars.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=0.8", "-c:v", "ffv1", path])
        return path
    }

    /// Every frame of `path` decoded back carries the level painted for its index.
    private func assertPainted(_ path: String, frames: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let reader = try VideoFrameReader(path: path)
        var count = 0
        while let frame = try reader.next() {
            let mean = frame.image.pixels.reduce(0, +) / Float(frame.image.pixels.count)
            XCTAssertEqual(mean, Painter.level(frame.index), accuracy: 2.0 / 255, "frame \(frame.index)", file: file, line: line)
            count += 1
        }
        XCTAssertEqual(count, frames, file: file, line: line)
    }

    private func assertCalls(_ painter: Painter, frames: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(painter.order, Array(0..<frames), "every frame once, in order", file: file, line: line)
        XCTAssertEqual(painter.mostAtOnce, 1, "one frame at a time", file: file, line: line)
        XCTAssertFalse(painter.ranOnCallingThread, "processing runs beside decoding and encoding", file: file, line: line)
    }

    func testATranscodeProcessesBesideDecodingAndEncoding() throws {
        let directory = try temporaryDirectory()
        let input = try source(directory), output = directory + "/painted.mkv"
        let painter = Painter()
        let lossless = TranscodeOptions(encoder: EncoderSettings(codec: .ffv1))
        let summary = try Transcoder.transcode(input: input, output: output, options: lossless, processor: painter)
        XCTAssertEqual(summary.frames, 20)
        assertCalls(painter, frames: 20)
        try assertPainted(output, frames: 20)
    }

    func testASegmentedRenderEncodesEachFrameIntoItsOwnSegment() throws {
        let directory = try temporaryDirectory()
        let input = try source(directory), output = directory + "/painted.mkv"
        let painter = Painter()
        let render = try SegmentedRender(
            input: input, output: output, folder: output + ".segments",
            segments: [0..<7, 7..<8, 8..<20], options: TranscodeOptions(encoder: EncoderSettings(codec: .ffv1)))
        XCTAssertEqual(try render.render(processor: painter), 20)
        assertCalls(painter, frames: 20)
        try render.join()
        try assertPainted(output, frames: 20)
    }
}
