import Foundation
import Pipeline

/// What a `GateStudy` report shows: how well each no-reference signal ranks the true change,
/// what a gate setting (or the stop rule alone) would have rendered, clip by clip, and the
/// thresholds that a grid search chooses on the tuning clips.
extension GateStudy {
    public struct Correlation: Codable, Sendable {
        public var signal: String
        /// Spearman's rank correlation with the true change of PSNR and of LPIPS (against the
        /// unadapted network) over every candidate checkpoint.
        public var psnr: Double
        public var lpips: Double
        public var candidates: Int
    }

    public static func correlations(_ units: [Unit]) -> [Correlation] {
        let candidates = units.flatMap { unit in unit.candidates.map { (unit.pretrained, $0) } }
        let psnr = candidates.map { $0.1.quality.psnr - $0.0.psnr }, lpips = candidates.map { $0.1.quality.lpips - $0.0.lpips }
        return AcceptanceSignals.names.enumerated().map { index, name in
            // Studies recorded before a signal existed have no value for it.
            let measured = candidates.indices.filter { candidates[$0].1.signals.values[index] != nil }
            let values = measured.map { candidates[$0].1.signals.values[index]! }
            return Correlation(
                signal: name, psnr: spearman(values, measured.map { psnr[$0] }), lpips: spearman(values, measured.map { lpips[$0] }),
                candidates: measured.count)
        }
    }

    /// Quality of the unit as rendered with its candidate `index` (nil: pretrained).
    static func quality(_ unit: Unit, candidate index: Int?) -> Quality {
        index.map { unit.candidates[$0].quality } ?? unit.pretrained
    }

    /// The candidate a gate with `options` renders for `unit`, among the shares it allows (nil:
    /// pretrained).
    public static func gated(_ unit: Unit, _ options: AcceptanceOptions) -> Int? {
        AcceptanceGate(options).pick(among: unit.candidates).index
    }

    /// What the stop rule alone rendered (restore before the gate).
    static func stopRuleChoice(_ unit: Unit) -> Int? {
        unit.candidates.firstIndex { $0.iteration == unit.stopRuleIteration && $0.share == 1 }
    }

    public struct ClipSummary: Codable, Sendable {
        public struct Column: Codable, Sendable {
            /// Means over the clip's units.
            public var quality: Quality
            /// The worst unit's change against unadapted.
            public var worstPSNRChange: Double
            public var worstLPIPSChange: Double
            public var adaptedUnits: Int
        }

        public var clip: String
        public var heldOut: Bool
        public var units: Int
        public var unadapted: Column
        public var stopRule: Column
        public var gated: Column
    }

    /// Clip by clip: unadapted, the stop rule alone (restore before the gate), and the gate.
    public static func summarise(_ units: [Unit], gate: AcceptanceOptions, heldOut: Set<String>) -> [ClipSummary] {
        var clips: [String] = []
        for unit in units where !clips.contains(unit.clip) { clips.append(unit.clip) }
        return clips.map { clip in
            let members = units.filter { $0.clip == clip }
            func column(_ choice: (Unit) -> Int?) -> ClipSummary.Column {
                let chosen = members.map { (quality($0, candidate: choice($0)), $0.pretrained) }
                let count = Double(members.count)
                let mean = Quality(
                    psnr: chosen.reduce(0) { $0 + $1.0.psnr } / count, ssim: chosen.reduce(0) { $0 + $1.0.ssim } / count,
                    lpips: chosen.reduce(0) { $0 + $1.0.lpips } / count,
                    temporalError: chosen.reduce(0) { $0 + $1.0.temporalError } / count)
                return .init(
                    quality: mean, worstPSNRChange: chosen.map { $0.0.psnr - $0.1.psnr }.min() ?? 0,
                    worstLPIPSChange: chosen.map { $0.0.lpips - $0.1.lpips }.max() ?? 0,
                    adaptedUnits: members.filter { choice($0) != nil }.count)
            }
            return ClipSummary(
                clip: clip, heldOut: heldOut.contains(clip), units: members.count, unadapted: column { _ in nil },
                stopRule: column(stopRuleChoice), gated: column { gated($0, gate) })
        }
    }

