import ArgumentParser
import Media

/// Deinterlacing, inverse telecine and deflickering before any other processing, by FFmpeg's
/// own filters (Media's ArchivalFilters). None unless asked for.
struct ArchivalOptions: ParsableArguments {
    @Option(help: "Deinterlace: auto (when idet measures interlaced pictures, whatever the tags say; says what it decided), off, bwdif or yadif.")
    var deinterlace: String?

    @Option(name: .customLong("field-rate"), help: "With deinterlacing, one output picture per interlaced picture (frame) or per field (field: twice the rate).")
    var fieldRate: String?

    @Flag(help: "Inverse telecine (fieldmatch, decimate): 29.97i with 3:2 pulldown back to the film's 23.976 pictures, in sync with the sound.")
    var ivtc = false

    @Option(help: "Smooth brightness flicker over this many pictures, 2 to 129 (FFmpeg's deflicker).")
    var deflicker: Int?

    /// nil when no archival option is given: the pictures go on as decoded.
    func filters() throws -> ArchivalFilters? {
        guard deinterlace != nil || fieldRate != nil || ivtc || deflicker != nil else { return nil }
        // Asked only to deflicker, fields are left alone; with IVTC, pictures fieldmatch leaves combed are deinterlaced.
        var filters = ArchivalFilters(deinterlace: deinterlace == nil && fieldRate == nil && !ivtc ? .off : .auto,
                                      inverseTelecine: ivtc, deflickerFrames: deflicker)
        if let deinterlace {
            guard let mode = ArchivalFilters.Deinterlace(rawValue: deinterlace) else {
                throw UsageError("--deinterlace \(deinterlace): choose " + ArchivalFilters.Deinterlace.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filters.deinterlace = mode
        }
        if let fieldRate {
            guard let rate = ArchivalFilters.FieldRate(rawValue: fieldRate) else { throw UsageError("--field-rate \(fieldRate): choose frame or field") }
            filters.fieldRate = rate
        }
        return filters
    }
}
