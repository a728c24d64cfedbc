import Foundation

/// One executable for every fuzz target.
///
/// Built normally (plain `swift build`), it is a replayer: `gatehouse-fuzz TARGET FILE|DIR...` runs
/// each input through the target once and exits non-zero if an invariant broke; CI can replay the
/// committed corpus this way. Built by `scripts/fuzz` with `-sanitize=fuzzer` and `-DGATEHOUSE_FUZZING`,
/// `main` starts libFuzzer's driver, which calls `LLVMFuzzerTestOneInput` below with the target
/// named by GATEHOUSE_FUZZ_TARGET.
@main
struct FuzzEntry {
    static func main() {
        var args = CommandLine.arguments
        #if GATEHOUSE_FUZZING
        // SwiftPM's entry point wins over libFuzzer's `main`, so start libFuzzer's driver here.
        exit(runLibFuzzer(args))
        #endif
        guard args.count >= 2, let target = FuzzTarget(rawValue: args[1]) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: gatehouse-fuzz \(names) [libFuzzer flags | inputs...]\n".utf8))
            exit(2)
        }
        args.remove(at: 1)
        exit(replay(target, args.dropFirst()))
    }

    /// Runs every file (directories: every file inside) through the target once.
    static func replay(_ target: FuzzTarget, _ paths: ArraySlice<String>) -> Int32 {
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                FileHandle.standardError.write(Data("no such input: \(p)\n".utf8))
                return 2
            }
            if isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []
                files += names.sorted().map { "\(p)/\($0)" }
            } else {
                files.append(p)
            }
        }
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { continue }
            target.run(Array(data))
        }
        print("replayed \(files.count) inputs through \(target.rawValue): no invariant broken")
        return 0
    }
}

#if GATEHOUSE_FUZZING
/// libFuzzer's entry point. Its own `main` (which the sanitizer runtime links in ahead of ours)
/// calls this for every input; the target comes from GATEHOUSE_FUZZ_TARGET, set by scripts/fuzz.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzzTargetFromEnvironment.run(bytes)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

func runLibFuzzer(_ args: [String]) -> Int32 {
    var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    var argc = Int32(args.count)
    return cArgs.withUnsafeMutableBufferPointer { buf in
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buf.baseAddress
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
    }
}

let fuzzTargetFromEnvironment: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        fatalError("set GATEHOUSE_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    return t
}()
#endif
