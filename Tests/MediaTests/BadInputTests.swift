import XCTest
@testable import Media

/// Every bad input gets a one-line error naming the file, the input is left as it was, and no
/// output (finished or temporary) is left behind.
final class BadInputTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try temporaryDirectory()
    }

    private func goodClip() throws -> String {
        let path = directory + "/good.mp4"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=1", "-c:v", "libx264", path])
        return path
    }

    /// Transcoding `input` fails with an error naming `named` and containing `phrase`; nothing is written.
    private func assertTranscodeFails(_ input: String, output: String? = nil, named: String? = nil, _ phrase: String,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let output = output ?? directory + "/out.mkv"
        let before = try sha256(input)
        let outputExisted = FileManager.default.fileExists(atPath: output)
        XCTAssertThrowsError(try Transcoder.transcode(input: input, output: output), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(named ?? input), "error does not start with the file: \(text)", file: file, line: line)
            XCTAssertTrue(text.contains(phrase), "expected '\(phrase)' in: \(text)", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), "error is more than one line: \(text)", file: file, line: line)
        }
        XCTAssertEqual(try sha256(input), before, "the input was modified", file: file, line: line)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("filmsr-tmp") }
        XCTAssertEqual(leftovers, [], "temporary files left behind", file: file, line: line)
        if !outputExisted {
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "an output was written", file: file, line: line)
        }
    }

    func testAFileThatIsNotMedia() throws {
        let path = directory + "/notes.mp4"
        try String(repeating: "These are a restorer's notes, not a film.\n", count: 50).write(toFile: path, atomically: true, encoding: .utf8)
        try assertTranscodeFails(path, "not a media file")
        XCTAssertThrowsError(try MediaProbe.probe(path))
    }

    func testATruncatedFile() throws {
        let path = directory + "/truncated.mp4"
        let whole = try Data(contentsOf: URL(fileURLWithPath: try goodClip()))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        try assertTranscodeFails(path, "not a media file")
    }

    func testAFileWithoutVideo() throws {
        let path = directory + "/sound.m4a"
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path])
        try assertTranscodeFails(path, "has no video stream")
        XCTAssertThrowsError(try MediaProbe.probe(path)) { XCTAssertTrue("\($0)".contains("has no video stream")) }
    }

    func testAVideoCodecWithoutDecoder() throws {
        // An MP4 whose video sample entry names a codec nobody knows.
        let path = directory + "/unknown-codec.mp4"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: try goodClip()))
        let sampleDescription = try XCTUnwrap(bytes.range(of: Data("stsd".utf8)))
        let range = try XCTUnwrap(bytes.range(of: Data("avc1".utf8), in: sampleDescription.upperBound..<bytes.endIndex))
        bytes.replaceSubrange(range, with: Data("zzz9".utf8))
        try bytes.write(to: URL(fileURLWithPath: path))
        try assertTranscodeFails(path, "unsupported video codec")
    }

    func testAnOutputDirectoryThatDoesNotExist() throws {
        let output = directory + "/no/such/dir/out.mkv"
        try assertTranscodeFails(try goodClip(), output: output, named: output, "does not exist")
    }

    func testAnOutputThatIsADirectory() throws {
        try assertTranscodeFails(try goodClip(), output: directory, named: directory, "is a directory")
    }

    func testAnUnknownContainer() throws {
        let output = directory + "/out.notacontainer"
        try assertTranscodeFails(try goodClip(), output: output, named: output, "unknown output container")
    }

    func testWritingOverTheInput() throws {
        let input = try goodClip()
        try assertTranscodeFails(input, output: input, "output is the input file")
        let link = directory + "/link.mp4"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        try assertTranscodeFails(input, output: link, named: link, "output is the input file")
        try FileManager.default.removeItem(atPath: link)
    }

    func testAnUnknownEncoderOptionOrPixelFormat() throws {
        let input = try goodClip()
        let output = directory + "/out.mkv"
        XCTAssertThrowsError(try Transcoder.transcode(input: input, output: output, options: TranscodeOptions(
            encoder: EncoderSettings(options: ["no-such-option": "1"])))) { XCTAssertTrue("\($0)".contains("has no option 'no-such-option'"), "\($0)") }
        XCTAssertThrowsError(try Transcoder.transcode(input: input, output: output, options: TranscodeOptions(
            encoder: EncoderSettings(codec: .prores, pixelFormat: "yuv420p")))) { XCTAssertTrue("\($0)".contains("cannot write pixel format"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    func testAFailureMidwayLeavesNoOutputAndKeepsAnEarlierOne() throws {
        struct Failing: FrameProcessor {
            struct Broke: Error {}
            func outputSize(width: Int, height: Int) -> (width: Int, height: Int) { (width, height) }
            func process(_ frame: DecodedFrame) throws -> RGBImage {
                if frame.index == 10 { throw Broke() }
                return frame.image
            }
        }
        let input = try goodClip()
        let output = directory + "/out.mkv"
        try "an earlier result".write(toFile: output, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Transcoder.transcode(input: input, output: output, processor: Failing()))
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "an earlier result")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("filmsr-tmp") }, [])
    }
}
