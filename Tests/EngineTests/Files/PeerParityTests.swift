import XCTest
@testable import Engine

/// The real Real-ESRGAN weights, read from their ncnn files, give what ncnn itself gives on the
/// same input (reference outputs from scripts/reference/ncnn_outputs.py, ncnn float32 CPU).
final class PeerParityTests: XCTestCase {
    /// `tile`: the Winograd algebra every 3x3 convolution is made to use (nil: chosen by size;
    /// the crops are small enough for F(4x4)).
    private func assertMatchesNCNN(_ name: String, tile: Winograd.Tile? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try PeerReference()
        let model = try SRModelSpec.named(name).load(from: modelsDirectory)
        for node in model.graph.nodes { (node.layer as? Convolution)?.winogradTile = tile }
        let output = try model.upscale(try reference.crop(for: name))
        let expected = try reference.output(for: name)
        XCTAssertEqual(output.shape, expected.shape, file: file, line: line)
        let psnr = Metrics.psnr(output, expected)
        print("parity \(name) \(tile.map { "\($0)" } ?? "by size"): PSNR \(String(format: "%.1f", psnr)) dB against ncnn")
        XCTAssertGreaterThanOrEqual(psnr, 50, file: file, line: line)
    }

    func testCompactX4MatchesNCNN() throws { try assertMatchesNCNN("compact-x4") }
    func testCompactX3MatchesNCNN() throws { try assertMatchesNCNN("compact-x3") }
    func testCompactX2MatchesNCNN() throws { try assertMatchesNCNN("compact-x2") }
    func testX4PlusMatchesNCNN() throws { try assertMatchesNCNN("x4plus") }
    /// F(6x6, 3x3), which large frames and tiles take, rounds more: it must still agree.
    func testCompactX4InF6MatchesNCNN() throws { try assertMatchesNCNN("compact-x4", tile: .six) }
    func testX4PlusInF6MatchesNCNN() throws { try assertMatchesNCNN("x4plus", tile: .six) }
}
