/// The filters chosen for one input: an FFmpeg filter description and why it was chosen, and
/// gains for each picture after them.
/// Made by `ArchivalFilters.plan(forFile:)`; a `VideoFrameReader` or `Transcoder` applies it.
public struct FilterPlan: Codable, Sendable, Equatable {
    /// libavfilter's filter description, e.g. "bwdif=mode=send_frame:parity=tff:deint=all";
    /// nil when nothing is to be done (progressive input, say).
    public var graph: String?
    /// One line for people: "idet: 60 TFF, 0 BFF, ... → bwdif, top field first, one frame per frame".
    public var reason: String
    /// Whether the pictures come out without fields (deinterlaced or inverse-telecined), so that
    /// the output is tagged progressive.
    public var givesProgressive: Bool
    /// What idet measured, when it was run.
    public var measured: FieldStructure?
    /// Applied to each picture after the filters (a deflicker that knows the cuts); nil: none.
    public var gains: FrameGains?

    public init(graph: String?, reason: String, givesProgressive: Bool, measured: FieldStructure? = nil) {
        self.graph = graph
        self.reason = reason
        self.givesProgressive = givesProgressive
        self.measured = measured
    }
}
