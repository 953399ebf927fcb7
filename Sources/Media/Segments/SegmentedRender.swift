import CFFmpeg
import Foundation

/// A transcode done in pieces so that an interruption loses at most the piece in progress:
/// consecutive runs of frames are each encoded by a fresh encoder (so each starts with a
/// keyframe) into a segment file of the render folder, and `join` then writes the film from the
/// segments' packets and the input's audio and subtitles, interleaved by time.
///
/// Every segment is encoded with the settings of the finished film, so the join only copies
/// packets; a run that finds segments made with other settings (or for another picture size)
/// renders them again. Frames decode from the start on every run: a finished segment's frames
/// are decoded but not processed, which is what makes each piece exactly as in an
/// uninterrupted run (a frame's duration is the gap to the next one).
public struct SegmentedRender {
    public let input: String
    /// The finished film: its container decides how the segments are encoded.
    public let output: String
    public let folder: String
    /// Consecutive frame ranges from frame 0. Frames past the last range's end (a stream that
    /// grew since it was scanned) go into the last segment.
    public let segments: [Range<Int>]
    /// The encoder of every segment, and the streams the film keeps.
    public let options: TranscodeOptions
    /// What the pictures go through before the processor: `options.filters` measured on the input,
    /// or the plan given (every reader of a job must see the same frames).
    public let filters: FilterPlan?
    /// Whether the finished film's container wants the codec's global header.
    let globalHeader: Bool

    public init(input: String, output: String, folder: String, segments: [Range<Int>], options: TranscodeOptions,
                filters: FilterPlan? = nil) throws {
        guard let first = segments.first, first.lowerBound == 0,
              zip(segments, segments.dropFirst()).allSatisfy({ $0.upperBound == $1.lowerBound }), segments.allSatisfy({ !$0.isEmpty }) else {
            throw MediaError(folder, "render segments must be consecutive, non-empty runs of frames from frame 0")
        }
        guard let format = av_guess_format(nil, output, nil) else {
            throw MediaError(output, "unknown output container: use a name ending in .mkv, .mp4 or .mov")
        }
        self.input = input
        self.output = output
        self.folder = folder
        self.segments = segments
        self.options = options
        self.filters = try filters ?? options.filters?.plan(forFile: input)
        globalHeader = format.pointee.flags & AVFMT_GLOBALHEADER != 0
    }

    public func segmentPath(_ index: Int) -> String { Self.segmentPath(index, in: folder) }

    static func segmentPath(_ index: Int, in folder: String) -> String {
        (folder as NSString).appendingPathComponent(String(format: "segment-%05d.fsrseg", index))
    }

    /// Which of `count` segments are rendered in `folder`, without opening the input.
    public static func finishedPieces(in folder: String, of count: Int) -> Set<Int> {
        Set((0..<count).filter { FileManager.default.fileExists(atPath: segmentPath($0, in: folder)) })
    }

    /// What the segments were encoded with: a run that differs renders them again.
    var settingsPath: String { (folder as NSString).appendingPathComponent("settings.json") }

    public var finishedSegments: [Int] { Self.finishedPieces(in: folder, of: segments.count).sorted() }

    /// Frames of `chosen` segments (default: all) not yet rendered (the last one's count as planned).
    public func framesToRender(_ chosen: [Int]? = nil) -> Int {
        let finished = Set(finishedSegments)
        return (chosen ?? Array(segments.indices)).filter { !finished.contains($0) }.map { segments[$0].count }.reduce(0, +)
    }

    struct Settings: Codable, Equatable {
        var encoder: EncoderSettings
        var globalHeader: Bool
        var width: Int
        var height: Int
        var segments: [Range<Int>]
    }

    /// Renders every segment not yet in the folder; returns how many frames it processed.
    @discardableResult
    public func render(processor: some FrameProcessor, progress: ((TranscodeProgress) -> Void)? = nil) throws -> Int {
        let reader = try VideoFrameReader(path: input, filters: filters)
        let size = processor.outputSize(width: reader.width, height: reader.height)
        try prepare(outputWidth: size.width, outputHeight: size.height)
        return try render(Array(segments.indices), processor: processor, progress: progress)
    }

