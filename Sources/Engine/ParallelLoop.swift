import Dispatch

/// Splits `0..<count` into one contiguous chunk per worker and runs them at once. For the
/// engine's passes that OpenBLAS's threads do not cover (Winograd, im2col).
/// Chunks write disjoint memory, so the result does not depend on the split.
enum ParallelLoop {
    static func chunks(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
        indexedChunks(count, workers: workers) { _, range in body(range) }
    }

    /// The same, telling each chunk which worker (0..<workers) runs it, for per-worker scratch.
    static func indexedChunks(_ count: Int, workers: Int, _ body: (Int, Range<Int>) -> Void) {
        let workers = max(1, min(workers, count))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        // The chunks touch disjoint memory: sharing the closure across threads is safe.
        nonisolated(unsafe) let shared = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            shared(worker, (count * worker / workers)..<(count * (worker + 1) / workers))
        }
    }
}
