// Bounds of what a client may send (issue 8 "Bad input"), in one place for the app, the server and the
// CLI. Settings with defaults (DOMAIN.md: a provincial choice is a setting, never a buried constant): the
// server takes overrides through its options, the app reads the same defaults.

export type SyncLimits = {
  /** one document as JSON (UTF-8 bytes) */
  maxDocBytes: number;
  /** one push request body */
  maxPushBytes: number;
  /** rows in one push */
  maxPushRows: number;
  /** nesting of objects and arrays inside a document (the document itself is depth 1) */
  maxDepth: number;
  /** characters of an object key inside a document */
  maxKeyLength: number;
};

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxDocBytes: 64 * 1024,
  maxPushBytes: 8 * 1024 * 1024,
  maxPushRows: 1000,
  maxDepth: 8,
  maxKeyLength: 100,
};

/**
 * R-ONE (YQ 四(一)) without an oracle: a user learns that an ID number is registered in another school
 * (by a duplicate on push, or by the transfer-in lookup) at most `checks` times per window; past it,
 * every such check is refused until the window has passed. Each check is recorded (R-WHO).
 */
export type RegistryLimits = { checks: number; windowMinutes: number };

export const DEFAULT_REGISTRY_LIMITS: RegistryLimits = { checks: 20, windowMinutes: 60 };
