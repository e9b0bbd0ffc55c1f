// The CSV files in Bedrock's column layout, the number format, the terminal loss curve and the SVG.
import Testing
@testable import Training

@Suite("metrics output")
struct MetricsOutputTests {
    let steps = (0..<5).map { StepMetrics(step: $0, epoch: $0 / 3, trainingLoss: 3 - 0.5 * Double($0), learningRate: 1e-4, gradientNorm: 1, tokens: 10) }
    let vals = [ValidationMetrics(step: 2, epoch: 0, validationLoss: 2.5), ValidationMetrics(step: 4, epoch: 1, validationLoss: 2.25)]

    @Test func csvFilesUseBedrocksColumns() {
        #expect(MetricsCSV.training(Array(steps.prefix(2))) == "step_number,epoch_number,training_loss,perplexity\n0,0,3,20.0855\n1,0,2.5,12.1825\n")
        #expect(MetricsCSV.validation(vals) == "step_number,epoch_number,validation_loss,perplexity\n2,0,2.5,12.1825\n4,1,2.25,9.48774\n")
    }

    @Test func numberFormat() {
        #expect(MetricsCSV.format(0.000123456) == "0.000123456")
        #expect(MetricsCSV.format(1.5e-7) == "1.5e-7")
        #expect(MetricsCSV.format(-42) == "-42")
        #expect(MetricsCSV.format(10.9612345) == "10.9612")
    }

    @Test func terminalCurve() {
        let plot = LossCurve(training: steps, validation: vals).text(width: 20, height: 5)
        let lines = plot.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 8)
        #expect(lines[0] == "3 │·                   ")          // highest loss top-left
        #expect(lines[4] == "1 │                   ·")          // lowest bottom-right
        #expect(lines[2].contains("o") && lines[6] == "   step 0             4")
        #expect(LossCurve(training: [], validation: []).text() == "(no metrics yet)")
    }

    @Test func svgCurve() {
        let svg = LossCurve(training: steps, validation: vals).svg(width: 200, height: 100)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\""))
        #expect(svg.contains("<polyline") && svg.split(separator: "\n").filter { $0.hasPrefix("<circle") }.count == 2 && svg.hasSuffix("</svg>\n"))
    }
}
