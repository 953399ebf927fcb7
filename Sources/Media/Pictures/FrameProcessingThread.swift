import Dispatch

/// Runs a `FrameProcessor` on a thread of its own, one frame at a time, so that the caller
/// decodes the next frame and encodes the previous one while the processor works: upscaling,
/// decoding and x264 encoding then share the cores instead of taking turns. The processor
/// still sees the frames in order, one after another, never two at once.
final class FrameProcessingThread: @unchecked Sendable {
    private let process: (DecodedFrame, String) throws -> RGBImage
    private let queue = DispatchQueue(label: "filmsr.frame-processing")
    private let finished = DispatchSemaphore(value: 0)
    // Written by the queue before `finished` is signalled, read by the caller after waiting.
    private var result: Result<RGBImage, any Error>?
    private(set) var inFlight: DecodedFrame?

    /// `size`: as `FrameProcessor.process(_:expecting:writing:)` takes it.
    init(_ processor: some FrameProcessor, expecting size: (width: Int, height: Int)) {
        process = { try processor.process($0, expecting: size, writing: $1) }
    }

    /// Starts processing `frame` for the file at `path` (named in errors); the frame before
    /// must have been collected.
    func start(_ frame: DecodedFrame, writing path: String) {
        precondition(inFlight == nil, "FrameProcessingThread: a frame is still in flight")
        inFlight = frame
        queue.async { [self] in
            result = Result { try process(frame, path) }
            finished.signal()
        }
    }

    /// Waits for the frame in flight and returns it with its processed picture (nil when none
    /// is in flight); rethrows what the processor threw.
    func collect() throws -> (frame: DecodedFrame, picture: RGBImage)? {
        guard let frame = inFlight else { return nil }
        finished.wait()
        inFlight = nil
        defer { result = nil }
        return (frame, try result!.get())
    }

    /// `collect`, then `start(frame, writing: path)`: the frame before comes back while `frame`
    /// is being processed.
    func handOver(_ frame: DecodedFrame, writing path: String) throws -> (frame: DecodedFrame, picture: RGBImage)? {
        let previous = try collect()
        start(frame, writing: path)
        return previous
    }

    /// Waits for the frame in flight, if any, discarding it: before leaving on an error, so that
    /// the processor is not still at work when the caller tears down.
    func drain() {
        _ = try? collect()
    }
}
