import type { Role } from '#db/schema.ts'

/** Who sends a workflow event: a signed-in user acting in one role, or the system (timers). */
export interface Actor {
  userId: number | null
  role: Role | 'system'
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system' }
