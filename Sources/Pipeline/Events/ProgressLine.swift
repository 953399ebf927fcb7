import Foundation

/// How progress reads on one line: "render  120/300  40%  2.0/s  ETA 1:30  scene 2/5".
public enum ProgressLine {
    /// The line for `progress` after `elapsed` seconds of its stage (the total and ETA only when known).
    public static func text(_ progress: JobProgress, elapsed: TimeInterval) -> String {
        var parts = [progress.stage]
        let done = progress.done
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        if let total = progress.total, total > 0 {
            parts.append("\(done)/\(total)")
            parts.append("\(min(100, done * 100 / total))%")
            parts.append(String(format: "%.1f/s", rate))
            if rate > 0 && done < total { parts.append("ETA " + duration(Double(total - done) / rate)) }
        } else {
            parts.append("\(done)")
            parts.append(String(format: "%.1f/s", rate))
        }
        if !progress.detail.isEmpty { parts.append(progress.detail) }
        return parts.joined(separator: "  ")
    }

    /// "1:02:03" or "2:03".
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
