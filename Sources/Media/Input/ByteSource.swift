import Foundation

/// Bytes read in order, from a file or from memory, with the count still to come known: a length
/// read from the bytes themselves is checked against it before anything that large is allocated.
/// From memory, a reader of our own files can be fuzzed without the file system.
protocol ByteSource: AnyObject {
    var remaining: Int { get }
    /// The next `count` bytes; `count` is at most `remaining`.
    func read(_ count: Int) throws -> [UInt8]
    /// Passes over the next `count` bytes; `count` is at most `remaining`.
    func skip(_ count: Int) throws
}

final class FileByteSource: ByteSource {
    private let handle: FileHandle
    private(set) var remaining: Int

    /// nil when `path` cannot be opened.
    init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path), let size = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil else { return nil }
        self.handle = handle
        remaining = Int(size)
    }

    deinit { try? handle.close() }

    func read(_ count: Int) throws -> [UInt8] {
        precondition(count <= remaining, "read past the end of the file")
        guard count > 0 else { return [] }
        let data = try handle.read(upToCount: count) ?? Data()
        remaining -= data.count
        return [UInt8](data)
    }

    func skip(_ count: Int) throws {
        precondition(count <= remaining, "skip past the end of the file")
        try handle.seek(toOffset: try handle.offset() + UInt64(count))
        remaining -= count
    }
}

final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    var remaining: Int { bytes.count - offset }

    func read(_ count: Int) throws -> [UInt8] {
        precondition(count <= remaining, "read past the end of the bytes")
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    func skip(_ count: Int) throws {
        precondition(count <= remaining, "skip past the end of the bytes")
        offset += count
    }
}
