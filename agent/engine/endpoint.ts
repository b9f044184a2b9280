/**
 * Finds the host's container engine the way the docker CLI does: DOCKER_HOST first, then
 * the default socket. The agent only ever connects; it never listens on TCP.
 * Kept free of dockerode so main can use it to detect a local engine.
 */
import { BerthError } from '../../protocol/errors'

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock'

export type EngineEndpoint = { socketPath: string } | { host: string; port: number }

export function resolveEngineEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const dockerHost = env.DOCKER_HOST?.trim()
  if (!dockerHost) return { socketPath: DEFAULT_DOCKER_SOCKET }
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length)
    if (!socketPath.startsWith('/')) throw new BerthError('INVALID_INPUT', `DOCKER_HOST ${dockerHost} is not an absolute socket path`)
    return { socketPath }
  }
  if (dockerHost.startsWith('tcp://')) {
    const url = new URL(dockerHost)
    return { host: url.hostname, port: Number(url.port || 2375) }
  }
  throw new BerthError('UNSUPPORTED', `DOCKER_HOST ${dockerHost} is not supported: use unix:// or tcp://`)
}

export function describeEndpoint(endpoint: EngineEndpoint): string {
  return 'socketPath' in endpoint ? `unix://${endpoint.socketPath}` : `tcp://${endpoint.host}:${endpoint.port}`
}
