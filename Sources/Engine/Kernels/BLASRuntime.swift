import COpenBLAS

/// Facts about the OpenBLAS library this process loaded.
public enum BLASRuntime {
    /// The kernel family OpenBLAS chose, e.g. "Haswell" or (on CPUs it does not recognise) "Prescott".
    public static var coreName: String {
        String(cString: openblas_get_corename())
    }

    public static var threadCount: Int {
        Int(openblas_get_num_threads())
    }

    /// The kernel to ask for through OPENBLAS_CORETYPE: OpenBLAS 0.3.21 does not recognise
    /// recent CPUs and falls back to its slow SSE3 kernel (Prescott: 25-60 GFLOP/s instead of 150-220 here). SkylakeX's
    /// AVX-512 kernel where the CPU has AVX-512 F/DQ/BW/VL (1.6x faster than Haswell's on the
    /// Winograd products, whose small shapes it runs without packing); otherwise Haswell's
    /// AVX2/FMA kernel where it runs; nil where neither does.
    public static func recommendedCoreType(cpuFlags: Set<Substring>) -> String? {
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy({ cpuFlags.contains($0) }) { return "SkylakeX" }
        return cpuFlags.contains("avx2") && cpuFlags.contains("fma") ? "Haswell" : nil
    }
}

extension BLASRuntime {
    /// Threads OpenBLAS may use for each matrix product (0 keeps its default: one per core).
    public static func setThreadCount(_ count: Int) {
        if count > 0 { openblas_set_num_threads(Int32(count)) }
    }

    /// Runs `body` with OpenBLAS's products on each calling thread: for work that splits itself
    /// between threads, where each thread's small products would lose more to OpenBLAS's own
    /// hand-offs than they gain.
    static func withProductsOnCallingThread(_ body: () -> Void) {
        let threads = threadCount
        if threads > 1 { openblas_set_num_threads(1) }
        body()
        if threads > 1 { openblas_set_num_threads(Int32(threads)) }
    }
}
