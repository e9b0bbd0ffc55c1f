// Run-time choice of the kernel instruction set. The binary assumes AVX2+FMA (haswell) on x86-64;
// the AVX-512 kernels in NumericsAVX512 are used only when /proc/cpuinfo lists the AVX-512 subsets
// that `-target-cpu skylake-avx512` may emit. Not a general CPU-feature library.
#if canImport(Glibc)
import Glibc
#endif

/// Which build of the kernels runs.
public enum KernelISA: String, Sendable, CaseIterable {
    /// The baseline build (AVX2+FMA on x86-64, NEON on arm64).
    case baseline
    /// The AVX-512 build (x86-64 with avx512f/bw/dq/vl only).
    case avx512
}

public enum CPU {
    /// True when this CPU can run the skylake-avx512 build. `BEDROCK_KERNELS=baseline` forces false.
    public static let hasAVX512: Bool = {
        #if arch(x86_64) && os(Linux)
        if let forced = getenv("BEDROCK_KERNELS"), String(cString: forced) == "baseline" { return false }
        guard let text = readSmallFile("/proc/cpuinfo") else { return false }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(line.split(separator: " ").map(String.init))
        return ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(flags.contains)
        #else
        return false
        #endif
    }()

    /// True when the CPU has AVX-512 VNNI (vpdpbusd) besides the AVX-512 build's subsets.
    public static let hasVNNI: Bool = {
        #if arch(x86_64) && os(Linux)
        guard hasAVX512, let text = readSmallFile("/proc/cpuinfo"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        return line.split(separator: " ").contains("avx512_vnni")
        #else
        return false
        #endif
    }()

    /// The kernel build used by default.
    public static var defaultISA: KernelISA { hasAVX512 ? .avx512 : .baseline }

    /// Reads a /proc file (whose size reports as 0) fully.
    static func readSmallFile(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 1 << 20 { break }  // one CPU's block is enough; the flags line comes early
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
