import CFFmpeg
import Foundation

/// The file format of one piece of a render in segments (SegmentedRender): the encoded video
/// packets of a run of frames, timestamps exactly as the encoder made them, in its time base.
///
/// Our own format rather than a container's: containers shift negative decoding times (the
/// B-frame delay at the start of every piece) or round the time base, and the pieces must join
/// into a film whose timing is not a tick off. Little-endian:
///
///     "FILMSRSG"  version u32  width u32  height u32  time base num i32, den i32
///     extradata size u32, bytes          (the encoder's global header, compared at the join)
///     per packet: pts i64  dts i64  duration i64  flags i32  size u32  bytes
enum VideoSegmentFile {
    static let magic = Array("FILMSRSG".utf8)
    static let version: UInt32 = 1

    struct Header: Equatable {
        var width: Int
        var height: Int
        var timeBase: AVRational
        var extradata: [UInt8]

        static func == (a: Header, b: Header) -> Bool {
            a.width == b.width && a.height == b.height && av_cmp_q(a.timeBase, b.timeBase) == 0 && a.extradata == b.extradata
        }

        /// The header of what `encoder` writes.
        init(of encoder: VideoEncoder) {
            let context = encoder.context.pointee
            width = Int(context.width)
            height = Int(context.height)
            timeBase = context.time_base
            extradata = context.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(context.extradata_size))) } ?? []
        }

        init(width: Int, height: Int, timeBase: AVRational, extradata: [UInt8]) {
            self.width = width
            self.height = height
            self.timeBase = timeBase
            self.extradata = extradata
        }
    }

    /// Writes under a temporary name; the file appears under its own only when `finish`ed.
    final class Writer {
        private let destination: OutputPath
        private let handle: FileHandle
        private var finished = false

        init(path: String, header: Header) throws {
            destination = try OutputPath(path, inputs: [])
            guard FileManager.default.createFile(atPath: destination.temporaryPath, contents: nil),
                  let handle = FileHandle(forWritingAtPath: destination.temporaryPath) else {
                throw MediaError(path, "cannot write")
            }
            self.handle = handle
            var bytes = magic
            bytes.append(version)
            bytes.append(UInt32(header.width))
            bytes.append(UInt32(header.height))
            bytes.append(header.timeBase.num)
            bytes.append(header.timeBase.den)
            bytes.append(UInt32(header.extradata.count))
            bytes += header.extradata
            try write(bytes)
        }

        deinit {
            if !finished {
                try? handle.close()
                destination.discard()
            }
        }

        func write(_ packet: Packet) throws {
            let raw = packet.pointer.pointee
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32 + Int(raw.size))
            bytes.append(raw.pts)
            bytes.append(raw.dts)
            bytes.append(raw.duration)
            bytes.append(raw.flags)
            bytes.append(UInt32(raw.size))
            if let data = raw.data { bytes += UnsafeBufferPointer(start: data, count: Int(raw.size)) }
            try write(bytes)
        }

        func finish() throws {
            do {
                try handle.synchronize()
                try handle.close()
            } catch {
                throw MediaError(destination.path, "cannot write: " + MediaError.reason(error))
            }
            finished = true
            try destination.commit()
        }

        private func write(_ bytes: [UInt8]) throws {
            do { try handle.write(contentsOf: bytes) } catch { throw MediaError(destination.path, "cannot write: " + MediaError.reason(error)) }
        }
    }

    final class Reader {
        let path: String
        let header: Header
        private let source: any ByteSource

        convenience init(path: String) throws {
            guard let source = FileByteSource(path: path) else { throw MediaError(path, "cannot open the render segment") }
            try self.init(source, path: path)
        }

        /// Reads from `source`; `path` names it in errors.
        init(_ source: any ByteSource, path: String) throws {
            self.path = path
            self.source = source
            guard source.remaining >= magic.count, try source.read(magic.count) == magic else { throw MediaError(path, "is not a FilmSR render segment") }
            let fields = try Self.take(source, path, 24)
            guard fields.load(UInt32.self, at: 0) == version else { throw MediaError(path, "is a render segment of another FilmSR version") }
            let extradata = try Self.take(source, path, Int(fields.load(UInt32.self, at: 20)))
            header = Header(width: Int(fields.load(UInt32.self, at: 4)), height: Int(fields.load(UInt32.self, at: 8)),
                            timeBase: AVRational(num: fields.load(Int32.self, at: 12), den: fields.load(Int32.self, at: 16)),
                            extradata: extradata)
        }

        /// The next packet into `packet`; false at the end.
        func next(into packet: Packet) throws -> Bool {
            guard source.remaining > 0 else { return false }
            let bytes = try Self.take(source, path, 32)
            let size = Int(bytes.load(UInt32.self, at: 28))
            // The size is read from the file: the data must be there before a packet that large is made.
            let data = try Self.take(source, path, size)
            guard let packetSize = Int32(exactly: size) else { throw MediaError(path, "render segment holds a packet of \(size) bytes, more than FFmpeg takes") }
            try check(av_new_packet(packet.pointer, packetSize), path, "out of memory for a packet")
            if size > 0 { data.withUnsafeBufferPointer { packet.pointer.pointee.data.update(from: $0.baseAddress!, count: size) } }
            packet.pointer.pointee.pts = bytes.load(Int64.self, at: 0)
            packet.pointer.pointee.dts = bytes.load(Int64.self, at: 8)
            packet.pointer.pointee.duration = bytes.load(Int64.self, at: 16)
            packet.pointer.pointee.flags = bytes.load(Int32.self, at: 24)
            return true
        }

        /// The presentation times of the packets still to read, in decoding order, without their data.
        func remainingPresentationTimes() throws -> [Int64] {
            var times: [Int64] = []
            while source.remaining > 0 {
                let bytes = try Self.take(source, path, 32)
                times.append(bytes.load(Int64.self, at: 0))
                let size = Int(bytes.load(UInt32.self, at: 28))
                try Self.checkLeft(source, path, size)
                try source.skip(size)
            }
            return times
        }

        /// The next `count` bytes, or one line saying the file ends before them.
        private static func take(_ source: any ByteSource, _ path: String, _ count: Int) throws -> [UInt8] {
            try checkLeft(source, path, count)
            let bytes = try source.read(count)
            guard bytes.count == count else { throw MediaError(path, "render segment is cut short") }
            return bytes
        }

        private static func checkLeft(_ source: any ByteSource, _ path: String, _ count: Int) throws {
            guard count <= source.remaining else { throw MediaError(path, "render segment is cut short") }
        }
    }
}

private extension Array where Element == UInt8 {
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }
}
