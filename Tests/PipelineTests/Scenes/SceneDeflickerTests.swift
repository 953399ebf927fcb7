import Foundation
import Media
@testable import Pipeline
import TestSupport
import XCTest

/// Deflickering scene by scene, measured on real footage with its truth: the flicker sample (a
/// gain flicker) and the clean reel with a brightness offset flicker added by FFmpeg. The frame means come back close to the truth's within
/// each scene, and the change of light at every cut is kept, not smoothed across it.
final class SceneDeflickerTests: XCTestCase {
    private func means(_ path: String, gains: FrameGains? = nil) throws -> [Double] {
        let reader = try VideoFrameReader(path: path)
        var means: [Double] = []
        while let frame = try reader.next() {
            let image = gains?.apply(frame.image, frame: frame.index) ?? frame.image
            means.append(image.pixels.reduce(0) { $0 + Double($1) } / Double(image.pixels.count))
        }
        return means
    }

    private let clean = Repository.sample("reel_clean.mp4")

    /// The clean reel through an FFmpeg filter, losslessly, in `folder`.
    private func cleanReel(through filter: String, in folder: String) throws -> String {
        try filtered(clean, through: filter, in: folder)
    }

    /// `source` through an FFmpeg filter, losslessly, in `folder`.
    private func filtered(_ source: String, through filter: String, in folder: String) throws -> String {
        let path = folder + "/filtered.mkv"
        let made = try ProcessRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", source, "-vf", filter, "-c:v", "ffv1", "-an", path])
        XCTAssertEqual(made.status, 0, made.errorText)
        return path
    }

    func testFlickerIsTakenOutWithinScenesAndCutsAreKept() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let flickering = try cleanReel(through: "eq=brightness='0.07*sin(2.4*n)':eval=frame", in: folder)
        let scenes = try SceneDetector(SceneDetectionOptions()).detect(path: clean).scenes
        XCTAssertGreaterThan(scenes.count, 2)
        let truth = try means(clean), before = try means(flickering)
        let gains = try SceneDeflicker.measure(flickering, filters: nil, scenes: scenes, window: 9)
        let after = try means(flickering, gains: gains)

