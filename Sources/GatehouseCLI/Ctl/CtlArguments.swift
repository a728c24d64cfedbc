/// `gatehouse ctl --name exchange pending` reads naturally, but ArgumentParser only gives a
/// subcommand the options written after its name. This moves `ctl`'s target options
/// (`--control`, `--name`, `--json`) that stand before the subcommand to after it.
public enum CtlArguments {
    static let withValue: Set<String> = ["--control", "--name"]
    static let flags: Set<String> = ["--json"]

    public static func normalize(_ args: [String]) -> [String] {
        guard let ctl = args.firstIndex(of: "ctl") else { return args }
        var moved: [String] = []
        var rest: [String] = []
        var i = ctl + 1
        while i < args.count {
            let a = args[i]
            if withValue.contains(a), i + 1 < args.count {
                moved += [a, args[i + 1]]
                i += 2
            } else if let eq = a.firstIndex(of: "="), withValue.contains(String(a[..<eq])) {
                moved.append(a)
                i += 1
            } else if flags.contains(a) {
                moved.append(a)
                i += 1
            } else {
                break
            }
        }
        // Options before `ctl` itself (`gatehouse --name x ctl …`) are taken as ctl's too.
        var head: [String] = []
        var j = 0
        while j < ctl {
            if withValue.contains(args[j]), j + 1 < ctl {
                moved += [args[j], args[j + 1]]
                j += 2
            } else {
                head.append(args[j])
                j += 1
            }
        }
        // `ctl` must be the command itself, not a word in another command's arguments.
        guard head.isEmpty else { return args }
        rest = Array(args[i...])
        guard !moved.isEmpty, let sub = rest.first, !sub.hasPrefix("-") else { return args }
        return ["ctl", sub] + moved + rest.dropFirst()
    }
}
