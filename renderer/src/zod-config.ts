/**
 * Imported first by main.ts, before any schema is built. zod probes `new Function` to compile
 * fast parsers; the page's CSP forbids eval, and even the caught probe is reported as a CSP
 * violation. jitless parsing is plenty fast for the renderer's payloads.
 */
import * as z from 'zod'

z.config({ jitless: true })
