@testable import Pipeline
import Foundation

/// The work folder's adapted/unit-NNN.json.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzUnitSummary(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "unit-000.json") { _ = try AdaptationUnitSummary.read(json: data, file: "unit-000.json") }
    return 0
}
