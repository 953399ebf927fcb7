import Foundation

/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data. FilmSR's own
/// checkpoints are written this way (float32, or float16 for committed weights), and read
/// back with every field checked: a file is untrusted input.
public enum Safetensors {
    public struct Entry {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// How values are stored: float32, or float16 (half the file, 11 significant bits).
    public enum Precision: String, Sendable {
        case float32 = "F32", float16 = "F16"
        var width: Int { self == .float32 ? 4 : 2 }
    }

    /// Writes `entries` and string `metadata` to `path` atomically.
    public static func write(_ entries: [Entry], metadata: [String: String] = [:], precision: Precision = .float32, to path: String) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for entry in entries {
            precondition(entry.shape.reduce(1, *) == entry.values.count, "\(entry.name): shape and values disagree")
            let end = offset + entry.values.count * precision.width
            header[entry.name] = ["dtype": precision.rawValue, "shape": entry.shape, "data_offsets": [offset, end]] as [String: Any]
            offset = end
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (json.count % 8) != 0 { json.append(0x20) }
        var file = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { file.append(contentsOf: $0) }
        file.append(json)
        for entry in entries {
            switch precision {
            case .float32:
                entry.values.withUnsafeBufferPointer { file.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
            case .float16:
                let halves = entry.values.map { Float16($0).bitPattern.littleEndian }
                halves.withUnsafeBufferPointer { file.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
            }
        }
        let url = URL(fileURLWithPath: path)
        try file.write(to: url, options: .atomic)
    }

    /// Reads every tensor (float32 or float16, converted to float) and the metadata.
    public static func read(_ path: String) throws -> (entries: [Entry], metadata: [String: String]) {
        try read(FileBytes.read(path), file: path)
    }

    /// `read` of a file's bytes already in memory; `file` names it in errors.
    static func read(_ data: Data, file: String) throws -> (entries: [Entry], metadata: [String: String]) {
        let (tensors, metadata) = try readRaw(data, file: file, dtypes: ["F32": 4, "F16": 2])
        let entries = tensors.map { tensor in
            Entry(name: tensor.name, shape: tensor.shape, values: (0..<tensor.count).map { i in
                tensor.dtype == "F32" ? Float(bitPattern: UInt32(truncatingIfNeeded: tensor.word(i)))
                                      : Float(Float16(bitPattern: UInt16(truncatingIfNeeded: tensor.word(i))))
            })
        }
        return (entries, metadata)
    }

    /// Reads every tensor stored as float64 or float32 as doubles: for parameters whose precision
    /// matters (NIQE's pristine covariance is stored in float64).
    public static func readDoubles(_ path: String) throws -> (entries: [(name: String, shape: [Int], values: [Double])], metadata: [String: String]) {
        try readDoubles(FileBytes.read(path), file: path)
    }

    /// `readDoubles` of a file's bytes already in memory; `file` names it in errors.
    static func readDoubles(_ data: Data, file: String) throws -> (entries: [(name: String, shape: [Int], values: [Double])], metadata: [String: String]) {
        let (tensors, metadata) = try readRaw(data, file: file, dtypes: ["F64": 8, "F32": 4])
        let entries = tensors.map { tensor in
            (name: tensor.name, shape: tensor.shape, values: (0..<tensor.count).map { i in
                tensor.dtype == "F64" ? Double(bitPattern: tensor.word(i)) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: tensor.word(i))))
            })
        }
        return (entries, metadata)
    }

    /// One tensor's place in a file already read and checked.
    private struct RawTensor {
        var name: String, dtype: String, shape: [Int], count: Int, width: Int, start: Int
        var bytes: [UInt8]

        /// Element `i` as a little-endian word of `width` bytes.
        func word(_ i: Int) -> UInt64 {
            let p = start + i * width
            var word: UInt64 = 0
            for byte in 0..<width { word |= UInt64(bytes[p + byte]) << (8 * UInt64(byte)) }
            return word
        }
    }

    /// Header and byte ranges checked; `dtypes` maps each accepted dtype to its element width.
    private static func readRaw(_ data: Data, file path: String, dtypes: KeyValuePairs<String, Int>) throws -> (tensors: [RawTensor], metadata: [String: String]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw EngineError("\(path): not a safetensors file (shorter than its header length)") }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8), headerLength <= 100_000_000 else {
            throw EngineError("\(path): not a safetensors file (header length \(headerLength) exceeds the file)")
        }
        let dataStart = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw EngineError("\(path): not a safetensors file (the header is not a JSON object)")
        }
        let dataLength = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [RawTensor] = []
        // Names and dtypes are the file's own text: EngineError.quoted keeps the message one line.
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard let table = value as? [String: String] else { throw EngineError("\(path): __metadata__ must map strings to strings") }
                metadata = table
                continue
            }
            guard let description = value as? [String: Any], let dtype = description["dtype"] as? String,
                  let shape = description["shape"] as? [Int], let offsets = description["data_offsets"] as? [Int], offsets.count == 2 else {
                throw EngineError("\(path): tensor \(EngineError.quoted(name)) lacks dtype, shape or data_offsets")
            }
            guard let width = dtypes.first(where: { $0.key == dtype })?.value else {
                throw EngineError("\(path): tensor \(EngineError.quoted(name)) has dtype \(EngineError.quoted(dtype)); only \(dtypes.map(\.key).joined(separator: " and ")) are read")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw EngineError("\(path): tensor \(EngineError.quoted(name)) has a negative dimension") }
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength else {
                throw EngineError("\(path): tensor \(EngineError.quoted(name)) lies outside the file (bytes \(offsets[0])..<\(offsets[1]) of \(dataLength)): truncated?")
            }
            // A shape too large to count in bytes is named without multiplying it out (that would trap).
            let (needed, tooLarge) = count.multipliedReportingOverflow(by: width)
            guard !tooLarge, offsets[1] - offsets[0] == needed else {
                throw EngineError("\(path): tensor \(EngineError.quoted(name)) holds \(offsets[1] - offsets[0]) bytes, its shape \(shape) needs \(tooLarge ? "more than a file can hold" : String(needed))")
            }
            tensors.append(RawTensor(name: name, dtype: dtype, shape: shape, count: count, width: width, start: dataStart + offsets[0], bytes: bytes))
        }
        return (tensors, metadata)
    }
}
