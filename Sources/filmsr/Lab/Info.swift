import ArgumentParser
import Engine
import Foundation
import Media

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the libraries filmsr runs on and the OpenBLAS kernel and settings it got.")

    func run() throws {
        print("ffmpeg libraries: \(LibraryVersions.text)")
        print("openblas kernel:  \(BLASRuntime.coreName), \(BLASRuntime.threadCount) threads")
        // OpenBLAS cannot be asked for it: this is what it read when it loaded (OpenBLASLaunch).
        let timeout = ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"].map { "2^\($0) cycles" } ?? "OpenBLAS's default"
        print("openblas spin:    \(timeout) before its threads sleep")
    }
}
