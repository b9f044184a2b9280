// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { splitInput } from '../../renderer/src/features/terminals/input-sender'
import { fromTerminal, shortcutOf } from '../../renderer/src/features/terminals/keys'
import { paneNode, panesOf, removePane, splitPane } from '../../renderer/src/features/terminals/layout'
import { emptyOpenForm, openCommandLine, validateOpenForm } from '../../renderer/src/features/terminals/open-form'
import { attachExplanation, detachKeysLabel, paneTitle, stateLabel } from '../../renderer/src/features/terminals/wording'

describe('split layout', () => {
  it('splits beside, nests across directions, and collapses when a pane goes', () => {
    let root = splitPane(paneNode('a'), 'a', 'b', 'row')
    root = splitPane(root, 'a', 'c', 'row') // same direction: a sibling, not a nest
    expect(root).toEqual({ type: 'split', direction: 'row', children: [paneNode('a'), paneNode('c'), paneNode('b')] })
    root = splitPane(root, 'c', 'd', 'column')
    expect(panesOf(root)).toEqual(['a', 'c', 'd', 'b'])
    expect(root.type === 'split' && root.children[1]).toEqual({ type: 'split', direction: 'column', children: [paneNode('c'), paneNode('d')] })
    root = removePane(root, 'd')!
    expect(root).toEqual({ type: 'split', direction: 'row', children: [paneNode('a'), paneNode('c'), paneNode('b')] })
    expect(removePane(removePane(removePane(root, 'a')!, 'b')!, 'c')).toBeNull()
  })
})

describe('input pieces', () => {
  it('cuts at the limit but never between the halves of a surrogate pair', () => {
    expect(splitInput('abcdef', 4)).toEqual(['abcd', 'ef'])
    expect(splitInput('abc😀d', 4)).toEqual(['abc', '😀d'])
    expect(splitInput('', 4)).toEqual([])
  })
})

describe('terminal keys', () => {
  const key = (k: Partial<KeyboardEvent>) => shortcutOf({ type: 'keydown', key: '', code: '', ctrlKey: true, shiftKey: false, altKey: false, metaKey: false, ...k })
  it('keeps copy, paste and search on Ctrl+Shift, zoom on Ctrl with = - 0, and leaves Ctrl+C to the program', () => {
    expect(key({ shiftKey: true, code: 'KeyC', key: 'C' })).toBe('copy')
    expect(key({ shiftKey: true, code: 'KeyV', key: 'V' })).toBe('paste')
    expect(key({ shiftKey: true, code: 'KeyF', key: 'F' })).toBe('search')
    expect(key({ key: '=' })).toBe('zoomIn')
    expect(key({ shiftKey: true, key: '+', code: 'Equal' })).toBe('zoomIn')
    expect(key({ key: '-' })).toBe('zoomOut')
    expect(key({ key: '0' })).toBe('zoomReset')
    expect(key({ key: 'c', code: 'KeyC' })).toBeNull()
    expect(key({ key: 'd', code: 'KeyD' })).toBeNull()
    expect(key({ type: 'keyup', key: '=' })).toBeNull()
  })

  it('knows a key event from inside a terminal', () => {
    document.body.innerHTML = '<div class="xterm"><textarea id="in"></textarea></div><input id="out" />'
    const event = (id: string) => {
      const e = new KeyboardEvent('keydown')
      Object.defineProperty(e, 'target', { value: document.getElementById(id) })
      return e
    }
    expect(fromTerminal(event('in'))).toBe(true)
    expect(fromTerminal(event('out'))).toBe(false)
  })
})

describe('the exec and attach forms', () => {
  it('builds the spec and the docker exec line, the shell when no command is given', () => {
    const m = { ...emptyOpenForm(), command: `sh -c 'echo "hi"'`, user: 'root', workdir: '/tmp', env: 'A=1\n\nB=two words' }
    expect(validateOpenForm('web', 'exec', m)).toEqual({
      spec: { kind: 'exec', container: 'web', command: ['sh', '-c', 'echo "hi"'], user: 'root', workdir: '/tmp', env: ['A=1', 'B=two words'] },
      errors: {},
    })
    expect(openCommandLine('web', 'exec', m)).toBe(`docker exec -it -u root -w /tmp -e A=1 -e 'B=two words' web sh -c 'echo "hi"'`)
    expect(openCommandLine('web', 'exec', emptyOpenForm())).toBe('docker exec -it web sh')
    expect(validateOpenForm('web', 'exec', emptyOpenForm()).spec).toEqual({ kind: 'exec', container: 'web' })
  })

  it.each([
    ['workdir', 'tmp', 'the working directory is an absolute path'],
    ['user', 'a b', 'a user is a name or uid, optionally :group'],
    ['env', 'NOEQUALS', 'environment line 1 "NOEQUALS" has no "=": write KEY=value'],
    ['command', `echo 'unterminated`, 'command: '],
  ] as const)('refuses a bad %s with the schema message', (field, value, message) => {
    const result = validateOpenForm('web', 'exec', { ...emptyOpenForm(), [field]: value })
    expect(result.spec).toBeNull()
    expect(result.errors[field]).toContain(message)
  })

  it('takes detach keys in docker notation, refusing others', () => {
    const ok = validateOpenForm('web', 'attach', { ...emptyOpenForm(), detachKeys: 'ctrl-a,d' })
    expect(ok.spec).toEqual({ kind: 'attach', container: 'web', detachKeys: 'ctrl-a,d' })
    expect(openCommandLine('web', 'attach', { ...emptyOpenForm(), detachKeys: 'ctrl-a,d' })).toBe('docker attach --detach-keys=ctrl-a,d web')
    expect(openCommandLine('web', 'attach', emptyOpenForm())).toBe('docker attach web')
    const bad = validateOpenForm('web', 'attach', { ...emptyOpenForm(), detachKeys: 'control-p' })
    expect(bad.spec).toBeNull()
    expect(bad.errors.detachKeys).toContain('detach keys are comma-separated keys such as ctrl-p,ctrl-q')
  })
})

describe('wording', () => {
  it('shows the detach keys as a keyboard does, in the attach explanation', () => {
    expect(detachKeysLabel(undefined)).toBe('Ctrl-P Ctrl-Q')
    expect(detachKeysLabel('ctrl-a,d')).toBe('Ctrl-A d')
    expect(attachExplanation('ctrl-x,ctrl-y')).toBe(
      "Attached to the container's main process: exiting it (exit, Ctrl-D, Ctrl-C) stops the container. Detach with Ctrl-X Ctrl-Y to leave it running.",
    )
  })

  it('labels tabs by state and title with the host', () => {
    expect(stateLabel({ state: 'exited', exitCode: 3 })).toBe('exited 3')
    expect(stateLabel({ state: 'live' })).toBe('')
    expect(paneTitle({ spec: { kind: 'exec', container: 'web' }, info: { title: 'web: bash' } }, 'h1')).toBe('web: bash — h1')
    expect(paneTitle({ spec: { kind: 'host' } }, 'h2')).toBe('shell — h2')
  })
})
