// The job's outputs as text: the two CSV files Bedrock writes (reference §4.5), a loss curve drawn
// with characters for the terminal, and the same curve as an SVG image (plain text, no image
// library). Returns strings only; the caller writes files atomically.

public enum MetricsCSV {
    /// step_wise_training_metrics.csv: `step_number,epoch_number,training_loss,perplexity`.
    public static func training(_ rows: [StepMetrics]) -> String {
        (["step_number,epoch_number,training_loss,perplexity"]
            + rows.map { "\($0.step),\($0.epoch),\(format($0.trainingLoss)),\(format($0.perplexity))" })
            .joined(separator: "\n") + "\n"
    }

    /// validation_metrics.csv: `step_number,epoch_number,validation_loss,perplexity`.
    public static func validation(_ rows: [ValidationMetrics]) -> String {
        (["step_number,epoch_number,validation_loss,perplexity"]
            + rows.map { "\($0.step),\($0.epoch),\(format($0.validationLoss)),\(format($0.perplexity))" })
            .joined(separator: "\n") + "\n"
    }

    /// Six significant digits, fixed or scientific as needed; the same text on every platform.
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        if x == 0 { return "0" }
        let e = Int((log10(abs(x))).rounded(.down))
        if e < -4 || e >= 9 { return scientific(x, e) }
        let decimals = max(0, 5 - e)
        let scale = pow(10.0, Double(decimals))
        var s = String(Int64((abs(x) * scale).rounded()))
        while s.count <= decimals { s = "0" + s }
        if decimals > 0 { s.insert(".", at: s.index(s.endIndex, offsetBy: -decimals)) }
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return (x < 0 ? "-" : "") + s
    }

    private static func scientific(_ x: Double, _ e: Int) -> String {
        let m = x / pow(10.0, Double(e))
        return format(m) + "e" + String(e)
    }
}

/// A loss curve plot: training loss per step ("·") and validation loss ("o") on one axis.
public struct LossCurve: Sendable {
    public var training: [(step: Int, loss: Double)]
    public var validation: [(step: Int, loss: Double)]

    public init(training: [StepMetrics], validation: [ValidationMetrics]) {
        self.training = training.map { ($0.step, $0.trainingLoss) }
        self.validation = validation.map { ($0.step, $0.validationLoss) }
    }

    private var bounds: (x0: Int, x1: Int, y0: Double, y1: Double)? {
        let all = training + validation
        guard let first = all.first else { return nil }
        var b = (x0: first.step, x1: first.step, y0: first.loss, y1: first.loss)
        for p in all { b.x0 = min(b.x0, p.step); b.x1 = max(b.x1, p.step); b.y0 = min(b.y0, p.loss); b.y1 = max(b.y1, p.loss) }
        if b.y1 - b.y0 < 1e-9 { b.y0 -= 0.5; b.y1 += 0.5 }
        if b.x1 == b.x0 { b.x1 += 1 }
        return b
    }

    /// `width` × `height` character cells plus a labelled y axis and a step axis.
    public func text(width: Int = 60, height: Int = 12) -> String {
        guard let b = bounds else { return "(no metrics yet)" }
        var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
        func cell(_ step: Int, _ loss: Double) -> (Int, Int) {
            let c = Int((Double(step - b.x0) / Double(b.x1 - b.x0) * Double(width - 1)).rounded())
            let r = Int(((b.y1 - loss) / (b.y1 - b.y0) * Double(height - 1)).rounded())
            return (r, c)
        }
        for p in training { let (r, c) = cell(p.step, p.loss); grid[r][c] = "·" }
        for p in validation { let (r, c) = cell(p.step, p.loss); grid[r][c] = "o" }
        let labels = [MetricsCSV.format(b.y1), MetricsCSV.format((b.y0 + b.y1) / 2), MetricsCSV.format(b.y0)]
        let pad = labels.map(\.count).max()!
        var lines: [String] = []
        for (r, row) in grid.enumerated() {
            let label = r == 0 ? labels[0] : r == height / 2 ? labels[1] : r == height - 1 ? labels[2] : ""
            lines.append(String(repeating: " ", count: pad - label.count) + label + " │" + String(row))
        }
        lines.append(String(repeating: " ", count: pad) + " └" + String(repeating: "─", count: width))
        let x0 = "step \(b.x0)", x1 = "\(b.x1)"
        lines.append(String(repeating: " ", count: pad + 2) + x0 + String(repeating: " ", count: max(1, width - x0.count - x1.count)) + x1)
        lines.append(String(repeating: " ", count: pad + 2) + "· training loss" + (validation.isEmpty ? "" : "   o validation loss"))
        return lines.joined(separator: "\n")
    }

    /// The same curve as a standalone SVG document (polyline for training, circles for validation).
    public func svg(width: Int = 640, height: Int = 360, title: String = "Loss") -> String {
        guard let b = bounds else { return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n" }
        let left = 60.0, right = 20.0, top = 30.0, bottom = 40.0
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        func x(_ s: Int) -> String { MetricsCSV.format(left + Double(s - b.x0) / Double(b.x1 - b.x0) * w) }
        func y(_ l: Double) -> String { MetricsCSV.format(top + (b.y1 - l) / (b.y1 - b.y0) * h) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(left)\" y=\"18\">\(title)</text>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + h)\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top + h)\" x2=\"\(left + w)\" y2=\"\(top + h)\" stroke=\"black\"/>\n"
        s += "<text x=\"4\" y=\"\(top + 4)\">\(MetricsCSV.format(b.y1))</text>\n<text x=\"4\" y=\"\(top + h)\">\(MetricsCSV.format(b.y0))</text>\n"
        s += "<text x=\"\(left)\" y=\"\(Double(height) - 12)\">step \(b.x0)</text>\n"
        s += "<text x=\"\(left + w - 30)\" y=\"\(Double(height) - 12)\">\(b.x1)</text>\n"
        if !training.isEmpty {
            s += "<polyline fill=\"none\" stroke=\"steelblue\" stroke-width=\"1.5\" points=\""
            s += training.map { "\(x($0.step)),\(y($0.loss))" }.joined(separator: " ") + "\"/>\n"
        }
        for p in validation { s += "<circle cx=\"\(x(p.step))\" cy=\"\(y(p.loss))\" r=\"3\" fill=\"darkorange\"/>\n" }
        return s + "</svg>\n"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
