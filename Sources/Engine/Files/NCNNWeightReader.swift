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

    private func need(_ count: Int, _ what: String) throws {
        guard count >= 0, offset + count <= bytes.count else {
            throw EngineError("\(file): truncated: \(what) needs \(count) bytes at offset \(offset), the file has \(bytes.count)")
        }
    }

    private mutating func uint32() throws -> UInt32 {
        try need(4, "a tag")
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// Plain float32 values (ncnn's type 1: biases, PReLU slopes).
    mutating func floats(_ count: Int, _ what: String) throws -> [Float] {
        try need(count * 4, what)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count * 4)]))
            }
        }
        offset += count * 4
        return values.map { Float(bitPattern: $0.bitPattern.littleEndian) }
    }

    /// Values behind a 4-byte storage tag (ncnn's type 0: convolution weights): float16 or float32.
    mutating func taggedWeights(_ count: Int, _ what: String) throws -> [Float] {
        let tag = try uint32()
        switch tag {
        case 0x0130_6B47:
            let byteCount = (count * 2 + 3) / 4 * 4  // padded to 4 bytes
            try need(byteCount, what)
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