    /// The most harm any unit may take from the gate's choice: issue 14's bound.
    public static let harmBound = (psnr: -0.1, lpips: 0.01)

    /// The gate settings the threshold search tries, strictest first: every combination of the
    /// thresholds below, each preference, and each studied share alone or all of them together.
    static func grid(base: AcceptanceOptions, shares studied: [Double]) -> [AcceptanceOptions] {
        let shareSets = studied.map { [$0] } + (studied.count > 1 ? [studied] : [])
        // Positive loss limits too: a candidate that removes the LR's noise reproduces the LR worse.
        let none = AcceptanceOptions.unlimited
        let losses = [-0.04, -0.02, -0.01, -0.005, 0, 0.25, 1, none]
        let flats = [0, 0.05, 0.1, 0.2, 0.4, 1, none], temporals = [0, 0.02, 0.05, 0.1, 0.2, none]
        let backProjections = [0, 0.02, 0.05, 0.1, none]
        let coherences = [0.2, 0.3, 0.4, 0.5, none]
        var settings: [AcceptanceOptions] = []
        for shares in shareSets {
            for preference in AcceptanceOptions.Preference.allCases {
                for loss in losses {
                    for flat in flats {
                        for temporal in temporals {
                            for backProjection in backProjections {
                                for coherence in coherences {
                                    var setting = base
                                    setting.shares = shares
                                    setting.preference = preference
                                    setting.maximumLossChange = loss
                                    setting.maximumFlatDetailChange = flat
                                    setting.maximumTemporalChange = temporal
                                    setting.maximumBackProjectionChange = backProjection
                                    setting.maximumChangeCoherence = coherence
                                    settings.append(setting)
                                }
                            }
                        }
                    }
                }
            }
        }
        return settings
    }

    /// The setting of `grid` with the best mean PSNR change over `units` among those under which
    /// no unit loses more than `bound` (issue 14's `harmBound`, or a looser one to see the
    /// trade-off); ties go to the lower LPIPS, then to the stricter setting (the grid's first).
    /// One that accepts nothing when none is safe and gains.
    public static func chooseThresholds(
        _ units: [Unit], base: AcceptanceOptions,
        bound: (psnr: Double, lpips: Double) = harmBound
    ) -> AcceptanceOptions {
        var best = base
        best.maximumLossChange = -1  // rejects everything: the safe start
        var bestScore = (psnr: 0.0, lpips: 0.0)
        for setting in grid(base: base, shares: Set(units.flatMap { $0.candidates.map(\.share) }).sorted()) {
            let changes = units.map { unit -> (psnr: Double, lpips: Double) in
                let chosen = quality(unit, candidate: gated(unit, setting))
                return (chosen.psnr - unit.pretrained.psnr, chosen.lpips - unit.pretrained.lpips)
            }
            guard changes.allSatisfy({ $0.psnr >= bound.psnr && $0.lpips <= bound.lpips }) else { continue }
            let count = Double(max(1, changes.count))
            let score = (psnr: changes.reduce(0) { $0 + $1.psnr } / count, lpips: changes.reduce(0) { $0 + $1.lpips } / count)
            if score.psnr > bestScore.psnr + 1e-9 || (abs(score.psnr - bestScore.psnr) <= 1e-9 && score.lpips < bestScore.lpips - 1e-9) {
                best = setting
                bestScore = score
            }
        }
        return best
    }

    /// Spearman's rank correlation (average ranks for ties); 0 for fewer than 3 values.
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count >= 3 else { return 0 }
        let rx = ranks(x), ry = ranks(y)
        let mx = rx.reduce(0, +) / Double(rx.count), my = ry.reduce(0, +) / Double(ry.count)
        var covariance = 0.0, vx = 0.0, vy = 0.0
        for i in rx.indices {
            covariance += (rx[i] - mx) * (ry[i] - my)
            vx += (rx[i] - mx) * (rx[i] - mx)
            vy += (ry[i] - my) * (ry[i] - my)
        }
        return vx > 0 && vy > 0 ? covariance / (vx * vy).squareRoot() : 0
    }

    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var result = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            for k in start...end { result[order[k]] = Double(start + end) / 2 + 1 }
            start = end + 1
        }
        return result
    }
}
