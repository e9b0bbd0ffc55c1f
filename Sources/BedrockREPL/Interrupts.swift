// Ctrl-C for the interactive REPL: a SIGINT handler that is async-signal-safe (it only stores an
// atomic flag and writes one byte to a pipe) and a watcher thread that turns the byte into a call
// to the running statement's interrupt function. Not used by `bedrock run`, where ^C just exits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Ctrl-C state shared with the C signal handler. Global lets because a C function pointer cannot
/// capture context (TOOLCHAIN.md §1, pitfall 3); only atomics are touched inside the handler.
enum Interrupts {
    /// Set by the handler; the line reader reads a NULL from libedit as ^C when this is set.
    static let pending = Atomic<Bool>(false)
    /// Write end of the self-pipe, -1 until installed.
    static let pipeWriteEnd = Atomic<Int32>(-1)
    /// What a ^C does while a statement runs (the session's `interrupt`), nil at the prompt.
    static let target = Mutex<(@Sendable () -> Void)?>(nil)
    private static let installed = Atomic<Bool>(false)

    /// Installs the handler and starts the watcher thread; safe to call more than once.
    static func install() {
        guard !installed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        pipeWriteEnd.store(fds[1], ordering: .releasing)
        startWatcher(readEnd: fds[0])
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = onSigint
        #else
        action.__sigaction_u.__sa_handler = onSigint
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0   // no SA_RESTART: libedit's read must fail with EINTR so ^C ends the line
        sigaction(SIGINT, &action, nil)
    }

    /// Runs `body` with ^C routed to `interrupt`, restoring the prompt behaviour afterwards.
    static func whileRunning<T>(interrupt: @escaping @Sendable () -> Void, _ body: () -> T) -> T {
        target.withLock { $0 = interrupt }
        defer { target.withLock { $0 = nil } }
        return body()
    }

    private static func startWatcher(readEnd: Int32) {
        var thread = pthread_t()
        let fd = UnsafeMutableRawPointer(bitPattern: Int(readEnd) + 1)
        _ = pthread_create(&thread, nil, watcherMain, fd)
        pthread_detach(thread)
    }
}

/// The SIGINT handler: async-signal-safe operations only.
private func onSigint(_ signal: Int32) {
    Interrupts.pending.store(true, ordering: .relaxed)
    let fd = Interrupts.pipeWriteEnd.load(ordering: .relaxed)
    if fd >= 0 {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }
}

/// The watcher thread: each byte from the handler interrupts the running statement, if any.
/// The fd travels in the context pointer, offset by one so that fd 0 is not a null pointer.
#if canImport(Glibc)
private func watcherMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    watch(fd: Int32(Int(bitPattern: context) - 1))
    return nil
}
#else
private func watcherMain(_ context: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    watch(fd: Int32(Int(bitPattern: context) - 1))
    return nil
}
#endif

private func watch(fd: Int32) {
    var byte: UInt8 = 0
    while true {
        let n = read(fd, &byte, 1)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        let interrupt = Interrupts.target.withLock { $0 }
        interrupt?()
    }
}
