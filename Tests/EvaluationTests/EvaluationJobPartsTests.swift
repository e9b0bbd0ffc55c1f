// The pure parts of evaluation jobs: metric names per task with did-you-mean, reading a label out
// of an answer, aggregation by category (perplexity from token-weighted log-likelihood), the SVG
// chart, the human ratings file with every bad record reported, and the rating aggregates.
import Foundation
import Testing
@testable import Evaluation

@Suite struct MetricSelectionTests {
    @Test func defaultsFollowBedrocksTaskMatrix() throws {
        #expect(try MetricSelection.parse(nil, task: .questionAndAnswer, hasJudge: false).names == ["accuracy", "robustness", "toxicity"])
        #expect(try MetricSelection.parse(nil, task: .classification, hasJudge: false).names == ["accuracy", "robustness"])
    }

    @Test func bedrockAndCamelCaseNamesAreAccepted() throws {
        let s = try MetricSelection.parse(["Builtin.Accuracy", "FollowingInstructions", "correctness", "accuracy"],
                                          task: .questionAndAnswer, hasJudge: true)
        #expect(s.automatic == [.accuracy])
        #expect(s.judge == [.followingInstructions, .correctness])
    }

    @Test func badNamesAreReportedTogetherWithSuggestions() {
        #expect(throws: EvaluationSetupError.several([
            .unknownMetric(name: "acuracy", suggestion: "accuracy", known: AutomaticMetric.allCases.map(\.rawValue) + JudgeMetric.allCases.map(\.rawValue)),
            .metricNotForTask(metric: "toxicity", task: "classification", allowed: ["accuracy", "robustness"]),
        ])) { try MetricSelection.parse(["acuracy", "toxicity"], task: .classification, hasJudge: false) }
        #expect(throws: EvaluationSetupError.judgeMetricsWithoutJudge(["helpfulness"])) {
            try MetricSelection.parse(["helpfulness"], task: .custom, hasJudge: false)
        }
        #expect(throws: EvaluationSetupError.judgeWithoutJudgeMetrics(known: JudgeMetric.allCases.map(\.rawValue))) {
            try MetricSelection.parse(["accuracy"], task: .custom, hasJudge: true)
        }
        #expect(throws: EvaluationSetupError.unknownTask(name: "sumarization", suggestion: "summarization")) { try TaskType.named("sumarization") }
        #expect(EvaluationSetupError.unknownMetric(name: "acuracy", suggestion: "accuracy", known: ["accuracy"]).description
                == "unknown metric 'acuracy'; did you mean 'accuracy'? (metrics: accuracy)")
    }
}

@Suite struct LabelMapperTests {
    let mapper = LabelMapper(labels: ["negative", "positive"])

    @Test func answersMapToTheFirstLabelWordTheyContain() {
        #expect(mapper.map("The sentiment is positive.") == "positive")
        #expect(mapper.map("NEGATIVE") == "negative")
        #expect(mapper.map("Negatively, I'd say.") == "negative")     // starts with a label
        #expect(mapper.map("pos") == "positive")                       // a 3-letter abbreviation
        #expect(mapper.map("negative, not positive") == "negative")    // the first one decides
        #expect(mapper.map("It is neutral.") == nil)
        #expect(mapper.map("no") == nil)                               // too short to be an abbreviation
        #expect(mapper.map("not positive") == "positive")              // negation is not read (documented)
    }

    @Test func labelsComeFromTheItemsReferences() {
        let items = [DatasetItem(id: "1", prompt: "p", referenceResponses: ["positive"], category: nil),
                     DatasetItem(id: "2", prompt: "p", referenceResponses: ["Negative"], category: nil)]
        #expect(LabelMapper(items: items).labels == ["negative", "positive"])
    }
}

@Suite struct ScoreAggregationTests {
    @Test func meansPerModelMetricAndCategory() {
        let scores = [
            ItemScore(itemID: "a", category: "x", modelID: "m", metric: "f1", value: 1),
            ItemScore(itemID: "b", category: "x", modelID: "m", metric: "f1", value: 0),
            ItemScore(itemID: "c", category: "y", modelID: "m", metric: "f1", value: 0.5),
            ItemScore(itemID: "c", category: "y", modelID: "n", metric: "f1", value: .nan),   // left out
        ]
        #expect(ScoreAggregation.aggregate(scores) == [
            AggregateScore(modelID: "m", metric: "f1", category: "", value: 0.5, itemCount: 3),
            AggregateScore(modelID: "m", metric: "f1", category: "x", value: 0.5, itemCount: 2),
            AggregateScore(modelID: "m", metric: "f1", category: "y", value: 0.5, itemCount: 1),
        ])
    }

    @Test func perplexityIsExpOfTheTokenWeightedMeanLogLikelihood() throws {
        // Item 1: 2 tokens at mean NLL 1.0; item 2: 6 tokens at mean NLL 3.0 → (2 + 18) / 8 = 2.5.
        let scores = [ItemScore(itemID: "1", category: "c", modelID: "m", metric: "perplexity", value: 1, weight: 2),
                      ItemScore(itemID: "2", category: "c", modelID: "m", metric: "perplexity", value: 3, weight: 6)]
        let out = ScoreAggregation.aggregate(scores)
        #expect(out.count == 1)   // one category: no breakdown
        #expect(abs(out[0].value - exp(2.5)) < 1e-12)
    }
}

