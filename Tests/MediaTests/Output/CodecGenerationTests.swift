import XCTest
@testable import Media

final class CodecGenerationTests: XCTestCase {
    private func psnr(_ a: [RGBImage], _ b: [RGBImage]) -> Double {
        var sum = 0.0, count = 0
        for (x, y) in zip(a, b) {
            for (p, q) in zip(x.pixels, y.pixels) { sum += Double(p - q) * Double(p - q) }
            count += x.pixels.count
        }
        return 10 * log10(Double(count) / sum)
    }

    func testMPEG2AndH264GenerationsKeepEveryFrameAndLoseMoreAtLowerRates() throws {
        let frames = Array(try decodeAll(samplePath("reel_old.mp4")).prefix(12).map(\.image))
        let generous = try CodecGeneration.apply(frames, settings: EncoderSettings(codec: .mpeg2, options: ["b": "2000k"]))
        let starved = try CodecGeneration.apply(frames, settings: EncoderSettings(codec: .mpeg2, options: ["b": "150k"]))
        XCTAssertEqual(generous.count, 12)
        XCTAssertEqual(generous[0].width, 192)
        let (good, bad) = (psnr(frames, generous), psnr(frames, starved))
        print(String(format: "MPEG-2 generation: %.1f dB at 2 Mb/s, %.1f dB at 150 kb/s", good, bad))
        XCTAssertGreaterThan(good, bad + 2)
        let h264 = try CodecGeneration.apply(frames, settings: EncoderSettings(codec: .h264, crf: 35, preset: "ultrafast"))
        XCTAssertEqual(h264.count, 12)
        XCTAssertLessThan(psnr(frames, h264), 60)
    }
}
