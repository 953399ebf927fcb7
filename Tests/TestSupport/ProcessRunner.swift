import Foundation

/// What a finished program gave back.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var output: Data
    public var errors: Data

    public var outputText: String { String(decoding: output, as: UTF8.self) }
    public var errorText: String { String(decoding: errors, as: UTF8.self) }
}

/// Runs programs to completion for tests (ffmpeg and ffprobe as independent readers, filmsr as a
/// user runs it). Standard output and error are drained at the same time and the input is written
/// from another thread, so that a program filling one pipe never waits on the other.
public enum ProcessRunner {
    /// `program`: an absolute path, or a name looked up on PATH.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           input: Data? = nil) throws -> ProcessResult {
        let process = Process()
        if program.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        if let environment { process.environment = environment }
        let output = Pipe(), errors = Pipe(), inputPipe = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        let group = DispatchGroup()
        if let input {
            let handle = inputPipe.fileHandleForWriting
            DispatchQueue.global().async(group: group) {
                handle.write(input)
                try? handle.close()
            }
        }
        let errorData = Drained()
        DispatchQueue.global().async(group: group) { errorData.data = errors.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, output: outputData, errors: errorData.data)
    }

    /// Written by one thread before `DispatchGroup.wait` returns, read after.
    private final class Drained: @unchecked Sendable {
        var data = Data()
    }
}
