import Dispatch
import Foundation

/// Work split between threads, for the engine's passes that OpenBLAS's threads do not cover
/// (Winograd, im2col). The pieces write disjoint memory, so the result does not depend on the split.
enum ParallelLoop {
    /// Splits `0..<count` into one contiguous chunk per worker and runs them at once.
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

    /// Runs `body(worker, item)` for every item of `0..<count`, each worker taking the next item
    /// as it comes free, so that a worker slowed by other processes on its core takes fewer
    /// (a fixed split would wait for it). Items write disjoint memory: the order does not matter.
    static func items(_ count: Int, workers: Int, _ body: (Int, Int) -> Void) {
        let workers = max(1, min(workers, count))
        if workers == 1 {
            for item in 0..<count { body(0, item) }
            return
        }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) let shared = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                lock.lock()
                let item = next
                next += 1
                lock.unlock()
                guard item < count else { return }
                shared(worker, item)
            }
        }
    }
}
