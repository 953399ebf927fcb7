import Foundation

/// Losses between a prediction and a target of one shape (or class labels). Each returns the
/// mean loss and its gradient with respect to the prediction.
public enum Loss {
    /// mean(|prediction - target|), or mean(weight * |prediction - target|) with a weight map whose
    /// channel count is the prediction's or 1 (one weight shared by every channel of a pixel).
    /// The mean is over all prediction values, so weights in [0, 1] scale the loss down.
    public static func l1(_ prediction: Tensor, _ target: Tensor, weight: Tensor? = nil) -> (value: Double, gradient: Tensor) {
        precondition(prediction.shape == target.shape, "l1 of \(prediction.shape) and \(target.shape)")
        let shape = prediction.shape
        if let weight {
            precondition(weight.shape.batch == shape.batch && weight.shape.height == shape.height && weight.shape.width == shape.width
                         && (weight.shape.channels == shape.channels || weight.shape.channels == 1), "weight \(weight.shape) for \(shape)")
        }
        let gradient = Tensor(shape)
        let scale = 1 / Float(shape.count)
        var total = 0.0
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let p = prediction.plane(n, c), t = target.plane(n, c), g = gradient.plane(n, c)
                let w = weight.map { $0.plane(n, $0.shape.channels == 1 ? 0 : c) }
                for i in 0..<shape.planeSize {
                    let difference = p[i] - t[i]
                    let factor = w?[i] ?? 1
                    total += Double(factor * abs(difference))
                    g[i] = difference > 0 ? factor * scale : (difference < 0 ? -factor * scale : 0)
                }
            }
        }
        return (total / Double(shape.count), gradient)
    }

    /// mean((prediction - target)^2)
    public static func mse(_ prediction: Tensor, _ target: Tensor) -> (value: Double, gradient: Tensor) {
        precondition(prediction.shape == target.shape, "mse of \(prediction.shape) and \(target.shape)")
        let gradient = Tensor(prediction.shape)
        let scale = 2 / Float(prediction.count)
        var total = 0.0
        for i in 0..<prediction.count {
            let difference = prediction.data[i] - target.data[i]
            total += Double(difference * difference)
            gradient.data[i] = scale * difference
        }
        return (total / Double(prediction.count), gradient)
    }
    /// mean over items of -log softmax(logits)[label]: logits (n, k, 1, 1), one label in
    /// 0..<k per item. Computed with the largest logit subtracted, so large logits do not overflow.
    public static func softmaxCrossEntropy(_ logits: Tensor, labels: [Int]) -> (value: Double, gradient: Tensor) {
        let shape = logits.shape
        precondition(shape.height == 1 && shape.width == 1 && labels.count == shape.batch
                     && labels.allSatisfy { (0..<shape.channels).contains($0) }, "cross-entropy of \(shape) and labels \(labels)")
        let gradient = Tensor(shape)
        let classes = shape.channels, scale = 1 / Double(shape.batch)
        var total = 0.0
        for (n, label) in labels.enumerated() {
            let row = (0..<classes).map { Double(logits.buffer[n * classes + $0]) }
            let largest = row.max()!
            let exponentials = row.map { exp($0 - largest) }
            let sum = exponentials.reduce(0, +)
            total += largest + log(sum) - row[label]
            for k in 0..<classes {
                gradient.buffer[n * classes + k] = Float(scale * (exponentials[k] / sum - (k == label ? 1 : 0)))
            }
        }
        return (total * scale, gradient)
    }
    /// mean over items of -PSNR(item) in dB (peak 1), i.e. 10 log10(MSE_n + floor): the loss
    /// that optimises the mean per-image PSNR (NAFNet trains with it). Against L1, an item
    /// already close to its target weighs in as much as a far one: its gradient is scaled by
    /// 1 / MSE_n. `floor` (an MSE, 1e-8 is 80 dB) bounds that weight for exact matches.
    public static func negativePSNR(_ prediction: Tensor, _ target: Tensor, floor: Double = 1e-8) -> (value: Double, gradient: Tensor) {
        precondition(prediction.shape == target.shape, "PSNR loss of \(prediction.shape) and \(target.shape)")
        let shape = prediction.shape, size = shape.itemSize
        let gradient = Tensor(shape)
        var total = 0.0
        for n in 0..<shape.batch {
            let p = prediction.buffer.baseAddress! + n * size, t = target.buffer.baseAddress! + n * size
            var squares = 0.0
            for i in 0..<size { squares += Double(p[i] - t[i]) * Double(p[i] - t[i]) }
            let mse = squares / Double(size) + floor
            total += 10 * log10(mse)
            // d/dp of 10 log10(mse), averaged over the batch
            let scale = Float(10 / log(10.0) * 2 / (Double(size) * mse * Double(shape.batch)))
            let g = gradient.buffer.baseAddress! + n * size
            for i in 0..<size { g[i] = scale * (p[i] - t[i]) }
        }
        return (total / Double(shape.batch), gradient)
    }
    /// Neighbourhood components analysis on the cosine similarity of embeddings (n, d, 1, 1):
    /// each item picks another at random with p_ij = softmax_j≠i(cos(e_i, e_j) / temperature),
    /// and the loss is the mean over items of -log P(it picks one with its label). It trains
    /// exactly what a leave-one-out nearest-neighbour classifier with cosine distance needs:
    /// items of a label close together, the rest apart. Items whose label no other item shares
    /// have nothing to pick and are left out (value 0 and no gradient if none is left).
    public static func neighbourhoodComponents(_ embeddings: Tensor, labels: [Int], temperature: Double = 0.1) -> (value: Double, gradient: Tensor) {
        let shape = embeddings.shape, count = shape.batch, length = shape.itemSize
        precondition(labels.count == count, "NCA of \(shape) and \(labels.count) labels")
        let norms = (0..<count).map { n in
            max((0..<length).reduce(0.0) { $0 + Double(embeddings.buffer[n * length + $1]) * Double(embeddings.buffer[n * length + $1]) }.squareRoot(), 1e-12)
        }
        let unit = (0..<count).map { n in (0..<length).map { Double(embeddings.buffer[n * length + $0]) / norms[n] } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let anchors = (0..<count).filter { i in labels.indices.contains { $0 != i && labels[$0] == labels[i] } }
        // Gradient with respect to the unit vectors first, then through the normalisation.
        var unitGradient = [[Double]](repeating: [Double](repeating: 0, count: length), count: count)
        var total = 0.0
        for i in anchors {
            let others = (0..<count).filter { $0 != i }
            let logits = others.map { dot(unit[i], unit[$0]) / temperature }
            let largest = logits.max()!
            let weights = logits.map { exp($0 - largest) }
            let sum = weights.reduce(0, +)
            let probabilities = weights.map { $0 / sum }
            let matching = others.indices.filter { labels[others[$0]] == labels[i] }
            let picked = matching.reduce(0.0) { $0 + probabilities[$1] }
            total -= log(picked)
            for (k, j) in others.enumerated() {
                // d(-log picked)/d logit_k = p_k - p_k [k matches] / picked
                let g = (probabilities[k] - (labels[j] == labels[i] ? probabilities[k] / picked : 0)) / (temperature * Double(anchors.count))
                for d in 0..<length {
                    unitGradient[i][d] += g * unit[j][d]
                    unitGradient[j][d] += g * unit[i][d]
                }
            }
        }
        let gradient = Tensor(shape)
        for n in 0..<count {
            let radial = dot(unit[n], unitGradient[n])
            for d in 0..<length { gradient.buffer[n * length + d] = Float((unitGradient[n][d] - radial * unit[n][d]) / norms[n]) }
        }
        return (anchors.isEmpty ? 0 : total / Double(anchors.count), gradient)
    }
}
