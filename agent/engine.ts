import Docker from 'dockerode'
import { type EngineEndpoint, resolveEngineEndpoint } from './engine-endpoint'

export function connectEngine(endpoint: EngineEndpoint = resolveEngineEndpoint()): Docker {
  return new Docker(endpoint)
}
