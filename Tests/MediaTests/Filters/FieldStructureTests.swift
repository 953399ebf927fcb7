import XCTest
@testable import Media

/// idet's measurement of the samples whose truth is known (samples/make_archival.sh).
final class FieldStructureTests: XCTestCase {
    func testInterlacedSampleMeasuresTopFieldFirst() throws {
        let structure = try FieldStructure.measure(samplePath("interlaced.mkv"))
        print("interlaced.mkv: \(structure.summary)")
        XCTAssertEqual(structure.frames, 60)
        XCTAssertTrue(structure.isInterlaced)
        XCTAssertEqual(structure.fieldOrder, .topFieldFirst)
        XCTAssertGreaterThanOrEqual(structure.topFieldFirst, 50)
        XCTAssertFalse(structure.looksTelecined)
        let plan = ArchivalFilters().plan(for: structure)
        XCTAssertEqual(plan.graph, "bwdif=mode=send_frame:parity=tff:deint=all")
        XCTAssertTrue(plan.reason.hasPrefix("idet: \(structure.topFieldFirst) TFF"), plan.reason)
        XCTAssertTrue(plan.reason.hasSuffix("→ bwdif, top field first, one frame per frame"), plan.reason)
    }

    /// Tags can lie: the same pictures losslessly re-encoded and tagged progressive are still measured interlaced.
    func testInterlacedPicturesTaggedProgressiveAreStillMeasuredInterlaced() throws {
        let directory = try temporaryDirectory()
        let mislabelled = directory + "/mislabelled.mkv"
        try ffmpeg(["-i", samplePath("interlaced.mkv"), "-vf", "setfield=prog", "-c:v", "ffv1", "-field_order", "progressive", mislabelled])
        XCTAssertEqual(try MediaProbe.probe(mislabelled).video.fieldOrder, "progressive")
        let structure = try FieldStructure.measure(mislabelled)
        XCTAssertEqual(structure.taggedFieldOrder, "progressive")
        XCTAssertEqual(structure.fieldOrder, .topFieldFirst, structure.summary)
        let plan = try ArchivalFilters().plan(forFile: mislabelled)
        XCTAssertEqual(plan.graph, "bwdif=mode=send_frame:parity=tff:deint=all", plan.reason)
        XCTAssertTrue(plan.reason.contains("(tagged progressive)"), plan.reason)
    }

    func testProgressiveTruthMeasuresProgressiveAndIsLeftAlone() throws {
        let structure = try FieldStructure.measure(samplePath("interlaced_truth.mkv"))
        print("interlaced_truth.mkv: \(structure.summary)")
        XCTAssertEqual(structure.frames, 120)
        XCTAssertFalse(structure.isInterlaced)
        XCTAssertNil(structure.fieldOrder)
        XCTAssertGreaterThanOrEqual(structure.progressive, 110)
        let plan = ArchivalFilters().plan(for: structure)
        XCTAssertNil(plan.graph)
        XCTAssertFalse(plan.givesProgressive)
        XCTAssertTrue(plan.reason.hasSuffix("→ progressive, not deinterlaced"), plan.reason)
    }

    func testTelecineSampleLooksLikePulldown() throws {
        let structure = try FieldStructure.measure(samplePath("telecine.mpg"))
        print("telecine.mpg: \(structure.summary), repeated \(structure.repeatedTop) top, \(structure.repeatedBottom) bottom")
        XCTAssertEqual(structure.frames, 90)
        XCTAssertTrue(structure.looksTelecined)
        XCTAssertEqual(structure.fieldOrder, .topFieldFirst)
        let plan = ArchivalFilters().plan(for: structure)
        XCTAssertTrue(plan.reason.contains("look like 3:2 pulldown"), plan.reason)
        XCTAssertEqual(ArchivalFilters(inverseTelecine: true).plan(for: structure).graph,
                       "fieldmatch=order=tff,bwdif=mode=send_frame:parity=tff:deint=interlaced,decimate")
    }

    func testProbeMeasuresFieldsOnlyWhenAsked() throws {
        let path = samplePath("telecine.mpg")
        XCTAssertNil(try MediaProbe.probe(path).fieldStructure)
        let measured = try XCTUnwrap(try MediaProbe.probe(path, measuringFields: true).fieldStructure)
        XCTAssertEqual(measured, try FieldStructure.measure(path))
        XCTAssertEqual(measured.verdict, "interlaced, top field first; 3:2 pulldown likely")
    }

    func testMeasuringStopsAfterTheFramesAsked() throws {
        XCTAssertEqual(try FieldStructure.measure(samplePath("interlaced_truth.mkv"), frames: 30).frames, 30)
    }
}
