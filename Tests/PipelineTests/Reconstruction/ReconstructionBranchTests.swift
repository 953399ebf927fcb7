import Engine
import Foundation
@testable import Pipeline
import PipelineTestSupport
import TestSupport
import XCTest

final class ReconstructionBranchTests: XCTestCase {
    func testShapesForBothMappings() throws {
        for mapping in ReconstructionConfiguration.Mapping.allCases {
            var configuration = ReconstructionConfiguration()
            configuration.mapping = mapping
            let branch = ReconstructionBranch(configuration: configuration)
            var generator = SeededGenerator(seed: 3)
            let lr = Tensor(Shape(2, 3, 24, 32)), hr = Tensor(Shape(2, 3, 96, 128))
            lr.fillUniform(0...1, using: &generator)
            hr.fillUniform(0...1, using: &generator)
            let embedding = try branch.embed(lr)
            XCTAssertEqual(embedding.shape, Shape(2, 512, 1, 1))
            XCTAssertEqual(try branch.reconstruct(hr: hr, embedding: embedding).shape, Shape(2, 3, 24, 32), "\(mapping)")
        }
        // DegAE's R has about 0.76 M parameters (with its noise inputs and wider entry); ours 0.64 M.
        let count = ReconstructionBranch().reconstructor.parameters.reduce(0) { $0 + $1.value.count }
        XCTAssertTrue((600_000...800_000).contains(count), "reconstructor has \(count) parameters")
    }

