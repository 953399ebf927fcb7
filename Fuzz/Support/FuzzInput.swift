import Foundation

/// What every fuzz target checks besides "no crash": a reader given bad bytes throws one line that
/// starts with the name of a file it was given. Anything else stops the run as a failure.
func expectReadOrOneLineError(files: String..., read: () throws -> Void) {
    do {
        try read()
    } catch {
        let message = String(describing: error)
        guard files.contains(where: { message.hasPrefix($0 + ": ") }), !message.contains(where: \.isNewline) else {
            FileHandle.standardError.write(Data("error is not one line naming \(files.joined(separator: " or ")): \(message)\n".utf8))
            abort()
        }
    }
}

/// The fuzzer's input as Data.
func fuzzInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data { Data(bytes: bytes, count: count) }
