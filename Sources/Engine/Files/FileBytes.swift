import Foundation

/// The bytes of a model or parameter file, read whole: every reader parses bytes (so that it can be
/// fuzzed without the file system) and its path entry reads them here.
enum FileBytes {
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw EngineError("\(path): cannot read the file") }
        return data
    }
}
