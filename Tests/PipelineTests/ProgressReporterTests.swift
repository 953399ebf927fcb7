import XCTest
@testable import Pipeline

final class ProgressReporterTests: XCTestCase {
    func testLineShowsCountRateAndRemainingTime() {
        let line = ProgressReporter.line(stage: "restore", done: 120, total: 300, elapsed: 60, detail: "scene 2/5")
        XCTAssertEqual(line, "restore  120/300  40%  2.0/s  ETA 1:30  scene 2/5")
    }

    func testLineWithoutAKnownTotalHasNoETA() {
        XCTAssertEqual(ProgressReporter.line(stage: "transcode", done: 50, total: nil, elapsed: 2, detail: ""),
                       "transcode  50  25.0/s")
    }

    func testDurationsReadAsClockTimes() {
        XCTAssertEqual(ProgressReporter.duration(59.6), "1:00")
        XCTAssertEqual(ProgressReporter.duration(3723), "1:02:03")
    }
}
