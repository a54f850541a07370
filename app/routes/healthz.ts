import type { LoaderFunctionArgs } from '@remix-run/node'
import { sql } from 'kysely'

/** Liveness and database reachability for load balancers. */
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await sql`select 1`.execute(context.db)
    return Response.json({ ok: true })
  } catch {
    return Response.json({ ok: false }, { status: 503 })
  }
}
