import { useRouteLoaderData } from '@remix-run/react'
import type { loader } from '#app/root.tsx'

export type RootData = Awaited<ReturnType<typeof loader>>['data']

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>('root') as RootData | undefined
}
