import { defineMessages } from '../define.ts'

// Keys are used as t('steward.<key>').
export const stewardMessages = defineMessages({}, {})
