import Engine
import Foundation

/// OpenBLAS reads its settings from the environment once, when the library loads, which is
/// before `main` runs. So when one of ours is unset, set it and start this same program again,
/// once.
enum OpenBLASLaunch {
    /// OpenBLAS's threads spin for 2^n cycles after each product before they sleep. Its default
    /// (2^28, about 0.1 s) keeps a core busy long after a threaded product, and the engine's own
    /// threads that run next (Winograd transforms, tiles) then wait for that core: a 2-thread
    /// Winograd layer timed right after an im2col one ran at about 1-thread speed in 16 of 18
    /// runs, and at full speed with 2^18 (about 0.1 ms; README, Benchmarks).
    static let threadTimeout = "18"

    static func ensureSettings() {
        let environment = ProcessInfo.processInfo.environment
        var settings: [(String, String)] = []
        if environment["OPENBLAS_CORETYPE"] == nil, let coreType = recommendedCoreType() {
            settings.append(("OPENBLAS_CORETYPE", coreType))
        }
        if environment["OPENBLAS_THREAD_TIMEOUT"] == nil {
            settings.append(("OPENBLAS_THREAD_TIMEOUT", threadTimeout))
        }
        guard !settings.isEmpty else { return }
        for (name, value) in settings { setenv(name, value, 1) }
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // execv returns only on failure: carry on with OpenBLAS's own choices.
    }

    private static func recommendedCoreType() -> String? {
        guard let cpuInfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuInfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        return BLASRuntime.recommendedCoreType(cpuFlags: Set(flagsLine.split(separator: " ")))
    }
}
