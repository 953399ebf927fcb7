import XCTest
@testable import Engine

/// Weights as values: a snapshot is the network's weights at that moment whatever happens to
/// the network later, moves between two sets lie on the line joining them, and a temporary load
/// leaves the network as it was.
final class WeightSetTests: XCTestCase {
    private func network() -> Graph {
        let graph = Graph()
        let x = graph.addInput("x")
        let convolution = Convolution(name: "c", inputChannels: 1, outputChannels: 2, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        graph.outputBlobs = [graph.add(PReLU(name: "a", channels: 2), name: "a", graph.add(convolution, name: "c", x))]
        var generator = SeededGenerator(seed: 5)
        for parameter in graph.parameters { parameter.value.fillUniform(-1...1, using: &generator) }
        return graph
    }

    func testASnapshotDoesNotFollowTheNetwork() throws {
        let graph = network()
        let before = graph.parameters.map(\.value.values)
        let snapshot = graph.snapshot()
        for parameter in graph.parameters { parameter.value.fill(7) }
        XCTAssertEqual(snapshot.values.map(\.values), before)
        graph.load(snapshot)
        XCTAssertEqual(graph.parameters.map(\.value.values), before)
        for parameter in graph.parameters { parameter.value.fill(3) }
        XCTAssertEqual(snapshot.values.map(\.values), before, "loading shares no storage either")
    }

    func testMovingTowardsAnotherSetAndTemporaryLoads() throws {
        let graph = network()
        let start = graph.snapshot()
        for parameter in graph.parameters { parameter.value.add(parameter.value, scale: 1) }  // doubled
        let end = graph.snapshot()
        let half = start.moved(toward: end, share: 0.5)
        for (h, (s, e)) in zip(half.values, zip(start.values, end.values)) {
            for i in 0..<h.count { XCTAssertEqual(h.values[i], (s.values[i] + e.values[i]) / 2, accuracy: 1e-6) }
        }
        XCTAssertTrue(start.moved(toward: end, share: 1).values[0] === end.values[0], "share 1 is the other set itself")

        let input = Tensor(Shape(1, 1, 6, 6))
        var generator = SeededGenerator(seed: 9)
        input.fillUniform(0...1, using: &generator)
        let withStart = try graph.withWeights(start) { try graph.forward([input])[0].values }
        XCTAssertEqual(graph.parameters.map(\.value.values), end.values.map(\.values), "put back")
        graph.load(start)
        XCTAssertEqual(try graph.forward([input])[0].values, withStart)
    }
}
