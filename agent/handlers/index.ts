/**
 * The agent's allow-listed method table: one handler file per domain, joined here. Every
 * method is declared in protocol/schema.ts; params are validated before any handler runs,
 * and engine errors become values.
 */
import { BerthError } from '../../protocol/errors'
import { agentServedMethods, isAgentServedMethod } from '../../protocol/schema'
import { parseOrThrow } from '../../protocol/validate'
import type { RequestContext, RequestHandler } from '../../protocol/wire/peer'
import { mapEngineError } from '../engine-errors'
import { containerRunHandlers } from './container-run'
import { containerHandlers } from './containers'
import { engineHandlers } from './engine'
import { transferHandlers } from './image-transfer'
import { imageHandlers } from './images'
import { logHandlers } from './logs'
import { networkHandlers } from './networks'
import { registryHandlers } from './registry'
import { registryAuthHandlers } from './registry-auth'
import { sessionHandlers } from './sessions'
import { statHandlers } from './stats'
import { systemHandlers } from './system'
import { volumeFileHandlers } from './volume-files'
import { volumeHandlers } from './volumes'
import type { AgentDeps, HandlersFor } from './types'

export type { AgentDeps } from './types'
export type HandlerTable = HandlersFor<typeof agentServedMethods>

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