    func testTooSmallOrMisalignedInputsAreRefused() {
        let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration())
        XCTAssertThrowsError(try branch.embed(Tensor(Shape(1, 3, 16, 40)))) { error in
            XCTAssertTrue("\(error)".contains("at least 22x22"), "\(error)")
        }
        XCTAssertThrowsError(try branch.reconstruct(hr: Tensor(Shape(1, 3, 98, 96)), embedding: Tensor(Shape(1, 16, 1, 1)))) { error in
            XCTAssertTrue("\(error)".contains("multiples of 4"), "\(error)")
        }
    }

    /// The wiring of E into R: the loss's gradient with respect to weights of E (reached only
    /// through R's styles, and its residual gate where it has one) and of R agrees with central
    /// differences.
    func testGradientFlowsThroughReconstructorIntoEncoder() throws {
        var gated = PipelineFixtures.tinyConfiguration()
        gated.residualGate = true
        var banked = PipelineFixtures.tinyConfiguration()
        banked.degradationBank = true
        for configuration in ReconstructionConfiguration.Mapping.allCases.map({ PipelineFixtures.tinyConfiguration($0) }) + [gated, banked] {
            let mapping = configuration.mapping
            let branch = ReconstructionBranch(configuration: configuration, seed: 5)
            // Away from their starting values, so that the gate's own slope and a blend of the
            // whole bank are checked too.
            for parameter in branch.reconstructor.parameters where parameter.name.contains(".gate.") { parameter.value.fill(0.3) }
            for parameter in branch.reconstructor.parameters where parameter.name.contains(".bank_logits.") {
                var generator = SeededGenerator(seed: 8)
                parameter.value.fillUniform(-0.5...0.5, using: &generator)
            }
            var generator = SeededGenerator(seed: 6)
            let lr = Tensor(Shape(2, 3, 24, 24)), hr = Tensor(Shape(2, 3, 96, 96)), projection = Tensor(Shape(2, 3, 24, 24))
            lr.fillUniform(0...1, using: &generator)
            hr.fillUniform(0...1, using: &generator)
            projection.fillUniform(-1...1, using: &generator)
            func loss() throws -> Double {
                let estimate = try branch.reconstruct(hr: hr, embedding: try branch.embed(lr))
                return (0..<estimate.count).reduce(0.0) { $0 + Double(estimate.data[$1]) * Double(projection.data[$1]) }
            }
            let embedding = try branch.encoder.forward([lr], training: true)[0]
            _ = try branch.reconstructor.forward([hr, embedding], training: true)
            branch.encoder.zeroGradients()
            branch.reconstructor.zeroGradients()
            let inputGradients = branch.reconstructor.backward([projection])
            branch.encoder.backward([inputGradients[1]])
            let checked = ["encoder.features.conv_first.weight", "encoder.head.down2.weight", "encoder.head.embedding.weight",
                           "reconstructor.block0.style.weight", "reconstructor.block0.modulated.weight", "reconstructor.conv_first.weight"]
                + (configuration.residualGate ? ["reconstructor.gate.weight", "reconstructor.gate.bias"] : [])
                + (configuration.degradationBank ? ["reconstructor.bank_logits.weight", "reconstructor.bank_logits.bias"] : [])
            for name in checked {
                let parameter = try XCTUnwrap(branch.parameters.first { $0.name == name }, name)
                for index in stride(from: 0, to: parameter.value.count, by: max(1, parameter.value.count / 5)) {
                    let original = parameter.value.data[index], step: Float = 1e-2
                    parameter.value.data[index] = original + step
                    let plus = try loss()
                    parameter.value.data[index] = original - step
                    let minus = try loss()
                    parameter.value.data[index] = original
                    let numeric = (plus - minus) / Double(2 * step), analytic = Double(parameter.gradient.data[index])
                    XCTAssertEqual(analytic, numeric, accuracy: 2e-2 * max(1, abs(numeric)), "\(mapping) \(name)[\(index)]")
                }
            }
        }
    }

    func testSaveAndLoadGiveTheSameNetwork() throws {
        let folder = try temporaryFolder()
        let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(.bicubic), seed: 12)
        let path = folder + "/branch.safetensors"
        try branch.save(to: path, metadata: ["note": "test"])
        let (loaded, metadata, _) = try ReconstructionBranch.load(from: path)
        XCTAssertEqual(loaded.configuration, branch.configuration)
        XCTAssertEqual(metadata["note"], "test")
        var generator = SeededGenerator(seed: 1)
        let lr = Tensor(Shape(1, 3, 24, 24)), hr = Tensor(Shape(1, 3, 96, 96))
        lr.fillUniform(0...1, using: &generator)
        hr.fillUniform(0...1, using: &generator)
        let expected = try branch.reconstruct(hr: hr, embedding: try branch.embed(lr))
        XCTAssertEqual(try loaded.reconstruct(hr: hr, embedding: try loaded.embed(lr)).values, expected.values)
    }

    func testForeignOrMissingFilesGiveClearErrors() throws {
        let folder = try temporaryFolder()
        XCTAssertThrowsError(try ReconstructionBranch.load(from: folder + "/absent.safetensors")) { error in
            XCTAssertEqual("\(error)", "\(folder)/absent.safetensors: no such reconstruction-branch checkpoint")
        }
        // A checkpoint of another network (here: plain parameters) is refused by name, not misread.
        let other = folder + "/other.safetensors"
        try Checkpoint.save([Parameter(name: "conv.weight", Tensor(Shape(1, 1, 3, 3)))], to: other)
        XCTAssertThrowsError(try ReconstructionBranch.load(from: other)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(other): not a reconstruction-branch checkpoint"), "\(error)")
        }
        // Same format, wrong sizes for its configuration.
        let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration())
        let damaged = folder + "/damaged.safetensors"
        var entries = branch.parameters.map(\.entry)
        entries[0] = Safetensors.Entry(name: entries[0].name, shape: [1], values: [0])
        try Safetensors.write(entries, metadata: ["format": ReconstructionBranch.format,
                                                  "configuration": String(decoding: try JSONEncoder.sorted.encode(branch.configuration), as: UTF8.self)],
                              to: damaged)
        XCTAssertThrowsError(try ReconstructionBranch.load(from: damaged)) { error in
            XCTAssertTrue("\(error)".contains(entries[0].name), "\(error)")
        }
    }
}
