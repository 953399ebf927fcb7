import XCTest
import Pipeline

final class ProgressLineTests: XCTestCase {
    func testLineShowsCountRateAndRemainingTime() {
        let line = ProgressLine.text(JobProgress(stage: "restore", done: 120, total: 300, detail: "scene 2/5"), elapsed: 60)
        XCTAssertEqual(line, "restore  120/300  40%  2.0/s  ETA 1:30  scene 2/5")
    }

    func testLineWithoutAKnownTotalHasNoETA() {
        XCTAssertEqual(ProgressLine.text(JobProgress(stage: "transcode", done: 50, total: nil), elapsed: 2), "transcode  50  25.0/s")
    }

    func testDurationsReadAsClockTimes() {
        XCTAssertEqual(ProgressLine.duration(59.6), "1:00")
        XCTAssertEqual(ProgressLine.duration(3723), "1:02:03")
    }
}
