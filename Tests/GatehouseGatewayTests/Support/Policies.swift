/// Policies the tests run under, as text, the way operators write them.
enum Policies {
    /// Something of everything: allowed, denied, hidden, rate-limited, spend-capped and held tools.
    static let standard = """
        {
          "version": "1",
          "default": "deny",
          "hide": ["secret_*"],
          "approval": {"timeout": "10m", "on_timeout": "deny"},
          "tools": {
            "get_time": {"action": "allow"},
            "echo": {},
            "delete_everything": {"action": "deny", "reason": "Deleting everything is never allowed."},
            "limited": {"rate_limit": "2/minute"},
            "shared_budget": {"limits": [{"counter": "team_calls", "window": "hour", "max": 3, "scope": "grant"}]},
            "spend": {"limits": [{"counter": "budget", "window": "hour", "max": 100, "increment_from": "args.amount"}]},
            "transfer": {"action": "require_approval"},
            "wire": {"action": "require_approval"},
            "held_limited": {"action": "require_approval", "limits": [{"counter": "held_calls", "window": "hour", "max": 1}]}
          }
        }
        """

    /// Held calls time out after one second, denied or allowed.
    static func shortTimeout(onTimeout: String) -> String {
        """
        {
          "version": "1",
          "default": "deny",
          "tools": {
            "transfer": {"action": "require_approval", "approval": {"timeout": 1, "on_timeout": "\(onTimeout)"}},
            "slow": {"action": "require_approval", "approval": {"timeout": "10m"}}
          }
        }
        """
    }

    /// Everything allowed; nothing hidden.
    static let allowAll = #"{"version": "1", "default": "allow"}"#
}
