import Foundation

/// Reads an ncnn .bin weight file in order, every read checked against the file's end.
struct NCNNWeightReader {
    let file: String
    let bytes: [UInt8]
    private(set) var offset = 0

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
    }

    /// The bytes `count` values of `width` bytes take (a count read from the .param file: it may
    /// be anything), when the file has them after the offset.
    private func need(_ count: Int, width: Int, _ what: String) throws -> Int {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: width)
        guard count >= 0, !overflow, byteCount <= bytes.count - offset else {
            throw EngineError("\(file): truncated: \(what) needs \(count) values of \(width) bytes at offset \(offset), the file has \(bytes.count) bytes")
        }
        return byteCount
    }

    private mutating func uint32() throws -> UInt32 {
        _ = try need(1, width: 4, "a tag")
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// Plain float32 values (ncnn's type 1: biases, PReLU slopes).
    mutating func floats(_ count: Int, _ what: String) throws -> [Float] {
        let byteCount = try need(count, width: 4, what)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + byteCount)]))
            }
        }
        offset += byteCount
        return values.map { Float(bitPattern: $0.bitPattern.littleEndian) }
    }

    /// Values behind a 4-byte storage tag (ncnn's type 0: convolution weights): float16 or float32.
    mutating func taggedWeights(_ count: Int, _ what: String) throws -> [Float] {
        let tag = try uint32()
        switch tag {
        case 0x0130_6B47:
            let byteCount = try (need(count, width: 2, what) + 3) / 4 * 4  // padded to 4 bytes
            guard byteCount <= bytes.count - offset else {
                throw EngineError("\(file): truncated: \(what) lacks the padding of its float16 values at offset \(offset)")
            }
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let bits = UInt16(bytes[offset + 2 * i]) | UInt16(bytes[offset + 2 * i + 1]) << 8
                values[i] = Float(Float16(bitPattern: bits))
            }
            offset += byteCount
            return values
        case 0:
            return try floats(count, what)
        default:
            throw EngineError("\(file): \(what): weight storage tag 0x\(String(tag, radix: 16)) (quantised weights) is not supported")
        }
    }

    var isAtEnd: Bool { offset == bytes.count }
}
