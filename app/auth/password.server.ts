import { hash, verify } from '@node-rs/argon2'

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** Verified against when the e-mail is unknown, so timing does not reveal which e-mails exist. */
export const DUMMY_HASH = await hashPassword('not-a-real-password')
