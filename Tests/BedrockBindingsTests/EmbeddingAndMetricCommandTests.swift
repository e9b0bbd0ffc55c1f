// Embeddings through Titan's and Cohere's native bodies, the vector helpers, and the metrics as
// language functions, on the real engines.
import BedrockBindings
import BedrockInterpreter
import Testing

@Suite(.serialized) struct EmbeddingAndMetricCommandTests {
    @Test func titanAndCohereEmbedWithTheirOwnBodies() throws {
        let (out, outcome) = try run(#"""
            request access "amazon.titan-embed-text-v2:0"
            request access "cohere.embed-english-v3"
            let e = embed "amazon.titan-embed-text-v2:0" "A man is eating food."
            print e.dimensions, e.input_tokens, e.cost > 0
            let c = embed "cohere.embed-english-v3" ["A man is eating food.", "A man is playing guitar."] input_type: "search_document"
            print len(c.vectors), c.body.response_type
            let s = similarity("A man is eating food.", "A man is eating a piece of bread.")
            print s > 0.7, s < 0.8
            print nearest("eating", ["A man is playing guitar.", "A man is eating food."], k: 1)[0].text
            embed "amazon.titan-embed-text-v2:0" "x" dimensions: 1024
            """#)
        #expect(out.contains("384 8 true"))
        #expect(out.contains("2 embeddings_floats"))
        #expect(out.contains("true true"))
        #expect(out.contains("A man is eating food."))
        guard case .runtimeError(let message) = outcome else { Issue.record("expected the dimensions error"); return }
        #expect(message.contains("dimensions 1024 cannot be served"))
    }

    @Test func metricsScoreAndRejectUnknownOptions() throws {
        let (out, outcome) = try run(#"""
            let r = rouge("the cat sat on the mat", "the cat sat on a mat")
            print r.rouge1.f > 0.8
            let b = bleu("the cat sat on the mat", ["the cat sat on the mat"])
            print b.score, b.signature
            print qa("The Paris", ["paris"]).exact_match
            let p = bertscore("the weather is cold today", "it is freezing today")
            print p.f1 > 0.5
            print perplexity("The capital of France is Paris.").perplexity < perplexity("Paris capital the France of is.").perplexity
            rouge("a", "a", stemming: true)
            """#)
        #expect(out.contains("true\n100"))
        #expect(out.contains("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0"))
        #expect(out.contains("\n1\n") || out.contains("\n1.0\n"))
        #expect(out.hasSuffix("true\ntrue\n"))
        guard case .runtimeError(let message) = outcome else { Issue.record("expected an unknown-label error"); return }
        #expect(message.contains("stem"))
    }
}
