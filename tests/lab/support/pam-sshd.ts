/**
 * A second sshd on lab host h1 that logs in through PAM, with a PAM service of the test's own:
 * sshd names its PAM service after the program, so it runs through a link with that name.
 * Used by the keyboard-interactive and two-factor tests.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import type { LabHost } from './lab'

export interface PamSshd {
  /** Where its config, log and any files of the test live. */
  dir: string
  log(): string
  stop(): void
}

const listening = (address: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, address)
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false))
    socket.setTimeout(1000, () => resolve(false))
    socket.once('data', () => socket.destroy())
  })

/**
 * Starts it on `port` with the PAM `auth` lines given and extra sshd_config lines; the
 * caller's `prepare(dir)` writes files the PAM lines name before sshd starts.
 */
export async function startPamSshd(
  host: LabHost,
  options: { port: number; service: string; auth: string[]; config: string[]; prepare?: (dir: string) => void },
): Promise<PamSshd> {
  const { port, service } = options
  const dir = `/run/berth-lab/${host.name}/${service}`
  const pamFile = `/etc/pam.d/${service}`
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  symlinkSync('/usr/sbin/sshd', `${dir}/${service}`)
  options.prepare?.(dir)
  writeFileSync(pamFile, [...options.auth, 'account required pam_unix.so', 'session required pam_unix.so'].join('\n') + '\n')
  writeFileSync(
    `${dir}/sshd_config`,
    [
      `Port ${port}`,
      `ListenAddress ${host.address}`,
      `HostKey /run/berth-lab/${host.name}/ssh_host_ed25519_key`,
      `PidFile ${dir}/sshd.pid`,
      'PermitUserEnvironment PATH',
      'KbdInteractiveAuthentication yes',
      'PasswordAuthentication no',
      'UsePAM yes',
      `SetEnv DOCKER_HOST=${host.dockerHost}`,
      'PrintMotd no',
      'PrintLastLog no',
      ...options.config,
    ].join('\n') + '\n',
  )
  // nsenter --net like the lab's own sshd: `ip netns exec` would remount /sys
  execFileSync('nsenter', [`--net=/run/netns/${host.netns}`, `${dir}/${service}`, '-f', `${dir}/sshd_config`, '-E', `${dir}/sshd.log`])
  const log = () => readFileSync(`${dir}/sshd.log`, 'utf8')
  for (const deadline = Date.now() + 10_000; !(await listening(host.address, port)); ) {
    if (Date.now() > deadline) throw new Error(`the PAM sshd did not listen: ${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    dir,
    log,
    stop: () => {
      spawnSync('sh', ['-c', `kill "$(cat ${dir}/sshd.pid)"`])
      rmSync(pamFile, { force: true })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
