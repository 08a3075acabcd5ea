// The shape of an RxDB collection schema as the app declares them (shared/domain/schemas.ts and the
// schemas of the feature cores, e.g. shared/verification/schemas.ts, which import it from here).
export type JsonSchema = {
  title?: string;
  description?: string;
  version: number;
  primaryKey: string;
  type: 'object';
  properties: Record<string, unknown>;
  required: string[];
  indexes?: (string | string[])[];
  additionalProperties?: boolean;
};
