// Names for the workspace's row types. Billing and Workspace both define `VirtualTime` and
// `LedgerEntry`, and the module `Workspace` holds a class of the same name, so
// `Workspace.LedgerEntry` cannot be spelled. This file imports only Workspace and gives its rows
// names the rest of the platform can use beside Billing's.
import Workspace

typealias StoredTime = VirtualTime
typealias StoredLedgerEntry = LedgerEntry
typealias StoredInvocation = InvocationRecord
