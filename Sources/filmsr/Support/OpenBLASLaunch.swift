import Engine
import Foundation

/// OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads, which is before `main`
/// runs. So when it is unset, set it and start this same program again, once.
enum OpenBLASLaunch {
    static func ensureFastKernel() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let cpuInfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuInfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let coreType = BLASRuntime.recommendedCoreType(cpuFlags: Set(flagsLine.split(separator: " ")))
        else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // execv returns only on failure: carry on with whatever kernel OpenBLAS picked.
    }
}
