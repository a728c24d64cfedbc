import Foundation
import GRDB
import GatehouseCore

/// Kill switch, overrides and standing approvals, per gateway name. Written before an operator's
/// command is acknowledged, read at start-up: a restart never re-opens what an operator closed.
extension StateStore {
    public func loadRuntimeState(gateway: String, now: Double) throws -> RuntimeState {
        try db.read { db in
            var state = RuntimeState()
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM kill_switch WHERE gateway = ?", arguments: [gateway]) {
                state.killSwitch = KillSwitch(engagedBy: row["engaged_by"], engagedAt: row["engaged_at"], reason: row["reason"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM tool_override WHERE gateway = ?", arguments: [gateway]) {
                guard let action = PolicyAction(rawValue: row["action"]) else { continue }
                state.overrides[row["tool"]] = ToolOverride(action: action, setBy: row["set_by"], setAt: row["set_at"])
            }
            state.grants = try Row.fetchAll(
                db, sql: "SELECT * FROM approval_grant WHERE gateway = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at",
                arguments: [gateway, now]
            ).map { ApprovalGrant(id: $0["id"], tool: $0["tool"], session: $0["session"], expiresAt: $0["expires_at"], grantedBy: $0["granted_by"]) }
            return state
        }
    }

    public func setKillSwitch(gateway: String, _ k: KillSwitch?) throws {
        try db.write { db in
            if let k {
                try db.execute(sql: "INSERT OR REPLACE INTO kill_switch (gateway, engaged_by, engaged_at, reason) VALUES (?,?,?,?)",
                               arguments: [gateway, k.engagedBy, k.engagedAt, k.reason])
            } else {
                try db.execute(sql: "DELETE FROM kill_switch WHERE gateway = ?", arguments: [gateway])
            }
        }
    }

    public func setOverride(gateway: String, tool: String, _ o: ToolOverride?) throws {
        try db.write { db in
            if let o {
                try db.execute(sql: "INSERT OR REPLACE INTO tool_override (gateway, tool, action, set_by, set_at) VALUES (?,?,?,?,?)",
                               arguments: [gateway, tool, o.action.rawValue, o.setBy, o.setAt])
            } else {
                try db.execute(sql: "DELETE FROM tool_override WHERE gateway = ? AND tool = ?", arguments: [gateway, tool])
            }
        }
    }

    public func addGrant(gateway: String, _ g: ApprovalGrant, now: Double) throws {
        try db.write { db in
            try db.execute(sql: "INSERT INTO approval_grant (id, gateway, tool, session, expires_at, granted_by, created_at) VALUES (?,?,?,?,?,?,?)",
                           arguments: [g.id, gateway, g.tool, g.session, g.expiresAt, g.grantedBy, now])
        }
    }
}
