/** The agent's readings of the engine's container answers, and the signal rule, without an engine. */
import { describe, expect, it } from 'vitest'
import { refusalMessage } from '../../agent/containers/actions'
import { engineTime, portsFromBindings } from '../../agent/containers/inspect'
import { healthFromStatus, portsOf } from '../../agent/containers/list'
import { containerMethods, normalizeSignal } from '../../protocol/schema'

describe('signals, as docker kill -s reads them', () => {
  it('takes names with or without SIG in any case, and numbers 1 to 64', () => {
    expect(normalizeSignal('SIGTERM')).toBe('SIGTERM')
    expect(normalizeSignal('hup')).toBe('SIGHUP')
    expect(normalizeSignal('KILL')).toBe('SIGKILL')
    expect(normalizeSignal('SIGRTMIN+3')).toBe('SIGRTMIN+3')
    expect(normalizeSignal('9')).toBe('9')
    expect(normalizeSignal('64')).toBe('64')
  })

  it('refuses anything else', () => {
    for (const bad of ['0', '65', 'SIGNOPE', 'TERM;rm', '', '-1', 'SIGRTMIN+16']) expect(normalizeSignal(bad), bad).toBeNull()
    const parsed = containerMethods['containers.kill'].params.safeParse({ id: 'web', signal: 'BOGUS' })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toBe('a signal is a name like SIGTERM, SIGHUP or KILL, or a number from 1 to 64')
  })
})

describe('container names, with the engine\'s rule', () => {
  const rename = (name: string) => containerMethods['containers.rename'].params.safeParse({ id: 'web', name }).success
  it('accepts what docker accepts and refuses the rest', () => {
    expect(rename('web-2')).toBe(true)
    expect(rename('a.b_c')).toBe(true)
    for (const bad of ['-web', '_web', 'w', 'we b', 'web/1', '']) expect(rename(bad), bad).toBe(false)
  })
})

describe('the list API\'s Status and Ports', () => {
  it('reads health from Status', () => {
    expect(healthFromStatus('Up 3 minutes (healthy)')).toBe('healthy')
    expect(healthFromStatus('Up 3 minutes (unhealthy)')).toBe('unhealthy')
    expect(healthFromStatus('Up 2 seconds (health: starting)')).toBe('starting')
    expect(healthFromStatus('Up 3 minutes (Paused)')).toBeNull()
  })

  it('prints ports as docker ps does, IPv6 bracketed', () => {
    expect(
      portsOf([
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { PrivatePort: 53, Type: 'udp' } as never,
      ]),
    ).toEqual(['0.0.0.0:8080->80/tcp', '[::]:8080->80/tcp', '53/udp'])
    expect(portsFromBindings({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '443/tcp': null }, { '443/tcp': {} })).toEqual([
      '443/tcp',
      '127.0.0.1:8080->80/tcp',
    ])
  })

  it('turns the engine\'s zero time into null', () => {
    expect(engineTime('0001-01-01T00:00:00Z')).toBeNull()
    expect(engineTime('2026-11-27T10:00:00.5Z')).toBe('2026-11-27T10:00:00.5Z')
  })
})

describe('refusals in words', () => {
  it('names the container and the way out, only when the state explains the refusal', () => {
    expect(refusalMessage('pause', 'web', 'exited')).toBe('container web is not running (it is exited): only a running container can be paused')
    expect(refusalMessage('remove', 'web', 'running')).toBe('container web is running: stop it first, or remove it with force (docker rm -f)')
    expect(refusalMessage('remove', 'web', 'exited')).toBeNull()
    expect(refusalMessage('unpause', 'web', 'paused')).toBeNull()
  })
})
