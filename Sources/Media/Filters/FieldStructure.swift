import CFFmpeg

/// How a video's pictures are really built, measured by FFmpeg's `idet` filter on the decoded
/// pictures rather than read from the stream's tags, which can lie (interlaced DVDs stored as
/// progressive, progressive film flagged interlaced).
public struct FieldStructure: Codable, Sendable, Equatable {
    /// Pictures idet looked at (from the first).
    public var frames: Int
    /// idet's multi-frame verdicts: pictures whose two fields come from different moments, with
    /// the top (`topFieldFirst`) or the bottom field earlier; pictures whose fields belong together;
    /// pictures it could not call.
    public var topFieldFirst: Int
    public var bottomFieldFirst: Int
    public var progressive: Int
    public var undetermined: Int
    /// Pictures whose top (bottom) field repeats the previous picture's: 3:2 pulldown repeats a
    /// field in 2 of every 5 pictures, alternately top and bottom.
    public var repeatedTop: Int
    public var repeatedBottom: Int
    /// What the stream says of itself ("progressive", "tt", ... as `VideoStreamInfo.fieldOrder`).
    public var taggedFieldOrder: String

    /// Measured field order, whichever kind of interlaced picture idet saw more of.
    public enum FieldOrder: String, Codable, Sendable {
        case topFieldFirst = "tff"
        case bottomFieldFirst = "bff"
    }

    /// Interlaced when at least this share of the pictures idet could call has fields from two
    /// moments. The samples are far from it either side: 60 of 60 for samples/interlaced.mkv, 86
    /// of 90 for samples/telecine.mpg, 0 of 120 for samples/interlaced_truth.mkv
    /// (FieldStructureTests); still scenes of interlaced video read as progressive, so a
    /// majority is not required.
    public static let interlacedShare = 0.25

    public var isInterlaced: Bool {
        let called = topFieldFirst + bottomFieldFirst + progressive
        return called > 0 && Double(topFieldFirst + bottomFieldFirst) >= Self.interlacedShare * Double(called)
    }

    /// nil for progressive video, or when idet saw no interlaced picture.
    public var fieldOrder: FieldOrder? {
        guard isInterlaced else { return nil }
        return topFieldFirst >= bottomFieldFirst ? .topFieldFirst : .bottomFieldFirst
    }

    /// Repeated fields as 3:2 pulldown makes them: about 2 pictures in 5 (0.3 to 0.5 allows for
    /// cuts and still scenes), both parities taking turns (each at least a quarter of the repeats).
    /// samples/telecine.mpg: 18 top and 18 bottom of 90; samples/interlaced.mkv: none.
    public var looksTelecined: Bool {
        let repeats = repeatedTop + repeatedBottom
        guard frames > 0, repeats > 0 else { return false }
        let share = Double(repeats) / Double(frames)
        return share >= 0.3 && share <= 0.5 && 4 * min(repeatedTop, repeatedBottom) >= repeats
    }

    /// "interlaced, top field first", "progressive", with "; 3:2 pulldown likely" where it applies.
    public var verdict: String {
        var text = switch fieldOrder {
        case .topFieldFirst: "interlaced, top field first"
        case .bottomFieldFirst: "interlaced, bottom field first"
        case nil: "progressive"
        }
        if looksTelecined { text += "; 3:2 pulldown likely" }
        return text
    }

    /// "60 TFF, 0 BFF, 0 progressive, 0 undetermined of 60 frames (tagged tt)".
    public var summary: String {
        "\(topFieldFirst) TFF, \(bottomFieldFirst) BFF, \(progressive) progressive, \(undetermined) undetermined of \(frames) frames (tagged \(taggedFieldOrder))"
    }

    /// Runs idet over the first `frames` pictures of `path`'s main video stream.
    public static func measure(_ path: String, frames: Int = ArchivalFilters.defaultMeasuredFrames) throws -> FieldStructure {
        guard frames > 0 else { throw MediaError(path, "the field structure needs at least one frame to measure, not \(frames)") }
        let pictures = try DecodedPictures(input: MediaInput(path: path), readsOtherStreams: false)
        let stream = pictures.stream.pointee
        let graph = try FilterGraph("idet", input: FilterGraph.Input(
            width: Int(stream.codecpar.pointee.width), height: Int(stream.codecpar.pointee.height),
            format: AVPixelFormat(rawValue: stream.codecpar.pointee.format), timeBase: stream.time_base,
            frameRate: pictures.frameRate, sampleAspectRatio: VideoFrameReader.sampleAspectRatio(stream)), path: path)
        var structure = FieldStructure(frames: 0, topFieldFirst: 0, bottomFieldFirst: 0, progressive: 0, undetermined: 0,
                                       repeatedTop: 0, repeatedBottom: 0,
                                       taggedFieldOrder: MediaProbe.fieldOrderName(stream.codecpar.pointee.field_order))
        let decoded = Frame(), measured = Frame()
        var sent = 0
        while structure.frames < frames {
            if try graph.receive(into: measured) {
                defer { measured.unref() }
                // idet keeps running totals: the last picture's are the answer.
                structure.count(FilterGraph.metadata(of: measured))
                structure.frames += 1
                continue
            }
            if graph.isDrained { break }
            if sent < frames, try pictures.next(into: decoded) {
                try graph.send(decoded)
                sent += 1
            } else {
                try graph.finish()
            }
        }
        guard structure.frames > 0 else { throw MediaError(path, "video stream has no decodable frames") }
        return structure
    }

    /// Takes idet's running totals from a picture's metadata ("lavfi.idet.multiple.tff" = "12.00").
    private mutating func count(_ metadata: [String: String]) {
        func total(_ key: String) -> Int { Int((Double(metadata["lavfi.idet." + key] ?? "") ?? 0).rounded()) }
        topFieldFirst = total("multiple.tff")
        bottomFieldFirst = total("multiple.bff")
        progressive = total("multiple.progressive")
        undetermined = total("multiple.undetermined")
        repeatedTop = total("repeated.top")
        repeatedBottom = total("repeated.bottom")
    }
}
