import CFFmpeg

/// Owns an AVFrame; the pointer never leaves the Media module.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() {
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = frame
    }

    /// A frame with its own buffers of the given format and size.
    convenience init(format: AVPixelFormat, width: Int, height: Int) {
        self.init()
        pointer.pointee.format = format.rawValue
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        // 64-byte alignment keeps rows aligned for SIMD in swscale and our loops.
        if av_frame_get_buffer(pointer, 64) < 0 { fatalError("av_frame_get_buffer: out of memory") }
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }
    var format: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }

    func unref() { av_frame_unref(pointer) }

    /// Base address and stride of plane `index`.
    func plane(_ index: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        withUnsafeMutableBytes(of: &pointer.pointee.data) { data in
            let planes = data.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)
            let lines = withUnsafeBytes(of: &pointer.pointee.linesize) { $0.bindMemory(to: Int32.self) }
            return (planes[index]!, Int(lines[index]))
        }
    }
}
