import Engine
import Foundation
import Media
import TestSupport
import XCTest

@testable import Lab
@testable import Pipeline

/// The gate study (issue 14): on real adaptation the default gate keeps within the harm bound
/// where the stop rule does not, the committed defaults are the grid search's choice on the
/// tuning clips, and the study's statistics are right.
final class GateStudyTests: XCTestCase {
    /// Issue 14's failure on real adaptation: on the reel's second scene the stop rule keeps the
    /// last iteration, its held-out loss still falling, while the truth says those weights are
    /// worse than the unadapted network in PSNR and in LPIPS. The default gate, deciding from the
    /// same run without the truth, renders adapted weights that are within issue 14's harm bound,
    /// and the study's replay of the gate decides as restore's gate did.
    func testGateIsNotFooledWhereTheStopRuleIs() throws {
        let folder = NSTemporaryDirectory() + "filmsr-gate-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = GateStudy.Clip(name: "reel", input: Repository.sample("reel_old.mp4"), reference: Repository.sample("reel_clean.mp4"))
        let study = try GateStudy.run(
            clips: [clip], options: RestoreOptions(), resources: RestoreJob.Resources(), folder: folder,
            selected: { _, unit in unit == 1 })
        let unit = try XCTUnwrap(study.units.first)
        XCTAssertEqual(study.units.count, 1)

        let options = RestoreOptions().adaptation
        XCTAssertEqual(unit.stopRuleIteration, options.iterations, "the held-out loss kept falling to the end")
        let stopRule = GateStudy.quality(unit, candidate: GateStudy.stopRuleChoice(unit))
        XCTAssertLessThan(stopRule.psnr, unit.pretrained.psnr, "fooled: worse than unadapted")
        XCTAssertGreaterThan(stopRule.lpips, unit.pretrained.lpips, "fooled: worse than unadapted")

        let gated = try XCTUnwrap(unit.gateCandidate, "the gate adapts this scene: \(unit.gateReason)")
        XCTAssertEqual(GateStudy.gated(unit, AcceptanceOptions()), gated, "the replay decides as restore did")
        let chosen = GateStudy.quality(unit, candidate: gated)
        XCTAssertGreaterThanOrEqual(chosen.psnr - unit.pretrained.psnr, GateStudy.harmBound.psnr)
        XCTAssertLessThanOrEqual(chosen.lpips - unit.pretrained.lpips, GateStudy.harmBound.lpips)
        XCTAssertGreaterThan(chosen.psnr, stopRule.psnr)
        XCTAssertLessThan(chosen.lpips, stopRule.lpips)
    }

    /// The default gate is the one the threshold search chooses on the committed study's tuning
    /// clips, and it keeps every tuning scene within issue 14's harm bound.
    func testDefaultsAreTheSearchsChoiceOnTheTuningClips() throws {
        let studies = URL(fileURLWithPath: Repository.path("docs/studies"))
        let study = try GateStudy.Report(
            joining: ["gate-samples.json", "gate-devset.json"].map {
                try JSONDecoder().decode(GateStudy.Report.self, from: Data(contentsOf: studies.appendingPathComponent($0)))
            })
        let tuning: Set = ["reel", "tape", "blur", "grain"]
        let units = study.units.filter { tuning.contains($0.clip) }
        XCTAssertEqual(units.count, 15)
        XCTAssertEqual(GateStudy.chooseThresholds(units, base: AcceptanceOptions()), AcceptanceOptions())
        let summaries = GateStudy.summarise(units, gate: AcceptanceOptions(), heldOut: [])
        for clip in summaries {
            XCTAssertGreaterThanOrEqual(clip.gated.worstPSNRChange, GateStudy.harmBound.psnr, clip.clip)
            XCTAssertLessThanOrEqual(clip.gated.worstLPIPSChange, GateStudy.harmBound.lpips, clip.clip)
            XCTAssertGreaterThan(clip.gated.adaptedUnits, 0, clip.clip)
        }
    }

