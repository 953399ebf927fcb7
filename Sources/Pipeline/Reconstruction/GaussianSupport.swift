/// How far a sampled Gaussian reaches: shared by the reconstruction branch's linear bank and
/// the lab's degradation synthesis, so the two blur alike.
public enum GaussianSupport {
    /// The odd kernel side that holds a Gaussian of `sigma` to 3 sigma each way.
    public static func side(sigma: Double) -> Int { 2 * Int((3 * sigma).rounded(.up)) + 1 }
}