@Suite struct BarChartTests {
    @Test func oneBarPerMetricAndModelWithOwnScalesAndEscapedText() {
        let scores = [AggregateScore(modelID: "a<b", metric: "f1", category: "", value: 0.5, itemCount: 2),
                      AggregateScore(modelID: "c", metric: "f1", category: "", value: 0.25, itemCount: 2),
                      AggregateScore(modelID: "a<b", metric: "perplexity", category: "", value: 40, itemCount: 2),
                      AggregateScore(modelID: "a<b", metric: "f1", category: "x", value: 0.9, itemCount: 1)]
        let svg = BarChart.svg(title: "t & t", scores: scores, models: ["a<b", "c"])
        #expect(svg == BarChart.svg(title: "t & t", scores: scores, models: ["a<b", "c"]))
        #expect(svg.components(separatedBy: "<title>").count - 1 == 3)   // the category row is not drawn
        #expect(svg.contains("height=\"100\" fill=\"#0072B2\"><title>a&lt;b f1 0.500"))   // 0.5 of 200 px
        #expect(svg.contains("height=\"200\" fill=\"#0072B2\"><title>a&lt;b perplexity 40.000"))   // own scale 0–40
        #expect(svg.contains("(0–40.000)") && svg.contains("t &amp; t"))
    }
}

@Suite struct RatingsFileTests {
    let items = ["africa:44", "asia:13"]

    @Test func everyMethodReadsItsOwnRatingForm() throws {
        let thumbs = try RatingsFile.parse(#"{"item": "africa:44", "rater": "ana", "rating": "up"}"# + "\n\n"
                                           + #"{"item": "asia:13", "rater": "bo", "rating": false}"#,
                                           file: "r.jsonl", method: .thumbsUpDown, modelCount: 1, itemIDs: items)
        #expect(thumbs == [RatingRecord(line: 1, itemID: "africa:44", rater: "ana", value: "up"),
                           RatingRecord(line: 3, itemID: "asia:13", rater: "bo", value: "down")])
        let rank = try RatingsFile.parse(#"{"item": "asia:13", "rater": "ana", "rating": ["B", "A"]}"#,
                                         file: "r.jsonl", method: .comparisonRank, modelCount: 2, itemIDs: items)
        #expect(rank[0].value == "B>A")
        let likert = try RatingsFile.parse(#"{"item": "asia:13", "rater": "ana", "rating": 4, "response": "b"}"#,
                                           file: "r.jsonl", method: .individualLikertScale, modelCount: 2, itemIDs: items)
        #expect(likert[0].value == "4" && likert[0].response == 1)
        #expect(HumanRatingMethod.comparisonChoice.canonical(" a ") == "A")
        #expect(HumanRatingMethod.comparisonLikertScale.canonical("6") == nil)
    }

    /// Columns point at the key of the offending member (or 1 for the record as a whole).
    @Test func everyBadRecordIsReportedWithItsLineAndColumn() {
        let text = """
        {"item": "africa:44", "rater": "ana", "rating": 7}
        {"item": "afrika:44", "rater": "ana", "rating": 2}
        {"item": "asia:13", "ratr": "ana", "rating": 3}
        {"item": "asia:13"
        [1, 2]
        """
        do {
            _ = try RatingsFile.parse(text, file: "r.jsonl", method: .individualLikertScale, modelCount: 1, itemIDs: items)
            Issue.record("expected errors")
        } catch {
            #expect(error.description == """
            r.jsonl:1:39: error: "rating" must be a whole number from 1 (poor) to 5 (excellent) for IndividualLikertScale
            r.jsonl:2:2: error: no item "afrika:44" in this job; did you mean "africa:44"?
            r.jsonl:3:21: error: unknown key "ratr"; did you mean "rater"? (allowed: item, rater, rating, response)
            r.jsonl:3:1: error: missing "rater"
            r.jsonl:4:19: error: malformed JSON: expected ',' or '}'
            r.jsonl:5:1: error: expected a JSON object per line, found an array
            """)
        }
    }

    @Test func methodsMustFitTheNumberOfModels() {
        #expect(throws: RatingsFileError.self) {
            try RatingsFile.parse(#"{"item": "asia:13", "rater": "a", "rating": "A"}"#, file: "f", method: .comparisonChoice,
                                  modelCount: 1, itemIDs: items)
        }
        do {
            _ = try RatingsFile.parse(#"{"item": "asia:13", "rater": "a", "rating": "up"}"#, file: "f", method: .thumbsUpDown,
                                      modelCount: 2, itemIDs: items)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.message) == [#"missing "response": this job compared two models, so say which response ("A" or "B") is rated"#])
        }
    }
}

@Suite struct RatingSummaryTests {
    @Test func approvalLikertWinRateAndRank() {
        let ab = ["a", "b"]
        let ratings = [
            RatingView(method: .thumbsUpDown, value: "up", modelIDs: ["a"]),
            RatingView(method: .thumbsUpDown, value: "down", modelIDs: ["a"]),
            RatingView(method: .thumbsUpDown, value: "up", modelIDs: ["b"]),
            RatingView(method: .individualLikertScale, value: "4", modelIDs: ["a"]),
            RatingView(method: .individualLikertScale, value: "5", modelIDs: ["a"]),
            RatingView(method: .comparisonChoice, value: "A", modelIDs: ab),
            RatingView(method: .comparisonLikertScale, value: "3", modelIDs: ab),   // a tie: half a win each
            RatingView(method: .comparisonLikertScale, value: "5", modelIDs: ab),   // B much better
            RatingView(method: .comparisonRank, value: "B>A", modelIDs: ab),
        ]
        let s = ModelRatingSummary.summarize(ratings, models: ab)
        #expect(s[0].approvalRate == 0.5 && s[0].thumbs == 2 && s[1].approvalRate == 1)
        #expect(s[0].meanLikert == 4.5 && s[1].meanLikert == nil)
        #expect(s[0].winRate == 0.5 && s[1].winRate == 0.5 && s[0].comparisons == 3)
        #expect(s[0].meanRank == 2 && s[1].meanRank == 1)
    }
}