    /// The codec clip, a tuning clip added after the held-out mpeg2low result was seen: on its
    /// first scene every candidate's signals look like an improvement (the loss, the
    /// frame-to-frame change and the back-projection error all fall) while the truth says every
    /// one is worse in LPIPS, beyond issue 14's bound for all but one. The default gate renders one
    /// of them, and no setting of the search keeps all five tuning clips within the bound and
    /// gains: it falls back to accepting nothing.
    func testNoSearchedGateIsSafeOnTheCodecClip() throws {
        let studies = URL(fileURLWithPath: Repository.path("docs/studies"))
        let study = try GateStudy.Report(
            joining: ["gate-samples.json", "gate-devset.json", "gate-codec.json"].map {
                try JSONDecoder().decode(GateStudy.Report.self, from: Data(contentsOf: studies.appendingPathComponent($0)))
            })
        let tuning: Set = ["reel", "tape", "blur", "grain", "codec"]
        let units = study.units.filter { tuning.contains($0.clip) }
        XCTAssertEqual(units.count, 18)
        let first = try XCTUnwrap(units.first { $0.clip == "codec" && $0.unit == 0 })
        for candidate in first.candidates {
            XCTAssertLessThan(candidate.signals.lossChange, 0)
            XCTAssertLessThan(candidate.signals.temporalChange, 0)
            XCTAssertLessThan(candidate.signals.backProjectionChange, 0)
            XCTAssertGreaterThan(candidate.quality.lpips, first.pretrained.lpips)
        }
        let gated = GateStudy.quality(first, candidate: GateStudy.gated(first, AcceptanceOptions()))
        XCTAssertGreaterThan(gated.lpips - first.pretrained.lpips, GateStudy.harmBound.lpips)

        let chosen = GateStudy.chooseThresholds(units, base: AcceptanceOptions())
        XCTAssertTrue(units.allSatisfy { GateStudy.gated($0, chosen) == nil }, "the search's fallback accepts nothing")

        // With twice the LPIPS harm allowed the search finds a setting again, and keeps to that bound.
        let loose = (psnr: GateStudy.harmBound.psnr, lpips: 0.02)
        let trade = GateStudy.chooseThresholds(units, base: AcceptanceOptions(), bound: loose)
        XCTAssertTrue(units.contains { GateStudy.gated($0, trade) != nil })
        for unit in units {
            let rendered = GateStudy.quality(unit, candidate: GateStudy.gated(unit, trade))
            XCTAssertGreaterThanOrEqual(rendered.psnr - unit.pretrained.psnr, loose.psnr, "\(unit.clip) \(unit.unit)")
            XCTAssertLessThanOrEqual(rendered.lpips - unit.pretrained.lpips, loose.lpips, "\(unit.clip) \(unit.unit)")
        }
        XCTAssertTrue(
            units.contains { unit in
                GateStudy.quality(unit, candidate: GateStudy.gated(unit, trade)).lpips - unit.pretrained.lpips > GateStudy.harmBound.lpips
            }, "only the looser bound admits it")
    }

    /// The change measures exist only in studies recorded since they were added: joined with an
    /// older study, each signal is ranked over the candidates that have it. On the committed
    /// tuning study a change that repeats from frame to frame goes with LPIPS harm.
    func testChangeMeasuresAreRankedWhereRecorded() throws {
        let studies = URL(fileURLWithPath: Repository.path("docs/studies"))
        let older = try JSONDecoder().decode(GateStudy.Report.self, from: Data(contentsOf: studies.appendingPathComponent("gate-codec.json")))
        let newer = try JSONDecoder().decode(GateStudy.Report.self, from: Data(contentsOf: studies.appendingPathComponent("gate-change-tuning.json")))
        XCTAssertTrue(older.units.allSatisfy { $0.candidates.allSatisfy { $0.signals.changeCoherence == nil } })
        XCTAssertTrue(newer.units.allSatisfy { $0.candidates.allSatisfy { $0.signals.changeCoherence != nil } })
        let joined = older.units + newer.units.filter { $0.clip != "codec" }
        let correlations = Dictionary(uniqueKeysWithValues: GateStudy.correlations(joined).map { ($0.signal, $0) })
        let all = joined.reduce(0) { $0 + $1.candidates.count },
            recorded = joined.filter { $0.clip != "codec" }.reduce(0) { $0 + $1.candidates.count }
        XCTAssertEqual(correlations["lossChange"]?.candidates, all)
        XCTAssertEqual(correlations["changeCoherence"]?.candidates, recorded)
        XCTAssertEqual(correlations["detailRemoved"]?.candidates, recorded)
        let tuning = Dictionary(uniqueKeysWithValues: GateStudy.correlations(newer.units).map { ($0.signal, $0) })
        XCTAssertGreaterThan(tuning["changeCoherence"]!.lpips, 0.5)
        XCTAssertLessThan(tuning["detailRemoved"]!.lpips, -0.5)
    }

    func testSpearmanRanksWithTies() {
        XCTAssertEqual(GateStudy.ranks([3, 1, 2, 2]), [4, 1, 2.5, 2.5])
        XCTAssertEqual(GateStudy.spearman([1, 2, 3, 4], [10, 20, 25, 100]), 1, accuracy: 1e-12)
        XCTAssertEqual(GateStudy.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1, accuracy: 1e-12)
        XCTAssertEqual(GateStudy.spearman([1, 2], [2, 1]), 0)
    }

    /// (R_t - R_t-1) - (G_t - G_t-1) over luma: zero when the restore moves as the truth does,
    /// the flicker's size when it brightens alone.
    func testTemporalErrorMeasuresAddedFlicker() {
        let previous = (restored: [Float](repeating: 100, count: 4), clean: [Float](repeating: 90, count: 4))
        XCTAssertEqual(VideoComparison.temporalError((restored: [105, 105, 105, 105], clean: [95, 95, 95, 95]), previous: previous), 0)
        XCTAssertEqual(
            VideoComparison.temporalError((restored: [106, 106, 106, 106], clean: [90, 90, 90, 90]), previous: previous), 6, accuracy: 1e-9)
    }
}
