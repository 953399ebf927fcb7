import Dispatch

/// Splits `0..<count` into one contiguous chunk per worker and runs them at once. For the
/// engine's memory-bound passes (Winograd transforms), which OpenBLAS's threads do not cover.
/// Chunks write disjoint memory, so the result does not depend on the split.
enum ParallelLoop {
    static func chunks(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
        let workers = max(1, min(workers, count))
        if workers == 1 {
            body(0..<count)
            return
        }
        // The chunks touch disjoint memory: sharing the closure across threads is safe.
        nonisolated(unsafe) let shared = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            shared((count * worker / workers)..<(count * (worker + 1) / workers))
        }
    }
}
