import { defineMessages } from '../define.ts'

// Keys are used as t('taxonomy.<key>').
export const taxonomyMessages = defineMessages({}, {})
