/** English must have every key the Chinese original has (and nothing else). */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> }

/** A feature's messages in both languages; the type checker keeps them in step. */
export function defineMessages<const T>(zh: T, en: Shape<T>) {
  return { zh, en }
}
