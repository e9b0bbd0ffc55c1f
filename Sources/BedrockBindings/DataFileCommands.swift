// `data_file`: a file of the packaged data cache, for scripts that build their own data sets.
import BedrockInterpreter
import BedrockPlatform

extension PlatformLibrary {
    func registerDataFiles(into registry: inout NativeRegistry) {
        registry.register(
            "data_file",
            positional: [NativeParameter("name", .string, doc: "a path inside the data cache, e.g. \"jargon/jargon.txt\"")],
            doc: "The path of a file in the data cache that scripts/fetch-data fills (quiz/, fortunes/, vader/, jargon/).",
            example: #"len(read_text(data_file("jargon/jargon.txt"))) > 0"#, category: "data"
        ) { args, _ in .string(try platform.dataFile(try args.string("name"))) }
    }
}
