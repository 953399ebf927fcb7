@testable import Pipeline
import Foundation

/// The work folder's job.json.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJobRecord(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "job.json") { _ = try RestoreJobRecord.read(json: data, file: "job.json") }
    return 0
}