        // Error against the truth, beyond the truth's own scene-wide level (what flicker changes).
        func error(_ measured: [Double]) -> Double {
            zip(measured, truth).map { abs($0 - $1) }.reduce(0, +) / Double(truth.count)
        }
        XCTAssertLessThan(error(after), error(before) * 0.5, "before \(error(before)), after \(error(after))")
        // Frame to frame within scenes: the flicker's jumps are gone.
        func jumps(_ measured: [Double]) -> Double {
            let inside = scenes.flatMap { scene in (scene.firstFrame + 1...scene.lastFrame).map { abs(measured[$0] - measured[$0 - 1]) } }
            return inside.reduce(0, +) / Double(inside.count)
        }
        XCTAssertLessThan(jumps(after), jumps(before) * 0.4, "before \(jumps(before)), after \(jumps(after))")
        // Per pixel: the temporal error against the truth, (A_t - A_t-1) - (T_t - T_t-1), halves at
        // least, and PSNR rises.
        let (temporalBefore, psnrBefore) = try pixelErrors(flickering, truth: clean, gains: nil)
        let (temporalAfter, psnrAfter) = try pixelErrors(flickering, truth: clean, gains: gains)
        XCTAssertLessThan(temporalAfter, temporalBefore * 0.5, "temporal error \(temporalBefore) -> \(temporalAfter)")
        XCTAssertGreaterThan(psnrAfter, psnrBefore + 1, "PSNR \(psnrBefore) -> \(psnrAfter) dB")
        // At every cut the step between shots stays the truth's, within the flicker's remainder.
        for scene in scenes.dropFirst() {
            let trueStep = truth[scene.firstFrame] - truth[scene.firstFrame - 1]
            let step = after[scene.firstFrame] - after[scene.firstFrame - 1]
            XCTAssertEqual(step, trueStep, accuracy: 0.03, "cut at \(scene.firstFrame)")
        }
    }

    /// The flicker sample (samples/make_archival.sh): three shots whose every frame is scaled by
    /// a gain of 0.86-1.14, against its progressive truth. Scenes are found on the flickering
    /// clip itself, as restore finds them; the per-pixel temporal error against the truth falls
    /// by more than half and PSNR rises.
    func testTheFlickerSampleComesBackCloseToItsTruth() throws {
        let flickering = Repository.sample("flicker.mkv"), truth = Repository.sample("flicker_truth.mkv")
        let scenes = try SceneDetector(SceneDetectionOptions()).detect(path: flickering).scenes
        XCTAssertEqual(scenes.map(\.firstFrame), [0, 40, 72], "the sample's cuts, and none from the flicker")
        let gains = try SceneDeflicker.measure(flickering, filters: nil, scenes: scenes, window: 9)
        let (temporalBefore, psnrBefore) = try pixelErrors(flickering, truth: truth, gains: nil)
        let (temporalAfter, psnrAfter) = try pixelErrors(flickering, truth: truth, gains: gains)
        let truthMeans = try means(truth), before = try means(flickering), after = try means(flickering, gains: gains)
        func meanError(_ measured: [Double]) -> Double {
            zip(measured, truthMeans).map { abs($0 - $1) }.reduce(0, +) / Double(truthMeans.count)
        }
        print(String(format: "flicker sample: temporal error %.4f -> %.4f (%+.0f%%), PSNR %.2f -> %.2f dB, frame means from the truth's %.4f -> %.4f",
                     temporalBefore, temporalAfter, 100 * (temporalAfter / temporalBefore - 1), psnrBefore, psnrAfter,
                     meanError(before), meanError(after)))
        XCTAssertLessThan(temporalAfter, temporalBefore * 0.5, "temporal error \(temporalBefore) -> \(temporalAfter)")
        XCTAssertGreaterThan(psnrAfter, psnrBefore + 1, "PSNR \(psnrBefore) -> \(psnrAfter) dB")
        // The step of light at each cut is kept, not smoothed away: within 0.05 of the truth's
        // and no further from it than the flickering clip's. What is left is
        // the flicker of the frames beside the cut, whose windows stop there, one-sided.
        for scene in scenes.dropFirst() {
            func step(_ measured: [Double]) -> Double { measured[scene.firstFrame] - measured[scene.firstFrame - 1] }
            print(String(format: "flicker sample: cut at %d: step of the frame means %.3f in the truth, %.3f flickering, %.3f deflickered",
                         scene.firstFrame, step(truthMeans), step(before), step(after)))
            XCTAssertEqual(step(after), step(truthMeans), accuracy: 0.05, "cut at \(scene.firstFrame)")
            XCTAssertLessThanOrEqual(abs(step(after) - step(truthMeans)), abs(step(before) - step(truthMeans)) + 0.005, "cut at \(scene.firstFrame)")
        }
    }

    /// The flicker sample's truth with grain and no flicker: deflickering moves PSNR against the
    /// truth by less than 0.1 dB.
    func testTheFlickerSamplesTruthWithGrainIsLeftAsItWas() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let truth = Repository.sample("flicker_truth.mkv")
        let grainy = try filtered(truth, through: "noise=alls=12:allf=t", in: folder)
        let scenes = try SceneDetector(SceneDetectionOptions()).detect(path: truth).scenes
        let gains = try SceneDeflicker.measure(grainy, filters: nil, scenes: scenes, window: 9)
        let before = try pixelErrors(grainy, truth: truth, gains: nil).psnr, after = try pixelErrors(grainy, truth: truth, gains: gains).psnr
        print(String(format: "flicker sample's truth with grain: PSNR %.3f -> %.3f dB", before, after))
        XCTAssertEqual(after, before, accuracy: 0.1, "PSNR \(before) -> \(after) dB")
    }

    /// On a clip without flicker (the clean reel with grain added) deflickering changes the
    /// frames by less than 0.1 dB of PSNR against the truth.
    func testAClipWithoutFlickerIsLeftAsItWas() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let grainy = try cleanReel(through: "noise=alls=12:allf=t", in: folder)
        let scenes = try SceneDetector(SceneDetectionOptions()).detect(path: clean).scenes
        let gains = try SceneDeflicker.measure(grainy, filters: nil, scenes: scenes, window: 9)
        let before = try pixelErrors(grainy, truth: clean, gains: nil).psnr, after = try pixelErrors(grainy, truth: clean, gains: gains).psnr
        XCTAssertEqual(after, before, accuracy: 0.1, "PSNR \(before) -> \(after) dB")
    }

    /// The temporal error (mean absolute frame-to-frame change that the truth does not have) and
    /// the PSNR over the whole clip, both on RGB in 0-1.
    private func pixelErrors(_ path: String, truth: String, gains: FrameGains?) throws -> (temporal: Double, psnr: Double) {
        let reader = try VideoFrameReader(path: path), reference = try VideoFrameReader(path: truth)
        var previous: (RGBImage, RGBImage)?
        var temporal = 0.0, squared = 0.0, values = 0, changes = 0
        while let frame = try reader.next(), let truthFrame = try reference.next() {
            let image = gains?.apply(frame.image, frame: frame.index) ?? frame.image
            for (a, t) in zip(image.pixels, truthFrame.image.pixels) { squared += Double((a - t) * (a - t)) }
            values += image.pixels.count
            if let (lastImage, lastTruth) = previous {
                for i in image.pixels.indices {
                    temporal += abs(Double((image.pixels[i] - lastImage.pixels[i]) - (truthFrame.image.pixels[i] - lastTruth.pixels[i])))
                }
                changes += image.pixels.count
            }
            previous = (image, truthFrame.image)
        }
        return (temporal / Double(changes), 10 * log10(1 / (squared / Double(values))))
    }

    /// Gains follow the moving average within a scene only: a scene of steady light gets none.
    func testASteadySceneIsLeftAlone() {
        let means: [[Double]] = [[0.5, 0.5, 0.5], [0.6, 0.6, 0.6], [0.5, 0.5, 0.5], [0.2, 0.3, 0.4], [0.2, 0.3, 0.4], [0.2, 0.3, 0.4]]
        let scenes = [Scene(index: 0, firstFrame: 0, frameCount: 3, startTime: 0, endTime: 0.125),
                      Scene(index: 1, firstFrame: 3, frameCount: 3, startTime: 0.125, endTime: 0.25)]
        let gains = SceneDeflicker.gains(means: means, scenes: scenes, window: 3).gains
        for frame in 3..<6 { XCTAssertEqual(gains[frame], [1, 1, 1], "frame \(frame)") }
        XCTAssertEqual(Double(gains[1][0]) * 0.6, (0.5 + 0.6 + 0.5) / 3, accuracy: 1e-6)
        XCTAssertEqual(Double(gains[0][0]) * 0.5, (0.5 + 0.6) / 2, accuracy: 1e-6, "the window stops at the scene's start")
    }
}
