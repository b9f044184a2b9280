/** What containers.inspect answers: a readable summary of `docker inspect`, plus the raw JSON. */
import * as z from 'zod'

/** Engine times are ISO strings; the engine's zero time ("0001-01-01T00:00:00Z") becomes null. */
const time = z.string().nullable()

export const containerMountSchema = z.object({
  /** bind, volume, tmpfs, ... */
  type: z.string(),
  /** The volume's name, for volumes. */
  name: z.string().optional(),
  source: z.string(),
  destination: z.string(),
  readOnly: z.boolean(),
})

export const containerNetworkSchema = z.object({
  name: z.string(),
  ipAddress: z.string(),
  ipv6Address: z.string(),
  gateway: z.string(),
  macAddress: z.string(),
})

export const healthLogEntrySchema = z.object({
  start: time,
  end: time,
  exitCode: z.number().int(),
  output: z.string(),
})

export const containerDetailsSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The image as the container was created from it (a name:tag or an id). */
  image: z.string(),
  imageId: z.string(),
  command: z.array(z.string()),
  entrypoint: z.array(z.string()),
  created: time,
  state: z.object({
    status: z.string(),
    exitCode: z.number().int(),
    /** The engine's error for a container that failed to start, or "". */
    error: z.string(),
    oomKilled: z.boolean(),
    pid: z.number().int(),
    startedAt: time,
    finishedAt: time,
  }),
  restartPolicy: z.object({ name: z.string(), maximumRetryCount: z.number().int() }),
  restartCount: z.number().int(),
  /** Null when the container has no health check. */
  health: z
    .object({
      status: z.string(),
      failingStreak: z.number().int(),
      /** The last few checks, oldest first. */
      log: z.array(healthLogEntrySchema),
    })
    .nullable(),
  mounts: z.array(containerMountSchema),
  networks: z.array(containerNetworkSchema),
  /** As `docker ps` shows them: "0.0.0.0:8080->80/tcp", or "80/tcp" when only exposed. */
  ports: z.array(z.string()),
  /** KEY=value, as in `docker inspect`. */
  env: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  /** `docker inspect`'s own JSON for this container. */
  raw: z.record(z.string(), z.unknown()),
})
export type ContainerDetails = z.infer<typeof containerDetailsSchema>
export type ContainerMount = z.infer<typeof containerMountSchema>
export type ContainerNetwork = z.infer<typeof containerNetworkSchema>
