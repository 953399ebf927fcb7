@testable import Pipeline
import Foundation

/// The work folder's units.json, checked against a film of three scenes (frames 0-9, 10-19, 20-29;
/// the seeds are written for it).
private let scenes = (0..<3).map { Scene(index: $0, firstFrame: 10 * $0, frameCount: 10, startTime: Double($0), endTime: Double($0 + 1)) }

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzAdaptationUnits(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "units.json") { _ = try AdaptationUnit.readList(json: data, file: "units.json", scenes: scenes) }
    return 0
}