    /// Readies the folder for renders of any of its segments, in this process or others at the
    /// same time: segments made with other settings, or by another encoder, are deleted, and so
    /// are pieces an interrupted run left half-written; the settings are recorded. Run it while
    /// no render of this folder runs.
    public func prepare(outputWidth: Int, outputHeight: Int) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let settings = self.settings(outputWidth: outputWidth, outputHeight: outputHeight)
        let reader = try VideoFrameReader(path: input, filters: filters)
        let header = VideoSegmentFile.Header(of: try VideoEncoder(settings: options.encoder,
                                                                  input: reader.encoderInput(width: outputWidth, height: outputHeight),
                                                                  globalHeader: globalHeader, path: output))
        let sameSettings = FileManager.default.contents(atPath: settingsPath)
            .map { (try? JSONDecoder().decode(Settings.self, from: $0)) == settings } ?? false
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasSuffix(".fsrseg") || name.hasSuffix(".filmsr-tmp") {
            let path = (folder as NSString).appendingPathComponent(name)
            if sameSettings, name.hasSuffix(".fsrseg"), (try? VideoSegmentFile.Reader(path: path).header) == header { continue }
            try FileManager.default.removeItem(atPath: path)
        }
        if !sameSettings { try JSONEncoder().encode(settings).write(to: URL(fileURLWithPath: settingsPath), options: .atomic) }
    }

    /// Renders the `chosen` segments not yet in the prepared folder, decoding only as far as the
    /// last of them; other processes may render other segments of the same folder meanwhile.
    /// Returns how many frames it processed.
    @discardableResult
    public func render(_ chosen: [Int], processor: some FrameProcessor, progress: ((TranscodeProgress) -> Void)? = nil) throws -> Int {
        let reader = try VideoFrameReader(path: input, filters: filters)
        let size = processor.outputSize(width: reader.width, height: reader.height)
        let encoderInput = reader.encoderInput(width: size.width, height: size.height)
        let settings = self.settings(outputWidth: size.width, outputHeight: size.height)
        guard let data = FileManager.default.contents(atPath: settingsPath), (try? JSONDecoder().decode(Settings.self, from: data)) == settings else {
            throw MediaError(folder, "render folder not prepared for these settings (prepare it before rendering its segments)")
        }
        let missing = Set(chosen).subtracting(finishedSegments)
        guard let last = missing.max() else { return 0 }
        // What a run of these segments killed earlier left half-written; other segments' pieces
        // may be another process's work in progress.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for index in missing {
            let piece = "." + (segmentPath(index) as NSString).lastPathComponent + "."
            for name in names where name.hasPrefix(piece) && name.hasSuffix(".filmsr-tmp") {
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
        }
        let expected = framesToRender(chosen)

        var open: (index: Int, encoder: VideoEncoder, file: VideoSegmentFile.Writer, packets: VideoPacketWriter)?
        func close() throws {
            guard let segment = open else { return }
            try segment.encoder.finish(receive: segment.packets.write)
            try segment.file.finish()
            open = nil
        }
        // Frame n is processed while frame n + 1 is decoded and frame n - 1 encoded; the frame in
        // flight always belongs to the open segment, which is closed only once it is encoded.
        let processing = FrameProcessingThread(processor, expecting: size)
        defer { processing.drain() }
        var rendered = 0, index = 0
        func encode(_ collected: (frame: DecodedFrame, picture: RGBImage)?) throws {
            guard let (frame, processed) = collected else { return }
            open!.packets.expect(pts: frame.pts, duration: frame.duration)
            try open!.encoder.encode(processed, pts: frame.pts, duration: frame.duration, receive: open!.packets.write)
            rendered += 1
            progress?(TranscodeProgress(framesDone: rendered, frame: frame.index, framesExpected: expected, mediaTime: frame.time))
        }
        while let frame = try reader.next() {
            while index < segments.count - 1 && frame.index >= segments[index].upperBound { index += 1 }
            if open?.index != index {
                try encode(try processing.collect())
                try close()
            }
            // The last segment takes frames past the planned end, so reading goes on to the end there.
            if index > last { break }
            guard missing.contains(index) else { continue }
            if open == nil {
                let path = segmentPath(index)
                let encoder = try VideoEncoder(settings: options.encoder, input: encoderInput, globalHeader: globalHeader, path: path)
                let file = try VideoSegmentFile.Writer(path: path, header: VideoSegmentFile.Header(of: encoder))
                open = (index, encoder, file, VideoPacketWriter(sink: file.write))
            }
            try encode(try processing.handOver(frame, writing: segmentPath(index)))
        }
        try encode(try processing.collect())
        try close()
        if let absent = missing.sorted().first(where: { !FileManager.default.fileExists(atPath: segmentPath($0)) }) {
            throw MediaError(input, "ended before frame \(segments[absent].lowerBound): it has fewer frames than when it was scanned")
        }
        return rendered
    }

    /// This render's settings, for pictures of the given size.
    private func settings(outputWidth: Int, outputHeight: Int) -> Settings {
        Settings(encoder: options.encoder, globalHeader: globalHeader, width: outputWidth, height: outputHeight, segments: segments)
    }
}
