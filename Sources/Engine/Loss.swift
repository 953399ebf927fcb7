/// Losses between a prediction and a target of one shape. Each returns the mean loss and its
/// gradient with respect to the prediction.
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
}
