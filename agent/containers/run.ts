/**
 * `docker create` and `docker run -d` from a validated spec, through the Engine API.
 * The image is never pulled here: a missing one fails with NOT_FOUND and says to pull it
 * first, so a create never turns into a long silent download.
 */
import type Docker from 'dockerode'
import { BerthError } from '../../protocol/errors'
import { parseImageReference } from '../../protocol/image-reference'
import {
  parseEnvLine,
  parseLabelLine,
  parsePort,
  parseRestart,
  parseVolume,
  type Parsed,
  type RunSpec,
} from '../../protocol/schema'
import { engineMessage } from '../engine/errors'

function must<T>(parsed: Parsed<T>): T {
  // the dispatcher validated the spec with these parsers already
  if (!parsed.ok) throw new BerthError('INVALID_INPUT', parsed.message)
  return parsed.value
}

/** The Engine API body for POST /containers/create, as the docker CLI builds it. */
export function createOptions(spec: RunSpec): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {}
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const line of spec.ports ?? []) {
    const p = must(parsePort(line))
    const key = `${p.containerPort}/${p.protocol}`
    exposed[key] = {}
    ;(bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort })
  }
  const binds = (spec.volumes ?? []).map((line) => {
    const v = must(parseVolume(line))
    return `${v.source}:${v.destination}${v.readOnly ? ':ro' : ''}`
  })
  const labels = Object.fromEntries((spec.labels ?? []).map((l, i) => must(parseLabelLine(l, i))).map((l) => [l.key, l.value]))
  const env = (spec.env ?? []).map((l, i) => {
    const { key, value } = must(parseEnvLine(l, i))
    return `${key}=${value}`
  })
  const restart = spec.restart === undefined ? undefined : must(parseRestart(spec.restart))
  const interactive = spec.interactive ?? false
  const options: Docker.ContainerCreateOptions = {
    Image: spec.image,
    Env: env,
    Labels: labels,
    ExposedPorts: exposed,
    Tty: spec.tty ?? false,
    OpenStdin: interactive,
    // as `docker run -i` does: stdin stays attachable
    AttachStdin: false,
    StdinOnce: false,
    HostConfig: {
      Binds: binds,
      PortBindings: bindings,
      AutoRemove: spec.autoRemove ?? false,
      ...(restart ? { RestartPolicy: { Name: restart.name, MaximumRetryCount: restart.maximumRetryCount } } : {}),
      ...(spec.network ? { NetworkMode: spec.network } : {}),
    },
  }
  if (spec.name !== undefined) options.name = spec.name
  if (spec.command !== undefined && spec.command.length > 0) options.Cmd = spec.command
  if (spec.entrypoint !== undefined && spec.entrypoint.length > 0) options.Entrypoint = spec.entrypoint
  if (spec.workingDir !== undefined) options.WorkingDir = spec.workingDir
  if (spec.user !== undefined) options.User = spec.user
  return options
}

interface EngineError {
  statusCode?: number
  json?: { message?: string } | null
  message?: string
}

async function imageMissing(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect()
    return false
  } catch (err) {
    if ((err as EngineError).statusCode === 404) return true
    throw err
  }
}

export async function createContainer(docker: Docker, spec: RunSpec): Promise<{ id: string; name: string }> {
  if (await imageMissing(docker, spec.image)) {
    const parsed = parseImageReference(spec.image)
    const shown = parsed.ok ? parsed.ref.familiar : spec.image
    throw new BerthError('NOT_FOUND', `image ${shown} is not on this host: pull it first (docker pull ${shown})`)
  }
  try {
    const container = await docker.createContainer(createOptions(spec))
    const info = await container.inspect()
    return { id: info.Id, name: info.Name.replace(/^\//, '') }
  } catch (err) {
    const e = err as EngineError
    if (e.statusCode === 409 && spec.name !== undefined) {
      throw new BerthError('CONFLICT', `the name ${spec.name} is already in use by another container: pick another name or remove that one`, {
        engineMessage: engineMessage(e),
      })
    }
    if (e.statusCode === 404) {
      // the image was there a moment ago, so what is missing is the network or a volume's driver
      throw new BerthError('NOT_FOUND', engineMessage(e))
    }
    throw err
  }
}

/** create + start; a container that cannot start is left created, as `docker run` leaves it. */
export async function runContainer(docker: Docker, spec: RunSpec): Promise<{ id: string; name: string }> {
  const made = await createContainer(docker, spec)
  try {
    await docker.getContainer(made.id).start()
  } catch (err) {
    throw new BerthError('INTERNAL', `container ${made.name} was created but did not start: ${engineMessage(err as EngineError)}`, {
      id: made.id,
    })
  }
  return made
}
