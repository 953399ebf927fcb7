/// How different two frames look: the mean absolute difference of hue, saturation and value
/// (0-255 each, hue taken the short way round the circle), averaged over the three, as
/// PySceneDetect's ContentDetector scores consecutive frames.
struct ContentDifference: Equatable {
    var hue: Double
    var saturation: Double
    var value: Double

    var score: Double { (hue + saturation + value) / 3 }

    /// `compensatingGain` scales `current`'s V so its mean matches `previous`'s before the V
    /// difference is taken. Flicker is a global gain on RGB; hue and saturation do not change
    /// under a gain, so after this the score sees only what changed in the picture.
    init(from previous: HSVThumbnail, to current: HSVThumbnail, compensatingGain: Bool) {
        precondition(previous.width == current.width && previous.height == current.height,
                     "frames of one stream have one size")
        let currentMean = current.meanValue
        let gain = compensatingGain && currentMean > 0 ? Float(previous.meanValue / currentMean) : 1
        var hueSum: Float = 0, saturationSum: Float = 0, valueSum: Float = 0
        for index in previous.hue.indices {
            let hueStep = abs(current.hue[index] - previous.hue[index])
            hueSum += min(hueStep, 255 - hueStep)
            saturationSum += abs(current.saturation[index] - previous.saturation[index])
            valueSum += abs(current.value[index] * gain - previous.value[index])
        }
        let count = Double(previous.hue.count)
        hue = Double(hueSum) / count
        saturation = Double(saturationSum) / count
        value = Double(valueSum) / count
    }
}
