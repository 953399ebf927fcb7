@testable import Media
import Foundation

/// A render segment (render/segment-NNNNN.fsrseg), read as the join reads it: the header, every
/// packet, and, from the start again, the presentation times alone.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzRenderSegment(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "fuzz.fsrseg") {
        let reader = try VideoSegmentFile.Reader(MemoryByteSource(data), path: "fuzz.fsrseg")
        let packet = Packet()
        while try reader.next(into: packet) { packet.unref() }
    }
    expectReadOrOneLineError(files: "fuzz.fsrseg") {
        _ = try VideoSegmentFile.Reader(MemoryByteSource(data), path: "fuzz.fsrseg").remainingPresentationTimes()
    }
    return 0
}
