import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createAuthCookies } from '#app/auth/cookies.server.ts'
import { startSession } from '#app/auth/session.server.ts'
import type { AppContext } from '#app/context.ts'
import { createLocalStorage } from '#app/storage/storage.server.ts'
import type { Db } from '#db/client.server.ts'
import { silentLogger } from '#jobs/logger.ts'

export const BASE_URL = 'http://zhuqi.test'

/** What a route test hands loaders and actions; counts outbox pokes. */
export type TestContext = AppContext & {
  pokes: number
  setNow: (at: Date | null) => void
  /** The temporary directory behind `storage`. */
  uploadsDir: string
}

export function buildContext(db: Db): TestContext {
  const { sessionCookie, csrfCookie } = createAuthCookies(
    'route-test-secret-0123456789abcdef',
    false,
  )
  let fixedNow: Date | null = null
  // Created by the first upload only (most tests never store a file).
  const uploadsDir = path.join(tmpdir(), `zhuqi-uploads-${randomBytes(6).toString('hex')}`)
  const context: TestContext = {
    db,
    logger: silentLogger,
    sessionCookie,
    csrfCookie,
    pokes: 0,
    pokeOutbox: () => {
      context.pokes++
    },
    now: () => fixedNow ?? new Date(),
    setNow: (at) => {
      fixedNow = at
    },
    clientIp: '127.0.0.1',
    storage: createLocalStorage(uploadsDir),
    uploadsDir,
  }
  return context
}

type Fields = Record<string, string | number> | [string, string | number][]

export interface PostOptions {
  /** Replace the csrf field (null: leave it out). Defaults to this browser's token. */
  csrf?: string | null
}

/** A browser: the cookies it sends and the CSRF token its pages carry. */
export class Browser {
  constructor(
    readonly cookieHeader: string | null,
    readonly csrf: string | null,
  ) {}

  get(path: string): Request {
    return new Request(`${BASE_URL}${path}`, { headers: this.headers() })
  }

  post(path: string, fields: Fields, options: PostOptions = {}): Request {
    const body = new URLSearchParams()
    const csrf = options.csrf === undefined ? this.csrf : options.csrf
    if (csrf !== null) body.append('csrf', csrf)
    const entries = Array.isArray(fields) ? fields : Object.entries(fields)
    for (const [name, value] of entries) body.append(name, String(value))
    const headers = this.headers()
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
    return new Request(`${BASE_URL}${path}`, { method: 'POST', headers, body })
  }

  private headers(): Headers {
    const headers = new Headers()
    if (this.cookieHeader) headers.set('Cookie', this.cookieHeader)
    return headers
  }
}

/** "name=value" of a Set-Cookie header. */
function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0] ?? ''
}

async function csrfPair(context: TestContext) {
  const token = randomBytes(32).toString('base64url')
  return { token, cookie: cookiePair(await context.csrfCookie.serialize(token)) }
}

/** A signed-in browser for `userId`, with a session cookie and a valid CSRF cookie + token. */
export async function signIn(context: TestContext, userId: number): Promise<Browser> {
  const session = cookiePair(await startSession(context, userId))
  const csrf = await csrfPair(context)
  return new Browser(`${session}; ${csrf.cookie}`, csrf.token)
}

/** Nobody signed in, but with a valid CSRF cookie (as after visiting any page). */
export async function anonymous(context: TestContext): Promise<Browser> {
  const csrf = await csrfPair(context)
  return new Browser(csrf.cookie, csrf.token)
}

export interface Outcome {
  status: number
  /** Whether the route threw (error page or redirect) rather than returned. */
  thrown: boolean
  location: string | null
  /** The data a route returned (plain or through `data()`). */
  data: unknown
  /** Body text of a Response (error pages carry their `errors.*` key here). */
  body: string | null
}

function isDataWithInit(value: unknown): value is { data: unknown; init: ResponseInit | null } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'DataWithResponseInit'
  )
}

async function toOutcome(value: unknown, thrown: boolean): Promise<Outcome> {
  if (value instanceof Response) {
    return {
      status: value.status,
      thrown,
      location: value.headers.get('Location'),
      data: undefined,
      body: value.body ? await value.text() : null,
    }
  }
  if (isDataWithInit(value)) {
    return {
      status: value.init?.status ?? 200,
      thrown,
      location: null,
      data: value.data,
      body: null,
    }
  }
  return { status: 200, thrown, location: null, data: value, body: null }
}

type RouteFn = (args: {
  request: Request
  context: AppContext
  params: Record<string, string | undefined>
}) => unknown

/** Calls a loader or action the way Remix would and normalises what comes back or is thrown. */
export async function call(
  fn: RouteFn | undefined,
  request: Request,
  context: TestContext,
  params: Record<string, string> = {},
): Promise<Outcome> {
  if (!fn) throw new Error('route has no such function')
  try {
    return await toOutcome(await fn({ request, context, params }), false)
  } catch (err) {
    if (err instanceof Response) return toOutcome(err, true)
    throw err
  }
}

/** Conform's list intents, as the add/remove buttons post them. */
export const intents = {
  insert: (name: string, defaultValue?: Record<string, string>) =>
    JSON.stringify({ type: 'insert', payload: { name, defaultValue } }),
  remove: (name: string, index: number) =>
    JSON.stringify({ type: 'remove', payload: { name, index } }),
}

/** The fields of a needs list form. */
export function needsListFields(
  title: string,
  items: { category: string; description: string; urgency: string; headcount: number | string }[],
  extra: Record<string, string | number> = {},
): [string, string | number][] {
  const fields: [string, string | number][] = [['title', title]]
  items.forEach((item, i) => {
    fields.push([`items[${i}].category`, item.category])
    fields.push([`items[${i}].description`, item.description])
    fields.push([`items[${i}].urgency`, item.urgency])
    fields.push([`items[${i}].headcount`, item.headcount])
  })
  for (const [k, v] of Object.entries(extra)) fields.push([k, v])
  return fields
}
