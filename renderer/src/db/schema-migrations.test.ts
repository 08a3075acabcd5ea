// Every schema version a user's database may still hold opens with today's app (STYLE rule 5): each
// fixture in tests/fixtures/schemas/<collection>.v<N>.json is a released schema with documents written
// under it. They are stored with that schema in RxDB (memory storage, dev-mode and ajv validation on),
// then the database is reopened with today's collections: every document must survive the migration
// strategies and be valid under today's schema (and equal `expected` where a migration changes values). Bump a version → add the old schema's fixture here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../../shared/domain/schemas';
import { createXuejiDatabase } from './database';

const DIR = join(import.meta.dirname, '../../../tests/fixtures/schemas');

type Fixture = {
  collection: keyof typeof COLLECTIONS;
  schema: { version: number };
  docs: Record<string, unknown>[];
  /** the documents after today's migrations, when a migration changes values (else: `docs` as they are) */
  expected?: Record<string, unknown>[];
};

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture) }));

describe('schema migrations: old-version fixtures open with today’s schemas', () => {
  it('has a fixture of every version below the current one of each collection', () => {
    for (const [name, spec] of Object.entries(COLLECTIONS)) {
      for (let v = 0; v < spec.schema.version; v++)
        expect(
          fixtures.some((f) => f.collection === name && f.schema.version === v),
          `${name}.v${v}.json`,
        ).toBe(true);
    }
  });

  for (const fixture of fixtures) {
    it(`${fixture.file}: documents migrate to v${COLLECTIONS[fixture.collection].schema.version} and stay valid`, async () => {
      const name = `migrate-${fixture.file.replace(/\W/g, '-')}-${Date.now()}`;
      const storage = getRxStorageMemory();
      // Validated like the app's own storage in tests (dev-mode, once loaded, insists on it).
      const old = await createRxDatabase({
        name,
        storage: wrappedValidateAjvStorage({ storage }),
        multiInstance: false,
      });
      await old.addCollections({
        [fixture.collection]: {
          schema: fixture.schema as unknown as RxJsonSchema<unknown>,
          migrationStrategies: Object.fromEntries(
            Array.from({ length: fixture.schema.version }, (_, i) => [i + 1, (d: unknown) => d]),
          ),
        },
      });
      await old.collections[fixture.collection]?.bulkInsert(fixture.docs);
      await old.close();

      const db = await createXuejiDatabase({ name, storage });
      try {
        const docs = (await db.collections[fixture.collection].find().exec()).map((d) => d.toJSON());
        expect(docs).toHaveLength(fixture.docs.length);
        const validate = new Ajv({ strict: false }).compile(COLLECTIONS[fixture.collection].schema);
        for (const doc of docs) expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
        for (const original of fixture.expected ?? fixture.docs)
          expect(docs.find((d) => d.id === original.id)).toMatchObject(original);
      } finally {
        await db.remove();
      }
    });
  }
});
