import Foundation
import Pipeline

/// Where a job's events go, the one rule of every command: standard output carries results (the
/// file written, tables, JSON) and nothing else, so that a script can take them; messages about
/// the work go to standard error, one flushed line each (a job of hours is followed in a log);
/// progress is one line on standard error rewritten in place, only when that is a terminal, so
/// logs and CI stay quiet.
final class TerminalEvents {
    private let drawsProgress: Bool
    private var stageStarts: [String: Date] = [:]
    private var lastDrawn = Date.distantPast
    private var lineOpen = false

    init(drawsProgress: Bool = isatty(STDERR_FILENO) == 1) {
        self.drawsProgress = drawsProgress
    }

    /// The handler to give a library: `RestoreJob.run(..., events: terminal.handle)`.
    func handle(_ event: JobEvent) {
        switch event {
        case .message(let line):
            endLine()
            write(line + "\n")
        case .progress(let progress):
            let now = Date()
            let start = stageStarts[progress.stage] ?? now
            stageStarts[progress.stage] = start
            guard drawsProgress, now.timeIntervalSince(lastDrawn) >= 0.25 else { return }
            lastDrawn = now
            write("\r\u{1B}[K" + ProgressLine.text(progress, elapsed: now.timeIntervalSince(start)))
            lineOpen = true
        case .stageFinished(let stage):
            stageStarts[stage] = nil
            endLine()
        }
    }

    private func endLine() {
        if lineOpen { write("\n") }
        lineOpen = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
