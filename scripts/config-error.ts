/** Prints a configuration error as the clear message it is, without a stack, and exits. */
export function exitWithConfigError<T>(parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  }
}
