import Glibc
import Testing
@testable import GatehouseTransport

@Suite struct TransportTests {
    @Test func knowsWhoWeAre() {
        #expect(Transport.currentUID == geteuid())
        #expect(Transport.userName(uid: 0) == "root")
        #expect(Transport.userName(uid: 3_999_999_999) == nil)
    }

    @Test func errorsReadWell() {
        #expect(TransportError.alreadyListening(path: "/r/g.sock").description == "a server is already listening at /r/g.sock")
        #expect(TransportError.system(call: "read", errno: EBADF).description == "read: Bad file descriptor")
        #expect(ChildExitStatus.exited(2).description == "exited with code 2")
        #expect(ChildExitStatus.signaled(SIGKILL).description.contains("Killed"))
    }

    @Test func decodesWaitStatuses() {
        #expect(ChildExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ChildExitStatus(waitStatus: SIGKILL) == .signaled(SIGKILL))
        // Core-dump bit set.
        #expect(ChildExitStatus(waitStatus: SIGSEGV | 0x80) == .signaled(SIGSEGV))
    }

    @Test func convertsDurationsForTheKernel() {
        #expect(Duration.milliseconds(1).pollMilliseconds == 1)
        #expect(Duration.microseconds(1).pollMilliseconds == 1)
        #expect(Duration.zero.pollMilliseconds == 0)
        #expect(Duration.seconds(-1).pollMilliseconds == 0)
        #expect(Duration.seconds(Int64.max).pollMilliseconds == Int32.max)
        #expect(Duration.nanoseconds(1).timeval.tv_usec == 1)
        #expect(Duration.milliseconds(1_500).timeval.tv_sec == 1)
        #expect(Duration.milliseconds(1_500).timeval.tv_usec == 500_000)
    }
}
