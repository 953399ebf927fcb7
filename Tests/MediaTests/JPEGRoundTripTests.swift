import XCTest
@testable import Media

final class JPEGRoundTripTests: XCTestCase {
    private func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
        let mse = zip(a.pixels, b.pixels).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / Double(a.pixels.count)
        return 10 * log10(1 / mse)
    }

    func testLowerQualityLosesMore() throws {
        let still = try decodeAll(samplePath("still.png"))[0].image
        let scores = try [95, 75, 50, 30].map { psnr(still, try JPEGRoundTrip.apply(still, quality: $0)) }
        print("JPEG PSNR at quality 95/75/50/30:", scores.map { String(format: "%.1f", $0) })
        for (better, worse) in zip(scores, scores.dropFirst()) { XCTAssertGreaterThan(better, worse) }
        XCTAssertGreaterThan(scores[0], 35)
        XCTAssertLessThan(scores[3], scores[0] - 4)
    }

    func testOddSizesSurvive() throws {
        let odd = try decodeAll(samplePath("still_odd.png"))[0].image
        let out = try JPEGRoundTrip.apply(odd, quality: 60)
        XCTAssertEqual(out.width, 97)
        XCTAssertEqual(out.height, 61)
        XCTAssertGreaterThan(psnr(odd, out), 25)
    }

    func testMatchesTheFFmpegToolAtTheSameQuantiser() throws {
        // Quality 75 is qscale 4: the ffmpeg tool writing with -q:v 4 must give (nearly) the same picture.
        let directory = try temporaryDirectory()
        let jpeg = directory + "/still.jpg"
        try ffmpeg(["-i", samplePath("still.png"), "-q:v", "4", "-pix_fmt", "yuvj420p", jpeg])
        XCTAssertEqual(JPEGRoundTrip.qscale(forQuality: 75), 4)
        let theirs = try decodeAll(jpeg)[0].image
        let ours = try JPEGRoundTrip.apply(try decodeAll(samplePath("still.png"))[0].image, quality: 75)
        XCTAssertGreaterThan(psnr(theirs, ours), 40)
    }
}
