import type { DbOrTrx } from '../client.server.ts'

export async function countRecentEvents(
  db: DbOrTrx,
  input: { bucket: string; key: string; since: Date },
): Promise<number> {
  const row = await db
    .selectFrom('rate_limit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bucket', '=', input.bucket)
    .where('key', '=', input.key)
    .where('at', '>', input.since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function recordEvent(db: DbOrTrx, input: { bucket: string; key: string; at: Date }) {
  return db.insertInto('rate_limit_event').values(input).execute()
}
