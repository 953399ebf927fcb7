import Foundation
import Media

/// The text `filmsr probe` prints: what a restorer needs to know before processing a file.
public enum MediaReport {
    public static func text(_ info: MediaInfo) -> String {
        let video = info.video
        var lines: [String] = []
        var container = info.containerName
        if let duration = info.duration { container += String(format: ", %.3f s", duration) }
        if let bitRate = info.bitRate { container += String(format: ", %.0f kb/s", Double(bitRate) / 1000) }
        lines.append("file:       \(info.path)")
        lines.append("container:  \(container)")
        lines.append("video:      #\(video.index) \(video.codecName) \(video.width)x\(video.height) \(video.pixelFormat) \(video.bitsPerComponent)-bit, SAR \(ratio(video.sampleAspectRatio)), DAR \(ratio(video.displayAspectRatio))")
        let rateKind = video.isVariableFrameRate
            ? String(format: "variable, frame intervals %.4f-%.4f s", video.minFrameInterval, video.maxFrameInterval)
            : "constant"
        lines.append("frame rate: \(video.averageFrameRate) (\(String(format: "%.3f", video.averageFrameRate.value)) fps, \(rateKind))")
        let declared = video.declaredFrameCount.map(String.init) ?? "not stated"
        lines.append("frames:     \(video.frameCount) counted (container header: \(declared))")
        lines.append(String(format: "timing:     starts at %.3f s, lasts %.3f s, time base %@", video.startTime, video.duration, video.timeBase.description))
        lines.append("scan:       \(scanDescription(video.fieldOrder))")
        lines.append("colour:     range \(video.color.range), matrix \(video.color.matrix), primaries \(video.color.primaries), transfer \(video.color.transfer)")
        for stream in info.otherStreams {
            var text = "#\(stream.index) \(stream.kind) \(stream.codecName)"
            if let rate = stream.sampleRate { text += " \(rate) Hz" }
            if let channels = stream.channels { text += " \(channels) ch" }
            if let duration = stream.duration { text += String(format: ", %.3f s", duration) }
            if let language = stream.language { text += " [\(language)]" }
            lines.append("stream:     \(text)")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ info: MediaInfo) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(info), as: UTF8.self)
    }

    static func ratio(_ value: Rational) -> String { "\(value.numerator):\(value.denominator)" }

    static func scanDescription(_ fieldOrder: String) -> String {
        switch fieldOrder {
        case "progressive": "progressive"
        case "tt": "interlaced, top field first"
        case "bb": "interlaced, bottom field first"
        case "tb": "interlaced, top field coded first, bottom shown first"
        case "bt": "interlaced, bottom field coded first, top shown first"
        default: "not stated"
        }
    }
}
