import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import type { AppContext } from './context.ts'

export type PerProcessContext = Omit<AppContext, 'clientIp'>

export interface HttpAppOptions {
  context: PerProcessContext
  /** A built server bundle, or a Vite dev server to load it from on each request. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  /** Extra middleware before Remix (Vite's in dev). */
  before?: express.RequestHandler[]
  clientDir: string
  trustProxy?: boolean
}

/** The web process: static assets, then Remix with the shared per-process context. */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express()
  app.disable('x-powered-by')
  if (options.trustProxy) app.set('trust proxy', true)
  for (const mw of options.before ?? []) app.use(mw)
  app.use(
    '/assets',
    express.static(path.join(options.clientDir, 'assets'), { immutable: true, maxAge: '1y' }),
  )
  app.use(express.static(options.clientDir, { maxAge: '1h' }))
  app.all(
    '*',
    createRequestHandler({
      build: options.build,
      getLoadContext: (req): AppContext => ({ ...options.context, clientIp: req.ip ?? 'unknown' }),
    }),
  )
  return app
}
