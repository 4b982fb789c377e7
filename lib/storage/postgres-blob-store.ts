import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import pg from "pg";
import { BlobNotFoundError, checkSha256, type StoredBlob } from "@/lib/storage/blob-names";

/** The schema the store keeps its tables in (created on first use, beside the app's and pg-boss's). */
export const BLOB_SCHEMA = "apiledger_files";
/** Bytes per row: small enough to stream a bundle without holding it, large enough to be few rows. */
export const CHUNK_BYTES = 1024 * 1024;

const S = BLOB_SCHEMA;

/**
 * Blobs in PostgreSQL itself, for installations without object storage: every instance of a cluster
 * reads what any other stored, and `pg_dump` backs them up with the rest. A blob is a row naming its
 * size plus its bytes in 1 MiB chunks, inserted in one transaction: no reader sees half a blob. The
 * insert of the blob's row is the conditional write — of two uploads of the same bytes at once, the
 * second waits for the first to commit and then stores nothing.
 *
 * Not through Prisma: blob bytes are storage, like files on disk, not records (the record that names
 * a blob is written, audited, through lib/audit/authorized-write.ts). The tables are in a schema of
 * their own, so Prisma's migrations neither see nor drop them.
 */
// A BlobStore (lib/storage/blob-store.ts checks it where it makes one).
export class PostgresBlobStore {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | null = null;

  constructor(connectionString: string, poolSize = 4) {
    // Its own few connections (beside the app's DATABASE_POOL_SIZE): a download holds one per chunk read,
    // a bundle being stored one for its transaction. Waiting longer than 10 s for one is an error, not a hang.
    this.pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 10_000 });
    // An idle connection the server closed (a restart) must not crash the process.
    this.pool.on("error", () => {});
  }

  /** Creates the schema and tables once; two instances starting at once take turns. */
  private setUp(): Promise<void> {
    this.ready ??= this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('apiledger_files.setup'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
      // touched_at: the last time a write stored or found the blob; the garbage collector removes only
      // blobs untouched for its grace period, so one a write just found is never taken from under it.
      await client.query(`CREATE TABLE IF NOT EXISTS ${S}.blob (
        sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL,
        touched_at timestamptz NOT NULL DEFAULT now())`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${S}.chunk (
        sha256 text NOT NULL REFERENCES ${S}.blob ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (sha256, seq))`);
    }).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Claims the blob's row: true when this write stores the bytes, false when they are already there
   * (then the row is touched, so a collection running now leaves it).
   */
  private async claim(client: pg.PoolClient, sha256: string, size: number): Promise<boolean> {
    const { rows } = await client.query<{ inserted: boolean }>(
      `INSERT INTO ${S}.blob (sha256, size) VALUES ($1, $2)
       ON CONFLICT (sha256) DO UPDATE SET touched_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [sha256, size],
    );
    return rows[0]?.inserted === true;
  }

  async put(sha256: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    checkSha256(sha256);
    if (createHash("sha256").update(bytes).digest("hex") !== sha256)
      throw new Error("The bytes do not match their SHA-256");
    await this.setUp();
    return this.transaction(async (client) => {
      if (!(await this.claim(client, sha256, bytes.byteLength))) return { created: false };
      for (let seq = 0, at = 0; at < bytes.byteLength || seq === 0; seq++, at += CHUNK_BYTES)
        await client.query(`INSERT INTO ${S}.chunk (sha256, seq, data) VALUES ($1, $2, $3)`, [
          sha256,
          seq,
          Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(CHUNK_BYTES, bytes.byteLength - at)),
        ]);
      return { created: true };
    });
  }

  async putFile(sha256: string, file: string): Promise<{ created: boolean }> {
    checkSha256(sha256);
    await this.setUp();
    const size = (await fs.promises.stat(file)).size;
    return this.transaction(async (client) => {
      if (!(await this.claim(client, sha256, size))) return { created: false };
      // Hashed as it is stored: bytes that do not match their name roll the whole blob back.
      const hash = createHash("sha256");
      let seq = 0;
      for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
        hash.update(chunk as Buffer);
        await client.query(`INSERT INTO ${S}.chunk (sha256, seq, data) VALUES ($1, $2, $3)`, [sha256, seq++, chunk]);
      }
      if (seq === 0) await client.query(`INSERT INTO ${S}.chunk (sha256, seq, data) VALUES ($1, 0, '')`, [sha256]);
      if (hash.digest("hex") !== sha256) throw new Error("The file does not match its SHA-256");
      return { created: true };
    });
  }

  async open(sha256: string): Promise<Readable> {
    checkSha256(sha256);
    await this.setUp();
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(c.seq)::int AS n FROM ${S}.blob b JOIN ${S}.chunk c USING (sha256) WHERE b.sha256 = $1`,
      [sha256],
    );
    const chunks = rows[0]?.n ?? 0;
    if (!chunks) throw new BlobNotFoundError(sha256);
    const pool = this.pool;
    // One chunk at a time, as the reader asks for them: a bundle of hundreds of MB is never in memory.
    return Readable.from(
      (async function* () {
        for (let seq = 0; seq < chunks; seq++) {
          const { rows: part } = await pool.query<{ data: Buffer }>(
            `SELECT data FROM ${S}.chunk WHERE sha256 = $1 AND seq = $2`,
            [sha256, seq],
          );
          if (!part[0]) throw new BlobNotFoundError(sha256);
          yield part[0].data;
        }
      })(),
      { objectMode: false },
    );
  }

  async has(sha256: string): Promise<boolean> {
    checkSha256(sha256);
    await this.setUp();
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${S}.blob WHERE sha256 = $1`, [sha256]);
    return (rowCount ?? 0) > 0;
  }

  async remove(sha256: string): Promise<void> {
    checkSha256(sha256);
    await this.setUp();
    await this.pool.query(`DELETE FROM ${S}.blob WHERE sha256 = $1`, [sha256]);
  }

  /** Removes the blob only if no write has stored or found it since `untouchedSince`; true if removed. */
  async removeIfUntouched(sha256: string, untouchedSince: Date): Promise<boolean> {
    checkSha256(sha256);
    await this.setUp();
    const { rowCount } = await this.pool.query(`DELETE FROM ${S}.blob WHERE sha256 = $1 AND touched_at < $2`, [
      sha256,
      untouchedSince,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /** Every blob no write has stored or found since `before`, a page of names at a time. */
  async *untouchedSince(before: Date): AsyncIterable<StoredBlob> {
    await this.setUp();
    for (let after = ""; ;) {
      const { rows } = await this.pool.query<{ sha256: string; size: string }>(
        `SELECT sha256, size FROM ${S}.blob WHERE touched_at < $1 AND sha256 > $2 ORDER BY sha256 LIMIT 1000`,
        [before, after],
      );
      for (const row of rows) yield { sha256: row.sha256, size: Number(row.size) };
      if (rows.length < 1000) return;
      after = rows.at(-1)!.sha256;
    }
  }

  /** Readiness: a blob row is written and rolled back (throws if the database refuses writes). */
  async checkWritable(): Promise<void> {
    await this.setUp();
    await this.transaction(async (client) => {
      await client.query(`INSERT INTO ${S}.blob (sha256, size) VALUES (repeat('0', 64), 0) ON CONFLICT DO NOTHING`);
      throw new RolledBack();
    }).catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class RolledBack extends Error {}
