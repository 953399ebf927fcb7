import XCTest

@testable import Engine

/// Five training steps of a whole SRVGGNetCompact replayed against PyTorch's
/// (scripts/reference/compact_training_reference.py): the network comes through our ncnn reader,
/// and every step's loss and every parameter's gradient, the trained weights and their EMA must
/// agree. Per-layer finite differences cannot see wrong wiring between layers, nor an
/// Adam/EMA ordering slip; this can.
final class WholeNetworkTrainingTests: XCTestCase {
    static let folder = repositoryRoot + "/Tests/EngineTests/Reference/training/"
    static let steps = 5, learningRate: Float = 1e-3, emaDecay: Float = 0.9

    struct Reference {
        let values: [String: [Float]]

        init() throws {
            let (entries, _) = try Safetensors.read(WholeNetworkTrainingTests.folder + "steps.safetensors")
            values = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.values) })
        }

        subscript(_ name: String) -> [Float] {
            get throws {
                guard let found = values[name] else { throw EngineError("steps.safetensors has no '\(name)'") }
                return found
            }
        }
    }

    /// Trains the reference network as PyTorch did; `emaFirst` makes the ordering slip the test must catch.
    func train(emaFirst: Bool = false, check: (_ step: Int, _ loss: Double, _ parameters: [Parameter]) throws -> Void) throws -> (
        trained: [Parameter], averages: WeightSet
    ) {
        let reference = try Reference()
        let graph = try NCNNModel.load(param: Self.folder + "compact-tiny.param", weights: Self.folder + "compact-tiny.bin")
        let input = Tensor(Shape(4, 3, 16, 16), values: try reference["input"])
        let target = Tensor(Shape(4, 3, 64, 64), values: try reference["target"])
        let parameters = graph.parameters
        let adam = Adam(learningRate: Self.learningRate)
        let ema = ExponentialMovingAverage(parameters, decay: Self.emaDecay)
        for step in 0..<Self.steps {
            graph.zeroGradients()
            let (loss, gradient) = Loss.l1(try graph.forward([input], training: true)[0], target)
            _ = graph.backward([gradient])
            try check(step, loss, parameters)
            if emaFirst { ema.update() }
            adam.step(parameters)
            if !emaFirst { ema.update() }
        }
        return (parameters, ema.averages)
    }

    /// The largest difference relative to the tensor's largest magnitude: sums taken in another
    /// order differ by float32 rounding (measured: under 1e-5 here), wrong wiring by order 1.
    func relativeDifference(_ ours: [Float], _ theirs: [Float]) -> Float {
        XCTAssertEqual(ours.count, theirs.count)
        let scale = theirs.map(abs).max() ?? 0
        return zip(ours, theirs).map { abs($0 - $1) }.max().map { $0 / max(scale, 1e-12) } ?? 0
    }

    func testFiveAdamStepsWithTheirEMAMatchPyTorch() throws {
        let reference = try Reference()
        var worstGradient: Float = 0
        let (trained, averages) = try train { step, loss, parameters in
            let theirs = Double(try reference["step\(step).loss"][0])
            XCTAssertEqual(loss, theirs, accuracy: 1e-5 * theirs, "loss at step \(step)")
            for parameter in parameters {
                let difference = relativeDifference(parameter.gradient.values, try reference["step\(step).gradient.\(parameter.name)"])
                worstGradient = max(worstGradient, difference)
                XCTAssertLessThan(difference, 1e-4, "gradient of \(parameter.name) at step \(step)")
            }
        }
        XCTAssertEqual(trained.count, 6 * 2 + 5, "6 convolutions (weights, biases) and 5 PReLU slopes")
        // Adam divides by the root of the second moment, so a gradient a hair from zero can move its
        // weight by up to a step either way: weights are compared in units of the learning rate.
        var worstWeight: Float = 0
        for (parameter, average) in zip(trained, averages.values) {
            let weights = zip(parameter.value.values, try reference["trained.\(parameter.name)"]).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(weights, 0.01 * Self.learningRate, "trained \(parameter.name)")
            let smoothed = zip(average.values, try reference["ema.\(parameter.name)"]).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(smoothed, 0.01 * Self.learningRate, "EMA of \(parameter.name)")
            worstWeight = max(worstWeight, weights, smoothed)
        }
        print("whole-network training against PyTorch: worst gradient difference \(worstGradient) of the tensor's largest, worst weight \(worstWeight / Self.learningRate) learning rates")
    }

    /// The comparison is sharp enough to see an EMA taken before the Adam step instead of after.
    func testAnEMATakenBeforeTheStepIsCaught() throws {
        let reference = try Reference()
        let (_, averages) = try train(emaFirst: true) { _, _, _ in }
        let parameters = try NCNNModel.load(param: Self.folder + "compact-tiny.param", weights: Self.folder + "compact-tiny.bin").parameters
        let worst =
            zip(parameters, averages.values).map { parameter, average in
                zip(average.values, (try? reference["ema.\(parameter.name)"]) ?? []).map { abs($0 - $1) }.max() ?? 0
            }.max() ?? 0
        XCTAssertGreaterThan(worst, 0.01 * Self.learningRate)
    }
}
