/** Known-good params of methods and payloads of events, for the fuzz tests to change a little. */

export const METHOD_EXAMPLES: Record<string, Record<string, unknown>[]> = {
  'agent.ping': [{}],
  'engine.info': [{}],
  'events.subscribe': [{}],
  'containers.list': [{}],
  'containers.inspect': [{ id: 'web' }],
  'containers.start': [{ id: 'web' }],
  'containers.remove': [{ id: 'web', force: true }],
  'logs.read': [{ id: 'web' }],
  'logs.follow': [{ id: 'web' }],
  'logs.unfollow': [{ followId: 'f' }],
  'images.list': [{}],
  'images.pull': [{ pullId: 'p', reference: 'alpine:3' }],
  'stats.subscribe': [{}, { intervalMs: 1000 }],
  'stats.unsubscribe': [{}],
  'session.open': [{ kind: 'exec', container: 'web', cols: 80, rows: 24 }, { kind: 'host', cols: 80, rows: 24 }],
  'session.resume': [{ sessionId: '00000000-0000-0000-0000-000000000000', fromOffset: 0 }],
  'session.input': [{ sessionId: '00000000-0000-0000-0000-000000000000', data: 'ls\n' }],
  'session.list': [{}],
  'transfer.load': [{ streamId: 2 }],
  'transfer.save': [{ images: ['alpine:3'] }],
  // main's own methods (hostId is added where the method takes one)
  'hosts.list': [{}],
  'hosts.add': [{ name: 'fuzz', address: 'fuzz.invalid', user: 'me' }],
  'hosts.update': [{ host: { name: 'fuzz2', address: 'fuzz.invalid', user: 'me' } }],
  'hosts.connect': [{}],
  'hosts.disconnect': [{}],
  'hosts.reorder': [{ hostIds: [] }],
  'terminals.open': [{ spec: { kind: 'host', cols: 80, rows: 24 } }],
  'terminals.list': [{}],
  'terminals.input': [{ terminalId: '00000000-0000-0000-0000-000000000000', data: 'ls\n' }],
  'terminals.ack': [{ terminalId: '00000000-0000-0000-0000-000000000000', bytes: 1024 }],
  'registries.list': [{}],
  'registries.login': [{ domain: 'registry.invalid', username: 'me', password: 'pw' }],
  'images.push': [{ pushId: 'push-1', reference: 'registry.invalid/me/app:1' }],
  'images.build': [{ buildId: 'build-1', context: 'context', tags: ['app:1'] }],
}

const session = { sessionId: '00000000-0000-0000-0000-000000000000', kind: 'host', title: 't', command: [], tty: true, state: 'exited', outputBytes: 0 }
/** Payloads close to what each event carries, so that many get past the schema and into the relay. */
export const EVENT_EXAMPLES: Record<string, Record<string, unknown>[]> = {
  'container.stateChanged': [{ id: 'web', action: 'start', container: null }],
  'engine.objectChanged': [{ kind: 'image', action: 'pull', id: 'sha256:1' }],
  'engine.stateChanged': [{ available: false }, { available: true }],
  'logs.lines': [{ followId: 'f', lines: [{ stream: 'stdout', text: 'x' }] }],
  'logs.ended': [{ followId: 'f', reason: 'stopped' }],
  'image.pullProgress': [{ pullId: 'pull-1', layers: [], done: false }],
  'stats.sample': [{ at: 1, intervalMs: 1000, containers: [], totals: {} }],
  'session.ended': [session],
  'transfer.buildOutput': [{ streamId: 2, text: 'step 1' }],
}
