import ArgumentParser
import Engine
import Media

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the libraries filmsr runs on and the OpenBLAS kernel it got.")

    func run() throws {
        print("ffmpeg libraries: \(LibraryVersions.text)")
        print("openblas kernel:  \(BLASRuntime.coreName), \(BLASRuntime.threadCount) threads")
    }
}
