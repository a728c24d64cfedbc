import Foundation
import GatehouseTransport
#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse-bench relay -- CMD...`: the physical floor for any stdio proxy. Two threads copy
/// raw bytes, client→upstream and upstream→client, with no parsing and no framing, so what it
/// adds over a direct connection is two pipe hops and two thread wake-ups per message.
enum BenchRelay {
    static func run(_ args: [String]) -> Never {
        guard let dash = args.firstIndex(of: "--"), dash + 1 < args.count else {
            warn("usage: gatehouse-bench relay -- COMMAND [ARGS...]")
            exit(2)
        }
        let cmd = Array(args[(dash + 1)...])
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(cmd[0], arguments: Array(cmd.dropFirst()))
        } catch {
            warn("relay: cannot start \(cmd[0]): \(error)")
            exit(1)
        }
        let toChild = child.stdin.fileDescriptor
        let fromChild = child.stdoutDescriptor
        // Upstream → client on its own thread; the main thread copies client → upstream.
        let up = Thread {
            copy(from: fromChild, to: 1)
            exit(0)  // the upstream ended: so does the relay
        }
        up.name = "relay-up"
        up.start()
        copy(from: 0, to: toChild)
        child.closeStdin()
        child.waitForExit()
        // Give the other thread the upstream's last bytes (it exits the process itself).
        sleep(5)
        exit(0)
    }

    static func copy(from: Int32, to: Int32) {
        let size = 1 << 16
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buf.deallocate() }
        while true {
            let n = read(from, buf.baseAddress!, size)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            if !writeAll(to, UnsafeRawBufferPointer(rebasing: buf[0..<n])) { return }
        }
    }
}
