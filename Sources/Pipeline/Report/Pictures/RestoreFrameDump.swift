import Engine
import Foundation
import Media

/// The pictures `--dump` writes for each chosen frame, all but the LR one at output size.
public enum DumpedPicture: String, CaseIterable, Sendable {
    /// The decoded frame, at the source's depth.
    case lr
    /// SR by the pretrained weights as loaded, before any adaptation.
    case baseline
    /// SR by the frame's scene's adapted weights: what the rendered film holds for the frame.
    case adapted
    /// LWay's high-frequency weight map W of the LR frame, grey, enlarged by nearest neighbour.
    case weightmap
    /// LR enlarged by nearest neighbour | baseline | adapted, each under a label naming it.
    case sideBySide = "side-by-side"
}

/// `filmsr restore --dump`: for chosen frames, the pictures a restorer needs to judge what
/// adaptation did, written into the work folder's dump/ after adaptation.
enum RestoreFrameDump {
    /// Refuses, before any adaptation, a frame index or time the film does not have.
    static func check(_ selectors: [FrameSelector], scenes: [Scene], input: String) throws {
        guard let first = scenes.first, let last = scenes.last else { return }
        for selector in selectors {
            let inside = switch selector {
            case .index(let index): index <= last.lastFrame
            case .time(let seconds): seconds >= first.startTime && seconds < last.endTime
            }
            guard inside else {
                throw MediaError(input, String(format: "--dump: no \(selector): it has %d frames, %.3f-%.3f s",
                                               last.lastFrame + 1, first.startTime, last.endTime))
            }
        }
    }

    /// One decoding pass over the chosen frames (FrameDumper writes them at the source's depth,
    /// so reading them back gives exactly the values rendering decodes), then each frame upscaled
    /// by `processor` exactly as rendering does it. Returns the indices of the frames dumped.
    static func write(_ input: String, filters: FilterPlan?, frames selectors: [FrameSelector], folder: RestoreWorkFolder,
                      processor: AdaptedSuperResolutionProcessor, outputScale: Int) throws -> [Int] {
        let depth = try MediaProbe.probe(input).video.bitsPerComponent > 8 ? 16 : 8
        var dumped: [Int] = []
        for written in try FrameDumper.dump(input, frames: selectors, into: folder.dumpFolder, bitsPerComponent: depth, filters: filters) {
            let staged = written.path, index = written.index
            let lrFile = folder.dump(frame: index, .lr)
            guard rename(staged, lrFile) == 0 else { throw PipelineError("\(lrFile): cannot write") }
            guard let lr = try VideoFrameReader(path: lrFile).next()?.image else { throw MediaError(lrFile, "has no picture") }

            let baseline = try processor.upscale(lr, with: .pretrained)
            let unit = processor.unitOfFrame(index)
            let adapted = try processor.upscale(lr, with: .adapted(unit: unit))
            let weightMap = HighFrequencyWeightMap.compute(Tensor(lr))
            try PNGWriter.write(baseline, to: folder.dump(frame: index, .baseline), bitsPerComponent: depth)
            try PNGWriter.write(adapted, to: folder.dump(frame: index, .adapted), bitsPerComponent: depth)
            try PNGWriter.write(InspectionPicture.grey(weightMap, enlargedBy: outputScale), to: folder.dump(frame: index, .weightmap))
            let sideBySide = InspectionPicture.labelledSideBySide([
                (InspectionPicture.enlarged(lr, by: outputScale), "frame \(index): LR, nearest x\(outputScale)"),
                (baseline, "unadapted SR"),
                (adapted, "rendered SR, unit \(unit + 1)"),
            ])
            try PNGWriter.write(sideBySide, to: folder.dump(frame: index, .sideBySide))
            dumped.append(index)
        }
        return dumped
    }
}
