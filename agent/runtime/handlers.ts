/**
 * The agent's allow-listed method table: one handler file per domain, joined here. Every
 * method is declared in protocol/schema.ts; params are validated before any handler runs,
 * and engine errors become values.
 */
import { BerthError } from '../../protocol/errors'
import { agentServedMethods, isAgentServedMethod, type HandlersFor } from '../../protocol/schema'
import { parseOrThrow } from '../../protocol/validate'
import type { RequestContext, RequestHandler } from '../../protocol/wire/peer'
import { mapEngineError } from '../engine/errors'
import { containerRunHandlers } from '../containers/run-handlers'
import { containerHandlers } from '../containers/handlers'
import { engineHandlers } from '../engine/handlers'
import { transferHandlers } from '../images/transfer-handlers'
import { imageHandlers } from '../images/handlers'
import { logHandlers } from '../logs/handlers'
import { networkHandlers } from '../networks/handlers'
import { registryHandlers } from '../registry/handlers'
import { registryAuthHandlers } from '../registry/auth-handlers'
import { sessionHandlers } from '../terminals/handlers'
import { statHandlers } from '../stats/handlers'
import { systemHandlers } from '../system/handlers'
import { volumeFileHandlers } from '../volume-files/handlers'
import { volumeHandlers } from '../volumes/handlers'
import type { AgentDeps } from './types'

export type { AgentDeps } from './types'
export type HandlerTable = HandlersFor<typeof agentServedMethods, RequestContext>

export function createHandlers(deps: AgentDeps): HandlerTable {
  return {
    ...engineHandlers(deps),
    ...containerHandlers(deps),
    ...containerRunHandlers(deps),
    ...logHandlers(deps),
    ...registryHandlers(deps),
    ...imageHandlers(deps),
    ...networkHandlers(deps),
    ...volumeHandlers(deps),
    ...systemHandlers(deps),
    ...statHandlers(deps),
    ...volumeFileHandlers(deps),
    ...sessionHandlers(deps),
    ...transferHandlers(deps),
    ...registryAuthHandlers(deps),
  }
}

export function createDispatcher(table: HandlerTable, endpoint: string): RequestHandler {
  return async (method, params, ctx) => {
    if (!isAgentServedMethod(method)) throw new BerthError('UNSUPPORTED', `the agent has no method ${method}`)
    const parsed = parseOrThrow(agentServedMethods[method].params, params, `parameters for ${method}`)
    try {
      return await (table[method] as (p: unknown, c: RequestContext) => Promise<unknown>)(parsed, ctx)
    } catch (err) {
      throw mapEngineError(err, endpoint)
    }
  }
}
