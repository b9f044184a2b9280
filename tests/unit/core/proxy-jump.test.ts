import { describe, expect, it } from 'vitest'
import { parseProxyJump } from '../../../main/core/ssh/proxy-jump'

const target = { address: 'pi.lan', port: 22, user: 'pi', identityFile: '/k/id' }
const none = () => undefined

describe('ProxyJump', () => {
  it('reads hops as ssh does, inheriting the target user and key', () => {
    expect(parseProxyJump('bastion.example.com', target, none)).toEqual([{ address: 'bastion.example.com', port: 22, user: 'pi', identityFile: '/k/id' }])
    expect(parseProxyJump('ops@jump1:2222, jump2', target, none)).toEqual([
      { address: 'jump1', port: 2222, user: 'ops', identityFile: '/k/id' },
      { address: 'jump2', port: 22, user: 'pi', identityFile: '/k/id' },
    ])
    expect(parseProxyJump('[fd00::1]:2200', target, none)).toEqual([{ address: 'fd00::1', port: 2200, user: 'pi', identityFile: '/k/id' }])
  })

  it('uses a saved host by name with its own settings', () => {
    const saved = (name: string) => (name === 'bastion' ? { address: '10.0.0.1', port: 2022, user: 'ops', identityFile: '/k/ops' } : undefined)
    expect(parseProxyJump('bastion', target, saved)).toEqual([{ address: '10.0.0.1', port: 2022, user: 'ops', identityFile: '/k/ops', jumps: [] }])
  })

  it('treats empty and none as no jump, and names a bad hop', () => {
    expect(parseProxyJump('  ', target, none)).toEqual([])
    expect(parseProxyJump('none', target, none)).toEqual([])
    expect(() => parseProxyJump('a b', target, none)).toThrow('ProxyJump hop "a b" is not [user@]host[:port]')
    expect(() => parseProxyJump('host:99999', target, none)).toThrow('a port is 1 to 65535')
  })
})
