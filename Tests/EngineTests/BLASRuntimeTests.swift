import COpenBLAS
import XCTest
@testable import Engine

final class BLASRuntimeTests: XCTestCase {
    func testSgemmAgreesWithANaiveProduct() {
        // C = A (m x k) * B (k x n), row-major: the shape im2col convolution will use.
        let m = 7, k = 13, n = 11
        var generator = SystemRandomNumberGenerator()
        let a = (0..<m * k).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<k * n).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = [Float](repeating: 0, count: m * n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        for i in 0..<m {
            for j in 0..<n {
                var expected = 0.0
                for p in 0..<k { expected += Double(a[i * k + p]) * Double(b[p * n + j]) }
                XCTAssertEqual(Double(c[i * n + j]), expected, accuracy: 1e-5)
            }
        }
    }

    func testRecommendsTheWidestKernelThatRuns() {
        let avx2: Set<Substring> = ["sse3", "avx", "avx2", "fma"]
        XCTAssertEqual(BLASRuntime.recommendedCoreType(cpuFlags: avx2.union(["avx512f", "avx512dq", "avx512bw", "avx512vl"])), "SkylakeX")
        // AVX-512 without BW (Knights Landing) cannot run SkylakeX's kernel.
        XCTAssertEqual(BLASRuntime.recommendedCoreType(cpuFlags: avx2.union(["avx512f", "avx512cd"])), "Haswell")
        XCTAssertEqual(BLASRuntime.recommendedCoreType(cpuFlags: avx2), "Haswell")
        XCTAssertNil(BLASRuntime.recommendedCoreType(cpuFlags: ["sse3", "avx"]))
    }

    func testTheKernelAskedForIsTheKernelLoaded() throws {
        // scripts/test.sh sets OPENBLAS_CORETYPE to the kernel filmsr reports getting (recommendedCoreType).
        guard let requested = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] else {
            throw XCTSkip("OPENBLAS_CORETYPE is not set: this CPU keeps OpenBLAS's own choice")
        }
        XCTAssertEqual(BLASRuntime.coreName.lowercased(), requested.lowercased())
    }
}
