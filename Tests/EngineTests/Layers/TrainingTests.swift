import XCTest
@testable import Engine

final class TrainingTests: XCTestCase {
    func testAdamFirstStepMovesEachWeightByTheLearningRate() {
        let parameter = Parameter(name: "w", Tensor(Shape(1, 1, 1, 3), values: [1, -2, 3]))
        parameter.gradient.copy(from: Tensor(Shape(1, 1, 1, 3), values: [0.5, -4, 0]))
        let frozen = Parameter(name: "f", Tensor(Shape(1, 1, 1, 1), values: [7]), trainable: false)
        frozen.gradient.fill(1)
        Adam(learningRate: 0.1).step([parameter, frozen])
        // After bias correction the first step is lr * g / (|g| + eps).
        XCTAssertEqual(parameter.value.values[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(parameter.value.values[1], -1.9, accuracy: 1e-6)
        XCTAssertEqual(parameter.value.values[2], 3, accuracy: 1e-6)
        XCTAssertEqual(frozen.value.values, [7])
    }

    func testAdamWithWeightDecayShrinksWeights() {
        let parameter = Parameter(name: "w", Tensor(Shape(1, 1, 1, 1), values: [2]))
        Adam(learningRate: 0.1, weightDecay: 0.5).step([parameter])  // zero gradient
        XCTAssertEqual(parameter.value.values[0], 2 - 0.1 * 0.5 * 2, accuracy: 1e-6)
    }

    func testAdamResumedFromSavedStateTakesTheSameSteps() throws {
        var generator = SeededGenerator(seed: 4)
        func parameters() -> [Parameter] { [Parameter(name: "a", Tensor(Shape(1, 2, 3, 3))), Parameter(name: "b", Tensor(Shape(1, 1, 1, 4)))] }
        let gradients = (0..<5).map { _ in parameters().map { randomTensor($0.shape, &generator) } }
        func train(_ optimiser: Adam, _ weights: [Parameter], steps: Range<Int>) {
            for step in steps {
                for (parameter, gradient) in zip(weights, gradients[step]) { parameter.gradient.copy(from: gradient) }
                optimiser.step(weights)
            }
        }
        let straight = parameters(), optimiser = Adam(learningRate: 0.01)
        train(optimiser, straight, steps: 0..<5)

        let first = parameters(), interrupted = Adam(learningRate: 0.01)
        train(interrupted, first, steps: 0..<3)
        let saved = interrupted.stateEntries(for: first)
        XCTAssertEqual(saved.map(\.name), ["a.adam_m", "a.adam_v", "b.adam_m", "b.adam_v"])
        let resumed = Adam(learningRate: 0.01)
        try resumed.restoreState(from: saved, for: first, stepCount: 3)
        train(resumed, first, steps: 3..<5)
        XCTAssertEqual(first.map(\.value.values), straight.map(\.value.values))
        XCTAssertThrowsError(try Adam(learningRate: 0.01).restoreState(from: Array(saved.prefix(2)), for: first, stepCount: 3))
    }

    func testKaimingInitialisationIsSeededAndScaled() {
        func layer(seed: UInt64, scale: Float) -> Convolution {
            let convolution = Convolution(inputChannels: 16, outputChannels: 8, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
            var generator = SeededGenerator(seed: seed)
            WeightInitialisation.kaimingUniform(convolution, slope: 0, scale: scale, using: &generator)
            return convolution
        }
        let values = layer(seed: 1, scale: 1).weight.value.values
        XCTAssertEqual(values, layer(seed: 1, scale: 1).weight.value.values)
        XCTAssertNotEqual(values, layer(seed: 2, scale: 1).weight.value.values)
        // U(-b, b) with b = sqrt(2) * sqrt(3 / fan_in): variance 2 / fan_in.
        let variance = values.reduce(0) { $0 + Double($1 * $1) } / Double(values.count)
        XCTAssertEqual(variance, 2.0 / 144, accuracy: 0.15 * 2.0 / 144)
        XCTAssertLessThanOrEqual(values.map(abs).max()!, (6.0 / 144).squareRoot())
        XCTAssertEqual(layer(seed: 1, scale: 0.1).weight.value.values.map(abs).max()!, values.map(abs).max()! * 0.1, accuracy: 1e-6)
    }

    func testStackingAndTakingItemsBack() {
        let a = Tensor(Shape(1, 2, 2, 2), values: (0..<8).map(Float.init)), b = Tensor(Shape(1, 2, 2, 2), values: (8..<16).map(Float.init))
        let batch = Tensor(stacking: [a, b])
        XCTAssertEqual(batch.shape, Shape(2, 2, 2, 2))
        XCTAssertEqual(batch.values, (0..<16).map(Float.init))
        XCTAssertEqual(batch.item(1).values, b.values)
    }

    func testAConvolutionLearnsAKnownFilter() throws {
        // Fit a 3x3 convolution to the output of a fixed one: loss must fall by orders of magnitude.
        var generator = SeededGenerator(seed: 11)
        let teacher = Convolution(inputChannels: 2, outputChannels: 2, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        for parameter in teacher.parameters { parameter.value.copy(from: randomTensor(parameter.shape, &generator)) }
        let graph = Graph()
        let input = graph.addInput("x")
        let student = Convolution(inputChannels: 2, outputChannels: 2, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        graph.outputBlobs = [graph.add(student, name: "student", input)]
        let optimiser = Adam(learningRate: 0.05)
        var first = 0.0, last = 0.0
        for step in 0..<300 {
            let x = randomTensor(Shape(4, 2, 8, 8), &generator)
            let target = Tensor(Shape(4, 2, 8, 8))
            teacher.forward([x], [target])
            let prediction = try graph.forward([x], training: true)[0]
            let (loss, gradient) = Loss.mse(prediction, target)
            graph.zeroGradients()
            graph.backward([gradient])
            optimiser.step(graph.parameters)
            if step == 0 { first = loss }
            last = loss
        }
        XCTAssertLessThan(last, first * 1e-3, "loss \(first) -> \(last)")
    }

    func testExponentialMovingAverage() {
        let parameter = Parameter(name: "w", Tensor(Shape(1, 1, 1, 1), values: [0]))
        let average = ExponentialMovingAverage([parameter], decay: 0.9)
        parameter.value.fill(1)
        average.update()
        average.update()
        let averages = average.averages
        XCTAssertEqual(averages.values[0].values[0], 1 - 0.81, accuracy: 1e-6)
        averages.load(into: [parameter])
        XCTAssertEqual(parameter.value.values[0], 0.19, accuracy: 1e-6)
        parameter.value.fill(5)
        XCTAssertEqual(averages.values[0].values[0], 0.19, accuracy: 1e-6, "a weight set is a copy, not the live values")
    }

    func testL1AndMSEValuesAndGradients() throws {
        let prediction = Tensor(Shape(1, 2, 1, 2), values: [1, 2, 3, 4])
        let target = Tensor(Shape(1, 2, 1, 2), values: [0, 2, 5, 4.5])
        let l1 = Loss.l1(prediction, target)
        XCTAssertEqual(l1.value, (1 + 0 + 2 + 0.5) / 4, accuracy: 1e-9)
        XCTAssertEqual(l1.gradient.values, [0.25, 0, -0.25, -0.25])
        // A one-channel weight map applies to every channel of its pixel.
        let weight = Tensor(Shape(1, 1, 1, 2), values: [1, 0.5])
        let weighted = Loss.l1(prediction, target, weight: weight)
        XCTAssertEqual(weighted.value, (1 + 0 + 2 + 0.25) / 4, accuracy: 1e-9)
        XCTAssertEqual(weighted.gradient.values, [0.25, 0, -0.25, -0.125])
        let mse = Loss.mse(prediction, target)
        XCTAssertEqual(mse.value, (1 + 0 + 4 + 0.25) / 4, accuracy: 1e-9)
        XCTAssertEqual(mse.gradient.values, [0.5, 0, -1, -0.25])
    }

    /// Cross-entropy: its value for known logits, invariance to a shift of every logit (large
    /// logits do not overflow), and its gradient against central differences.
    func testSoftmaxCrossEntropyValueAndGradient() throws {
        let logits = Tensor(Shape(2, 3, 1, 1), values: [0, 0, 0, 1, 2, 3])
        let loss = Loss.softmaxCrossEntropy(logits, labels: [1, 2])
        let expected = (log(3.0) + (log(exp(1.0) + exp(2.0) + exp(3.0)) - 3)) / 2
        XCTAssertEqual(loss.value, expected, accuracy: 1e-6)
        let shifted = Tensor(Shape(2, 3, 1, 1), values: logits.values.map { $0 + 500 })
        XCTAssertEqual(Loss.softmaxCrossEntropy(shifted, labels: [1, 2]).value, expected, accuracy: 1e-4)
        var generator = SeededGenerator(seed: 8)
        let random = Tensor(Shape(4, 6, 1, 1))
        random.fillUniform(-3...3, using: &generator)
        let labels = [0, 5, 2, 2]
        let analytic = Loss.softmaxCrossEntropy(random, labels: labels).gradient
        for index in 0..<random.count {
            let original = random.data[index], step: Float = 1e-2
            random.data[index] = original + step
            let plus = Loss.softmaxCrossEntropy(random, labels: labels).value
            random.data[index] = original - step
            let minus = Loss.softmaxCrossEntropy(random, labels: labels).value
            random.data[index] = original
            XCTAssertEqual(Double(analytic.data[index]), (plus - minus) / Double(2 * step), accuracy: 1e-4, "logit \(index)")
        }
    }

    /// The PSNR loss is minus the mean per-item PSNR, and its gradient matches central
    /// differences for an item far from its target and one close to it.
    func testNegativePSNRValueAndGradient() throws {
        var generator = SeededGenerator(seed: 9)
        let target = Tensor(Shape(2, 3, 4, 4))
        target.fillUniform(0...1, using: &generator)
        let prediction = target.copy()
        for i in 0..<prediction.count { prediction.data[i] += Float.random(in: -1...1, using: &generator) * (i < 48 ? 0.2 : 0.01) }
        let loss = Loss.negativePSNR(prediction, target)
        XCTAssertEqual(loss.value, -Metrics.meanItemPSNR(prediction, target), accuracy: 1e-2)
        for index in stride(from: 0, to: prediction.count, by: 5) {
            let original = prediction.data[index], step: Float = 1e-4
            prediction.data[index] = original + step
            let plus = Loss.negativePSNR(prediction, target).value
            prediction.data[index] = original - step
            let minus = Loss.negativePSNR(prediction, target).value
            prediction.data[index] = original
            let numeric = (plus - minus) / Double(2 * step)
            XCTAssertEqual(Double(loss.gradient.data[index]), numeric, accuracy: 2e-2 * max(1, abs(numeric)), "value \(index)")
        }
    }

    /// NCA: low when each label's embeddings point one way and the labels apart, high when
    /// mixed, unaffected by each embedding's length; its gradient matches central differences.
    func testNeighbourhoodComponentsValueAndGradient() throws {
        let separated = Tensor(Shape(4, 2, 1, 1), values: [1, 0, 3, 0.1, 0, 2, 0.1, 1])
        let mixed = Tensor(Shape(4, 2, 1, 1), values: [1, 0, 0, 2, 3, 0.1, 0.1, 1])
        let labels = [0, 0, 1, 1]
        XCTAssertLessThan(Loss.neighbourhoodComponents(separated, labels: labels).value, 0.01)
        XCTAssertGreaterThan(Loss.neighbourhoodComponents(mixed, labels: labels).value, 5)
        let longer = Tensor(Shape(4, 2, 1, 1), values: separated.values.enumerated().map { $0.element * Float($0.offset / 2 + 1) })
        XCTAssertEqual(Loss.neighbourhoodComponents(longer, labels: labels).value, Loss.neighbourhoodComponents(separated, labels: labels).value, accuracy: 1e-9)
        // A label no other item has (3) takes no part.
        var generator = SeededGenerator(seed: 10)
        let random = Tensor(Shape(6, 5, 1, 1))
        random.fillUniform(-1...1, using: &generator)
        let randomLabels = [0, 1, 0, 2, 1, 3]
        let loss = Loss.neighbourhoodComponents(random, labels: randomLabels, temperature: 0.5)
        for index in 0..<random.count {
            let original = random.data[index], step: Float = 1e-3
            random.data[index] = original + step
            let plus = Loss.neighbourhoodComponents(random, labels: randomLabels, temperature: 0.5).value
            random.data[index] = original - step
            let minus = Loss.neighbourhoodComponents(random, labels: randomLabels, temperature: 0.5).value
            random.data[index] = original
            XCTAssertEqual(Double(loss.gradient.data[index]), (plus - minus) / Double(2 * step), accuracy: 1e-3, "value \(index)")
        }
        XCTAssertEqual(Loss.neighbourhoodComponents(random, labels: [0, 1, 2, 3, 4, 5]).value, 0)
    }

    func testHaarWaveletBandsGradientAndPerfectReconstruction() throws {
        let block = Tensor(Shape(1, 1, 2, 2), values: [1, 2, 3, 4])  // [a b; c d]
        let bands = Tensor(Shape(1, 4, 1, 1))
        let haar = HaarWavelet()
        haar.forward([block], [bands])
        XCTAssertEqual(bands.values, [5, -2, -1, 0])  // LL, LH, HL, HH
        try checkGradients(HaarWavelet(), inputShapes: [Shape(2, 3, 4, 6)])
        // Orthonormal: the backward pass applied to the bands rebuilds the input.
        var generator = SeededGenerator(seed: 2)
        let image = randomTensor(Shape(1, 3, 6, 8), &generator)
        let coefficients = Tensor(Shape(1, 12, 3, 4))
        haar.forward([image], [coefficients])
        let rebuilt = Tensor(image.shape)
        haar.backward(inputs: [image], outputs: [coefficients], outputGradients: [coefficients], inputGradients: [rebuilt])
        for (a, b) in zip(rebuilt.values, image.values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertThrowsError(try haar.outputShapes(for: [Shape(1, 1, 3, 4)]))
    }
}
