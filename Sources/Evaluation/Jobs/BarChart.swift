// An SVG bar chart of an evaluation: one group per metric, one bar per model, each bar labelled
// with its value. Hand-written SVG (no library): fixed layout, fixed number formatting, so the
// same scores give byte-identical files. It draws; it does not decide what is good.
import Foundation

public enum BarChart {
    /// Colours for up to four models (colour-blind-safe Okabe–Ito hues).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]

    /// One group per metric (in first-seen order), bars in model order. Each group has its own
    /// scale: 0–1 when every value lies in it, else 0 to the group's largest value, so perplexity
    /// and word error rate do not flatten the 0–1 metrics. Only whole-set scores (category "") are drawn.
    public static func svg(title: String, scores: [AggregateScore], models: [String]) -> String {
        let overall = scores.filter { $0.category.isEmpty }
        var metrics: [String] = []
        for s in overall where !metrics.contains(s.metric) { metrics.append(s.metric) }
        let barWidth = 28, gap = 6, groupGap = 30, plotHeight = 200, top = 50, left = 40
        let groupWidth = models.count * barWidth + max(0, models.count - 1) * gap
        let width = left + metrics.count * (groupWidth + groupGap) + 20
        let height = top + plotHeight + 70 + 18 * models.count
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="24" font-size="15" font-weight="bold">\(escape(title))</text>
        <line x1="\(left - 5)" y1="\(top + plotHeight)" x2="\(width - 10)" y2="\(top + plotHeight)" stroke="#333"/>

        """
        for (g, metric) in metrics.enumerated() {
            let values = overall.filter { $0.metric == metric }
            let peak = values.map(\.value).max() ?? 1
            let scale = values.allSatisfy({ $0.value >= 0 && $0.value <= 1 }) ? 1.0 : max(peak, 1e-9)
            let x0 = left + g * (groupWidth + groupGap)
            for (i, model) in models.enumerated() {
                guard let v = values.first(where: { $0.modelID == model })?.value else { continue }
                let h = Int((max(0, v) / scale * Double(plotHeight)).rounded())
                let x = x0 + i * (barWidth + gap)
                out += "<rect x=\"\(x)\" y=\"\(top + plotHeight - h)\" width=\"\(barWidth)\" height=\"\(h)\" "
                    + "fill=\"\(palette[i % palette.count])\"><title>\(escape(model)) \(escape(metric)) \(format(v))</title></rect>\n"
                out += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plotHeight - h - 4)\" text-anchor=\"middle\">\(format(v))</text>\n"
            }
            out += "<text x=\"\(x0 + groupWidth / 2)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(escape(metric))</text>\n"
            if scale != 1 {
                out += "<text x=\"\(x0 + groupWidth / 2)\" y=\"\(top + plotHeight + 30)\" text-anchor=\"middle\" fill=\"#666\">"
                    + "(0–\(format(scale)))</text>\n"
            }
        }
        for (i, model) in models.enumerated() {
            let y = top + plotHeight + 50 + 18 * i
            out += "<rect x=\"\(left)\" y=\"\(y - 10)\" width=\"12\" height=\"12\" fill=\"\(palette[i % palette.count])\"/>"
                + "<text x=\"\(left + 18)\" y=\"\(y)\">\(escape(model))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func format(_ v: Double) -> String { String(format: abs(v) >= 100 ? "%.1f" : "%.3f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
