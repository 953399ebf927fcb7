/// What the reconstruction R(S(LR), E(LR)) of an LR patch is compared with.
public enum AdaptationTarget: String, Codable, Sendable, CaseIterable {
    /// The patch itself, as LWay does. S is then rewarded for reproducing the grain, dust and
    /// codec noise of the patch, since R passes them through.
    case same
    /// The same content in the next frame of the shot (the previous one for a shot's last
    /// frame), aligned to the whole pixel and corrected for flicker (NeighbourAlignment). Its
    /// grain and dust are independent of the input's, so, as in Noise2Noise, the loss is lowest
    /// when R(S(LR)) is the noise-free LR: S learns to remove what film adds rather than copy it.
    case neighbour
}
