/// What to do about the fields and flicker of archival video before any other processing:
/// deinterlacing, inverse telecine (IVTC) and deflickering, all by FFmpeg's own filters.
/// A settings value (a work folder records it); `plan(forFile:)` turns it into the filters for
/// one input, measuring the input's field structure where the choice depends on it.
public struct ArchivalFilters: Codable, Sendable, Equatable {
    public enum Deinterlace: String, Codable, Sendable, CaseIterable {
        /// Deinterlace when idet measures interlaced pictures, whatever the tags say, with bwdif.
        case auto
        /// Leave fields as they are.
        case off
        /// FFmpeg's bwdif (motion adaptive, w3fdif and yadif combined): the better of the two.
        case bwdif
        /// FFmpeg's yadif: older, a little faster.
        case yadif
    }

    /// How many pictures a deinterlacer makes of one interlaced picture.
    public enum FieldRate: String, Codable, Sendable, CaseIterable {
        /// One picture per interlaced picture (29.97i gives 29.97p): the second field's moment is lost.
        case frame
        /// One picture per field (29.97i gives 59.94p): all the motion kept, twice the pictures.
        case field
    }

    public var deinterlace: Deinterlace
    public var fieldRate: FieldRate
    /// Undo 3:2 pulldown (fieldmatch, then decimate drops the repeated picture of every 5):
    /// film telecined to 29.97i comes back as its 23.976 pictures. Pictures fieldmatch leaves
    /// combed are deinterlaced unless `deinterlace` is `off`.
    public var inverseTelecine: Bool
    /// Smooth brightness flicker over this many pictures (FFmpeg's deflicker, 2 to 129); nil: off.
    public var deflickerFrames: Int?
    /// More libavfilter filters to run after these, in FFmpeg's syntax ("hqdn3d=2"); nil: none.
    public var additional: String?
    /// How many pictures from the start idet measures.
    public var measuredFrames: Int

    /// 240 pictures: 8 s of 29.97i, enough for idet's verdicts to settle (its multi-frame
    /// detection needs a few pictures of history) and still a quick pass before the job.
    public static let defaultMeasuredFrames = 240

    public init(deinterlace: Deinterlace = .auto, fieldRate: FieldRate = .frame, inverseTelecine: Bool = false,
                deflickerFrames: Int? = nil, additional: String? = nil, measuredFrames: Int = defaultMeasuredFrames) {
        self.deinterlace = deinterlace
        self.fieldRate = fieldRate
        self.inverseTelecine = inverseTelecine
        self.deflickerFrames = deflickerFrames
        self.additional = additional
        self.measuredFrames = measuredFrames
    }

    /// Refuses settings that contradict each other or that FFmpeg would refuse, in one line naming `path`.
    public func validate(_ path: String) throws {
        if inverseTelecine && fieldRate == .field {
            throw MediaError(path, "inverse telecine gives one picture per film frame; it cannot also give one per field")
        }
        if deinterlace == .off && fieldRate == .field && !inverseTelecine {
            throw MediaError(path, "one picture per field needs a deinterlacer, but deinterlacing is off")
        }
        if let frames = deflickerFrames, !(2...129).contains(frames) {
            throw MediaError(path, "deflicker works over 2 to 129 frames, not \(frames)")
        }
        if measuredFrames < 1 {
            throw MediaError(path, "the field structure needs at least one frame to measure, not \(measuredFrames)")
        }
    }

    /// Whether the filters depend on the input's field structure (auto, and the field order).
    var needsMeasurement: Bool { deinterlace != .off || inverseTelecine }

    /// The filters for the input `path`: validates, measures with idet where needed, then `plan(for:)`.
    public func plan(forFile path: String) throws -> FilterPlan {
        try validate(path)
        let structure = needsMeasurement ? try FieldStructure.measure(path, frames: measuredFrames) : nil
        if inverseTelecine, let structure, !structure.isInterlaced, !structure.looksTelecined {
            throw MediaError(path, "--ivtc: idet measures progressive pictures with no pulldown (\(structure.summary)): nothing to undo")
        }
        return plan(for: structure)
    }

    /// The filters for an input of the given measured structure (nil: not measured, the tags decide
    /// the field order and `auto` does nothing).
    public func plan(for structure: FieldStructure?) -> FilterPlan {
        var filters: [String] = [], steps: [String] = []
        // Tags can lie; the measured order wins, and FFmpeg's own reading of the tags is the fallback.
        let order = structure?.fieldOrder
        let parity = order?.rawValue ?? "auto"
        let orderWords = order.map { $0 == .topFieldFirst ? "top field first" : "bottom field first" } ?? "field order as tagged"
        var givesProgressive = false
        if inverseTelecine {
            filters.append("fieldmatch=order=\(parity)")
            steps.append("inverse telecine (fieldmatch, decimate), \(orderWords)")
            if let deinterlacer = deinterlacer(measuredInterlaced: true) {
                // Only the pictures fieldmatch could not match (flagged interlaced) are deinterlaced.
                filters.append("\(deinterlacer)=mode=send_frame:parity=\(parity):deint=interlaced")
                steps.append("\(deinterlacer) on pictures left combed")
            }
            filters.append("decimate")
            givesProgressive = true
        } else if let deinterlacer = deinterlacer(measuredInterlaced: structure?.isInterlaced ?? false) {
            let mode = fieldRate == .field ? "send_field" : "send_frame"
            filters.append("\(deinterlacer)=mode=\(mode):parity=\(parity):deint=all")
            steps.append("\(deinterlacer), \(orderWords), \(fieldRate == .field ? "one frame per field" : "one frame per frame")")
            givesProgressive = true
        } else if deinterlace == .auto {
            steps.append("progressive, not deinterlaced")
        }
        if let frames = deflickerFrames {
            filters.append("deflicker=size=\(frames)")
            steps.append("deflicker over \(frames) frames")
        }
        if let additional, !additional.isEmpty {
            filters.append(additional)
            steps.append(additional)
        }
        var reason = structure.map { "idet: \($0.summary) → " } ?? ""
        reason += steps.isEmpty ? "no filters" : steps.joined(separator: ", ")
        if let structure, structure.looksTelecined, !inverseTelecine {
            reason += "; repeated fields in \(structure.repeatedTop + structure.repeatedBottom) of \(structure.frames) frames look like 3:2 pulldown: inverse telecine would give back the film frames"
        }
        return FilterPlan(graph: filters.isEmpty ? nil : filters.joined(separator: ","), reason: reason,
                          givesProgressive: givesProgressive, measured: structure)
    }

    /// The FFmpeg deinterlacer to run, if any.
    private func deinterlacer(measuredInterlaced: Bool) -> String? {
        switch deinterlace {
        case .off: nil
        case .auto: measuredInterlaced ? "bwdif" : nil
        case .bwdif: "bwdif"
        case .yadif: "yadif"
        }
    }
}
