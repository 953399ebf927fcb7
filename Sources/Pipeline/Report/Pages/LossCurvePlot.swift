import Foundation

/// A line plot as inline SVG (no script, no external file): a browser shows it in the page as is.
/// Axes carry their names and the range of the values; the curve is one polyline with a point
/// per value, and single points get a dot so that a one-iteration run still shows.
package struct LossCurvePlot {
    var points: [(x: Double, y: Double)]
    var title: String
    var xLabel = "iteration"
    var yLabel = "loss"
    var width = 480.0
    var height = 240.0
    /// Further curves on the same axes; with any, each curve is named in a legend (the first by
    /// `label`).
    var label = ""
    var others: [(label: String, points: [(x: Double, y: Double)])] = []

    package init(points: [(x: Double, y: Double)], title: String, xLabel: String = "iteration", yLabel: String = "loss",
                 width: Double = 480, height: Double = 240, label: String = "", others: [(label: String, points: [(x: Double, y: Double)])] = []) {
        self.points = points
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
        self.label = label
        self.others = others
    }

    private static let colours = ["#c0392b", "#2471a3", "#229954", "#7d3c98", "#b9770e", "#566573"]

    /// Room for the tick labels and axis names.
    private let margin = (left: 64.0, right: 16.0, top: 28.0, bottom: 44.0)

    package func svg() -> String {
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        let curves = [(label, points)] + others.map { ($0.label, $0.points) }
        let xs = curves.flatMap { $0.1.map(\.x) }, ys = curves.flatMap { $0.1.map(\.y) }
        let (xLow, xHigh) = Self.range(xs), (yLow, yHigh) = Self.range(ys)
        func place(_ point: (x: Double, y: Double)) -> (Double, Double) {
            (margin.left + (point.x - xLow) / (xHigh - xLow) * plotWidth,
             margin.top + (1 - (point.y - yLow) / (yHigh - yLow)) * plotHeight)
        }
        let bottom = margin.top + plotHeight, right = margin.left + plotWidth
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
                + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">",
            "<title>\(HTMLText.escape(title))</title>",
            "<text x=\"\(Self.number(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(HTMLText.escape(title))</text>",
            "<path d=\"M\(Self.number(margin.left)) \(Self.number(margin.top)) V\(Self.number(bottom)) H\(Self.number(right))\" fill=\"none\" stroke=\"#444\"/>",
            tick(x: margin.left - 6, y: bottom, anchor: "end", Self.label(yLow)),
            tick(x: margin.left - 6, y: margin.top + 4, anchor: "end", Self.label(yHigh)),
            tick(x: margin.left, y: bottom + 16, anchor: "middle", Self.label(xLow)),
            tick(x: right, y: bottom + 16, anchor: "middle", Self.label(xHigh)),
            "<text x=\"\(Self.number(margin.left + plotWidth / 2))\" y=\"\(Self.number(height - 6))\" text-anchor=\"middle\" font-size=\"12\">\(HTMLText.escape(xLabel))</text>",
            "<text transform=\"translate(14 \(Self.number(margin.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(HTMLText.escape(yLabel))</text>",
        ]
        for (index, curve) in curves.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let placed = curve.1.map(place).map { Self.number($0.0) + "," + Self.number($0.1) }
            if !placed.isEmpty {
                parts.append("<polyline class=\"curve\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(placed.joined(separator: " "))\"/>")
            }
            if placed.count == 1, let only = curve.1.first.map(place) {
                parts.append("<circle cx=\"\(Self.number(only.0))\" cy=\"\(Self.number(only.1))\" r=\"3\" fill=\"\(colour)\"/>")
            }
            if curves.count > 1 {
                parts.append("<text x=\"\(Self.number(right - 4))\" y=\"\(Self.number(margin.top + 12 + 14 * Double(index)))\" text-anchor=\"end\" font-size=\"11\" fill=\"\(colour)\">\(HTMLText.escape(curve.0))</text>")
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func tick(x: Double, y: Double, anchor: String, _ text: String) -> String {
        "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" font-size=\"11\">\(HTMLText.escape(text))</text>"
    }

    /// The values' extent, widened when they are all equal so that the line sits in the middle.
    static func range(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        return low < high ? (low, high) : (low - 0.5, high + 0.5)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
    static func label(_ value: Double) -> String { String(format: "%.4g", value) }
}
