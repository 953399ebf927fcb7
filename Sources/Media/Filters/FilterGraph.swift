import CFFmpeg
import Foundation

/// An FFmpeg filter graph (libavfilter), built from a filter description such as
/// "bwdif=mode=send_frame:parity=tff", for the pictures of one video stream.
///
/// Decoded pictures go in with their timestamps and filtered pictures come out with the graph's
/// own, in `timeBase` and at `frameRate` as the graph reports them: a deinterlacer that gives one
/// frame per field doubles the rate, inverse telecine makes 30000/1001 into 24000/1001. No pixel
/// format is imposed on the output, so the pictures keep the decoder's format unless a filter
/// needs another, and a graph that would lower the bit depth on the way (10-bit video through a
/// filter that works in 8 bits) is refused rather than quietly quantised.
final class FilterGraph {
    /// The pictures going in.
    struct Input {
        var width: Int
        var height: Int
        var format: AVPixelFormat
        var timeBase: AVRational
        var frameRate: AVRational
        var sampleAspectRatio: AVRational
    }

    let path: String
    let description: String
    /// What comes out.
    let width: Int
    let height: Int
    let format: AVPixelFormat
    let timeBase: AVRational
    /// 0/1 when the graph cannot say (a filter that makes variable-rate output).
    let frameRate: AVRational
    let sampleAspectRatio: AVRational
    /// True once the graph has given its last picture after `finish()`.
    private(set) var isDrained = false

    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    private var finished = false

    /// `path`: the file whose pictures these are, for errors.
    init(_ description: String, input: Input, path: String) throws {
        self.path = path
        self.description = description
        guard let graph = avfilter_graph_alloc() else { fatalError("avfilter_graph_alloc: out of memory") }
        self.graph = graph
        let building = "cannot build the filter graph '\(description)'"
        var sourceContext: UnsafeMutablePointer<AVFilterContext>?, sinkContext: UnsafeMutablePointer<AVFilterContext>?
        let parameters = "video_size=\(input.width)x\(input.height):pix_fmt=\(input.format.rawValue)"
            + ":time_base=\(input.timeBase.num)/\(input.timeBase.den)"
            + ":pixel_aspect=\(input.sampleAspectRatio.num)/\(input.sampleAspectRatio.den)"
            + ":frame_rate=\(input.frameRate.num)/\(input.frameRate.den)"
        do {
            try check(avfilter_graph_create_filter(&sourceContext, avfilter_get_by_name("buffer"), "in", parameters, nil, graph),
                      path, building)
            try check(avfilter_graph_create_filter(&sinkContext, avfilter_get_by_name("buffersink"), "out", nil, nil, graph),
                      path, building)
            // The description's open input is fed by the source and its open output feeds the sink.
            var open = (into: avfilter_inout_alloc(), from: avfilter_inout_alloc())
            defer { avfilter_inout_free(&open.into); avfilter_inout_free(&open.from) }
            open.from!.pointee.name = av_strdup("in")
            open.from!.pointee.filter_ctx = sourceContext
            open.into!.pointee.name = av_strdup("out")
            open.into!.pointee.filter_ctx = sinkContext
            let parsed = avfilter_graph_parse_ptr(graph, description, &open.into, &open.from, nil)
            if parsed < 0, let unknown = Self.unknownFilterName(in: description) {
                throw MediaError(path, "\(building): FFmpeg has no filter named '\(unknown)'")
            }
            try check(parsed, path, building)
            try check(avfilter_graph_config(graph, nil), path, building)
        } catch {
            avfilter_graph_free(&self.graph)
            throw error
        }
        source = sourceContext!
        sink = sinkContext!
        width = Int(av_buffersink_get_w(sink))
        height = Int(av_buffersink_get_h(sink))
        format = AVPixelFormat(rawValue: av_buffersink_get_format(sink))
        timeBase = av_buffersink_get_time_base(sink)
        frameRate = av_buffersink_get_frame_rate(sink)
        sampleAspectRatio = av_buffersink_get_sample_aspect_ratio(sink)
        if let lowered = Self.firstLinkShallowerThan(ColourConverter.bitsPerComponent(input.format), in: graph) {
            avfilter_graph_free(&self.graph)
            throw MediaError(path, "\(building): filter '\(lowered.filter)' would reduce \(Self.name(input.format)) to \(Self.name(lowered.format)); it works in fewer bits than the video has")
        }
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    /// Where the graph first converts to fewer bits than `depth`: the filter fed by a shallower
    /// link whose own source was fed deep enough (the filter that asked for the conversion).
    private static func firstLinkShallowerThan(_ depth: Int, in graph: UnsafeMutablePointer<AVFilterGraph>) -> (filter: String, format: AVPixelFormat)? {
        func isShallow(_ link: UnsafeMutablePointer<AVFilterLink>) -> Bool {
            link.pointee.type == AVMEDIA_TYPE_VIDEO && ColourConverter.bitsPerComponent(AVPixelFormat(rawValue: link.pointee.format)) < depth
        }
        for index in 0..<Int(graph.pointee.nb_filters) {
            let filter = graph.pointee.filters[index]!.pointee
            let fedDeep = filter.nb_inputs == 0 || (0..<Int(filter.nb_inputs)).contains { !isShallow(filter.inputs[$0]!) }
            for output in 0..<Int(filter.nb_outputs) {
                guard let link = filter.outputs[output], isShallow(link), fedDeep else { continue }
                return (String(cString: link.pointee.dst.pointee.filter.pointee.name), AVPixelFormat(rawValue: link.pointee.format))
            }
        }
        return nil
    }

    /// The first name in a filter description that is no FFmpeg filter, to say so when the graph
    /// cannot be built (libavfilter only says "Invalid argument"). Labels and options are skipped.
    static func unknownFilterName(in description: String) -> String? {
        for chain in description.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let unlabelled = chain.replacing(/\[[^\]]*\]/, with: "")
            let name = unlabelled.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !name.isEmpty, !name.contains(":"), avfilter_get_by_name(name) == nil { return name }
        }
        return nil
    }

    private static func name(_ format: AVPixelFormat) -> String {
        av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "pixel format \(format.rawValue)"
    }

    /// Hands a decoded picture to the graph, which takes its buffers (the frame is left empty).
    func send(_ frame: Frame) throws {
        try check(av_buffersrc_add_frame_flags(source, frame.pointer, 0), path, "filter graph '\(description)' failed")
    }

    /// Tells the graph that no more pictures come, so that it gives the ones it holds back.
    func finish() throws {
        guard !finished else { return }
        finished = true
        try check(av_buffersrc_add_frame_flags(source, nil, 0), path, "filter graph '\(description)' failed")
    }

    /// The next filtered picture into `frame`; false when the graph needs more input or is drained.
    func receive(into frame: Frame) throws -> Bool {
        let result = av_buffersink_get_frame(sink, frame.pointer)
        if result == averrorEAGAIN { return false }
        if result == averrorEOF {
            isDrained = true
            return false
        }
        try check(result, path, "filter graph '\(description)' failed")
        return true
    }

    /// The metadata filters attached to a picture they gave (idet's counts, for instance).
    static func metadata(of frame: Frame) -> [String: String] {
        MediaProbe.dictionary(frame.pointer.pointee.metadata)
    }
}
