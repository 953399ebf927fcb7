/// Which frames to pick from a video: by index ("120") or by time ("5.2s", "1:02.5").
public enum FrameSelector: Equatable, Sendable, CustomStringConvertible {
    case index(Int)
    case time(Double)

    /// Parses "120", "5.2s", "1:02.5" or "1:00:02"; nil for anything else.
    public init?(_ text: String) {
        if let index = Int(text), index >= 0 {
            self = .index(index)
        } else if text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds >= 0 {
            self = .time(seconds)
        } else if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count <= 3, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
            self = .time(parts.reduce(0) { $0 * 60 + $1! })
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .index(let index): "frame \(index)"
        case .time(let seconds): "time \(seconds)s"
        }
    }

    /// Whether `frame` is the one meant: the frame at the index, or the frame on screen at the time.
    func matches(_ frame: DecodedFrame) -> Bool {
        switch self {
        case .index(let index): frame.index == index
        case .time(let seconds): frame.time <= seconds + 1e-9 && seconds < frame.time + frame.seconds - 1e-9
        }
    }
}
