import { RemixBrowser } from '@remix-run/react'
import i18next from 'i18next'
import { StrictMode, startTransition } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { DEFAULT_LOCALE, i18nOptions, isLocale } from './i18n/config.ts'

const lang = document.documentElement.lang
const instance = i18next.createInstance()
instance.use(initReactI18next)
await instance.init(i18nOptions(isLocale(lang) ? lang : DEFAULT_LOCALE))

startTransition(() => {
  hydrateRoot(
    document,
    <I18nextProvider i18n={instance}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </I18nextProvider>,
  )
})
