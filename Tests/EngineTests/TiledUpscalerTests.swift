import XCTest
@testable import Engine

final class TiledUpscalerTests: XCTestCase {
    /// A 128x128 photograph cut into tiles of at most 48 pixels (9 tiles of 42 or 43) gives the
    /// same picture as one pass over the whole.
    private func assertTilesAgree(_ name: String, overlap: Int, size: Int = 128, tile: Int = 48) throws {
        let model = try SRModelSpec.named(name).load(from: modelsDirectory)
        let still = try rawRGB(repositoryRoot + "/samples/still.png", width: 128, height: 128)
        let image = Tensor(Shape(1, 3, size, size))
        for c in 0..<3 { for y in 0..<size { for x in 0..<size { image[0, c, y, x] = still[0, c, y, x] } } }
        let whole = try model.upscale(image)
        let tiled = try TiledUpscaler(model: model, tileSize: tile, overlap: overlap).upscale(image)
        let psnr = Metrics.psnr(whole, tiled)
        print("tiled \(name), overlap \(overlap): PSNR \(String(format: "%.1f", psnr)) dB against untiled")
        XCTAssertGreaterThanOrEqual(psnr, 50)
    }

    func testCompactTilesAgreeWithTheWholeFrame() throws {
        try assertTilesAgree("compact-x4", overlap: 16)
    }

    func testX2TilesAgreeWithTheWholeFrame() throws {
        try assertTilesAgree("compact-x2", overlap: 16)
    }

    func testRRDBNetTilesAgreeWithTheWholeFrame() throws {
        // RRDBNet sees much further than the compact net; a small frame keeps the test quick.
        try assertTilesAgree("x4plus", overlap: 32, size: 96, tile: 32)
    }

    func testTilesAreCutEvenlyAndNoLargerThanAsked() {
        XCTAssertEqual(TiledUpscaler.spans(720, atMost: 200), [0..<180, 180..<360, 360..<540, 540..<720])
        XCTAssertEqual(TiledUpscaler.spans(480, atMost: 192), [0..<160, 160..<320, 320..<480])
        XCTAssertEqual(TiledUpscaler.spans(53, atMost: 16), [0..<13, 13..<26, 26..<39, 39..<53])
        XCTAssertEqual(TiledUpscaler.spans(100, atMost: 100), [0..<100])
        XCTAssertEqual(TiledUpscaler.spans(7, atMost: 192), [0..<7])
        for length in 1...300 {
            for size in [1, 7, 16, 48, 192] {
                let spans = TiledUpscaler.spans(length, atMost: size)
                XCTAssertEqual(spans.count, (length + size - 1) / size)
                XCTAssertEqual(spans.first?.lowerBound, 0)
                XCTAssertEqual(spans.last?.upperBound, length)
                XCTAssertTrue(zip(spans, spans.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                XCTAssertTrue(spans.allSatisfy { $0.count <= size && $0.count >= spans[0].count - 1 && !$0.isEmpty }, "\(length) in \(size)s: \(spans)")
            }
        }
    }

    func testEachTileIsCopiedToItsPlace() throws {
        // A model made of one nearest x2 upsampling: tiling must be exact, edges included.
        let graph = Graph()
        let input = graph.addInput("data")
        graph.outputBlobs = [graph.add(Resize(.nearest, .scale(2)), name: "up", input)]
        let model = SRModel(name: "nearest", scale: 2, graph: graph)
        var generator = SeededGenerator(seed: 5)
        let image = randomTensor(Shape(1, 3, 37, 53), &generator)
        let tiled = try TiledUpscaler(model: model, tileSize: 16, overlap: 3).upscale(image)
        XCTAssertEqual(tiled.values, try model.upscale(image).values)
    }

    /// With two threads, tiles run side by side on copies of the network: the picture is bit for
    /// bit what one thread gives, also after other weights are loaded into the model (as a
    /// restore does between scenes), which the copies must follow.
    func testTilesSideBySideGiveWhatOneThreadGives() throws {
        let model = try SRModelSpec.named("compact-x4").load(from: modelsDirectory)
        var generator = SeededGenerator(seed: 9)
        let image = randomTensor(Shape(1, 3, 40, 56), &generator)
        let upscaler = TiledUpscaler(model: model, tileSize: 16, overlap: 8)
        let threads = BLASRuntime.threadCount
        defer { BLASRuntime.setThreadCount(threads) }
        BLASRuntime.setThreadCount(2)
        guard BLASRuntime.threadCount == 2 else { throw XCTSkip("OpenBLAS runs one thread here") }
        func upscaled(threads: Int) throws -> [Float] {
            BLASRuntime.setThreadCount(threads)
            return try upscaler.upscale(image).values
        }
        let pretrained = try upscaled(threads: 1)
        XCTAssertEqual(try upscaled(threads: 2), pretrained)
        for parameter in model.graph.parameters {
            parameter.value.copy(from: Tensor(parameter.shape, values: parameter.value.values.map { $0 * 0.9 }))
        }
        let changed = try upscaled(threads: 2)
        XCTAssertEqual(changed, try upscaled(threads: 1))
        XCTAssertNotEqual(changed, pretrained, "the new weights change the picture")
    }
}
