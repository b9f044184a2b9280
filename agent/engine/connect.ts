import Docker from 'dockerode'
import { type EngineEndpoint, resolveEngineEndpoint } from './endpoint'

export function connectEngine(endpoint: EngineEndpoint = resolveEngineEndpoint()): Docker {
  return new Docker(endpoint)
}
