import Foundation

/// Shows how long work is going on a terminal: one line, rewritten in place, with rate and ETA.
/// Prints nothing when standard error is not a terminal, so logs and CI stay quiet.
public final class ProgressReporter {
    private let stage: String
    private var total: Int?
    private let enabled: Bool
    private let start = Date()
    private var lastPrint = Date.distantPast
    private var printedSomething = false

    public init(stage: String, total: Int?, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.stage = stage
        self.total = total
        self.enabled = enabled
    }

    /// Reports `done` units of work (and a better estimate of the total, when one appears);
    /// redraws at most a few times a second.
    public func update(done: Int, total: Int? = nil, detail: String = "") {
        if let total { self.total = total }
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= 0.25 else { return }
        lastPrint = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.line(stage: stage, done: done, total: total,
                                                                         elapsed: now.timeIntervalSince(start), detail: detail)).utf8))
        printedSomething = true
    }

    /// Ends the progress line so that what follows starts on a fresh one.
    public func finish() {
        if printedSomething { FileHandle.standardError.write(Data("\n".utf8)) }
        printedSomething = false
    }

    /// "transcode  120/300  40%  24.1/s  ETA 0:07  scene 2" (the total and ETA only when known).
    static func line(stage: String, done: Int, total: Int?, elapsed: TimeInterval, detail: String) -> String {
        var parts = [stage]
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        if let total, total > 0 {
            parts.append("\(done)/\(total)")
            parts.append("\(min(100, done * 100 / total))%")
            parts.append(String(format: "%.1f/s", rate))
            if rate > 0 && done < total { parts.append("ETA " + duration(Double(total - done) / rate)) }
        } else {
            parts.append("\(done)")
            parts.append(String(format: "%.1f/s", rate))
        }
        if !detail.isEmpty { parts.append(detail) }
        return parts.joined(separator: "  ")
    }

    /// "1:02:03" or "2:03".
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
