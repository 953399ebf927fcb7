import XCTest
import TestSupport
@testable import Media

/// Every render segment that once crashed the segment reader is now a one-line error, read as
/// the join reads it: packet by packet, and for the presentation times alone.
final class FuzzRegressionTests: XCTestCase {
    func testRenderSegmentInputsAreErrors() throws {
        for input in try FuzzRegression.inputs("segment") {
            XCTAssertNil(FuzzRegression.failure(files: input.name) {
                let reader = try VideoSegmentFile.Reader(MemoryByteSource(input.data), path: input.name)
                let packet = Packet()
                while try reader.next(into: packet) { packet.unref() }
            }, input.name)
            XCTAssertNil(FuzzRegression.failure(files: input.name) {
                _ = try VideoSegmentFile.Reader(MemoryByteSource(input.data), path: input.name).remainingPresentationTimes()
            }, input.name)
        }
    }
}
