@testable import Engine
import Foundation

/// safetensors: both readers (float32/16, through a checkpoint load into two small parameters whose
/// names and sizes the seeds carry, and float64/32).
private let parameters = [Parameter(name: "a", Tensor(Shape(1, 1, 1, 2))), Parameter(name: "b", Tensor(Shape(1, 2, 1, 3)))]

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "fuzz.safetensors") { _ = try Safetensors.readDoubles(data, file: "fuzz.safetensors") }
    expectReadOrOneLineError(files: "fuzz.safetensors") { try Checkpoint.load(data, file: "fuzz.safetensors", into: parameters) }
    return 0
}
