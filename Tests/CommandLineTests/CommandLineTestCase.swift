import Foundation
import XCTest
import TestSupport

/// Runs the built `filmsr` as a user would and checks exit status, messages and files.
class CommandLineTestCase: XCTestCase {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    /// `filmsr` sits beside the test bundle in the build folder.
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("filmsr").path

    /// A command that should have succeeded and did not: thrown, so that the test stops with the
    /// command and its error output instead of crashing later on an output that was never written.
    struct CommandFailure: Error, CustomStringConvertible {
        var description: String
    }

    func filmsr(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        try execute(executable, arguments, environment: environment)
    }

    /// Runs `filmsr` and throws `CommandFailure` unless it exits 0.
    @discardableResult
    func filmsrSucceeding(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        try executeSucceeding(executable, arguments, environment: environment)
    }

    @discardableResult
    func executeSucceeding(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let result = try execute(program, arguments, environment: environment)
        guard result.status == 0 else {
            let command = ([URL(fileURLWithPath: program).lastPathComponent] + arguments).joined(separator: " ")
            throw CommandFailure(description: "`\(command)` exited with status \(result.status): \(result.errors)")
        }
        return result
    }

    func execute(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let result = try ProcessRunner.run(program, arguments, environment: environment)
        return Result(status: result.status, output: result.outputText, errors: result.errorText)
    }

    func ffprobeJSON(_ path: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try executeSucceeding("/usr/bin/ffprobe", ["-v", "error", "-of", "json"] + arguments + [path])
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "ffprobe's JSON for \(path)")
    }

    /// The streams ffprobe lists for `path`; throws when there are none, so that `[0]` cannot trap.
    func ffprobeStreams(_ path: String, _ arguments: [String]) throws -> [[String: Any]] {
        let streams = try XCTUnwrap(try ffprobeJSON(path, arguments + ["-show_streams"])["streams"] as? [[String: Any]], "ffprobe streams of \(path)")
        guard !streams.isEmpty else { throw CommandFailure(description: "ffprobe lists no stream in \(path)") }
        return streams
    }

    /// A picture's (or a video frame's) pixels as 8-bit RGB, decoded by ffmpeg.
    func rgbBytes(_ path: String, frame: Int? = nil) throws -> Data {
        let select = frame.map { ["-vf", "select=eq(n\\,\($0))", "-frames:v", "1"] } ?? []
        let temporary = NSTemporaryDirectory() + "filmsr-rgb-\(UUID().uuidString).raw"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", path] + select + ["-f", "rawvideo", "-pix_fmt", "rgb24", temporary])
        return try Data(contentsOf: URL(fileURLWithPath: temporary))
    }

    /// A path inside the repository.
    func repository(_ path: String) -> String {
        Repository.path(path)
    }

    func sample(_ name: String) -> String { repository("samples/\(name)") }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "filmsr-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Each command fails with a non-zero status and one line of error that contains its message.
    func assertOneLineErrors(_ cases: [([String], String)], file: StaticString = #filePath, line: UInt = #line) throws {
        for (arguments, message) in cases {
            let result = try filmsr(arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "), file: file, line: line)
            // Messages about the work done before the failure ("5 scenes in 120 frames") may come
            // first; the error itself is one line, and the last.
            let lines = result.errors.split(separator: "\n")
            XCTAssertEqual(lines.filter { $0.hasPrefix("Error: ") }.count, 1, "expected one error line, got: \(result.errors)", file: file, line: line)
            XCTAssertTrue(lines.last?.hasPrefix("Error: ") == true, "expected the error last, got: \(result.errors)", file: file, line: line)
            XCTAssertTrue(result.errors.contains(message), "expected '\(message)' in: \(result.errors)", file: file, line: line)
        }
    }
}
