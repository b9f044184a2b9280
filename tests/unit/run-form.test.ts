import { describe, expect, it } from 'vitest'
import { commitCommandLine, emptyCommitForm, validateCommitForm } from '../../renderer/src/features/containers/commit-form'
import { emptyRunForm, imageNote, runCommandLine, validateRunForm, type RunFormModel } from '../../renderer/src/features/containers/run-form'
import { splitWords } from '../../renderer/src/features/containers/shell-words'

const full = (): RunFormModel => ({
  ...emptyRunForm(),
  image: 'lab/busybox:1',
  name: 'web-1',
  command: `sh -c 'echo "hi there"; sleep 100'`,
  entrypoint: '/bin/env',
  env: 'GREETING=hello world\nEMPTY=\n',
  ports: '127.0.0.1:8080:80\n53:53/udp',
  volumes: 'data:/data\n/srv/site:/site:ro',
  network: 'none',
  restart: 'on-failure',
  maxRetries: '3',
  labels: 'tier=web',
  interactive: true,
  tty: true,
  workingDir: '/data',
  user: '1000:1000',
})

describe('the run form', () => {
  it('builds the spec and the docker run line, quoted for sh', () => {
    const { spec, errors } = validateRunForm(full())
    expect(errors).toEqual({})
    expect(spec).toEqual({
      image: 'lab/busybox:1',
      name: 'web-1',
      command: ['sh', '-c', 'echo "hi there"; sleep 100'],
      entrypoint: ['/bin/env'],
      env: ['GREETING=hello world', 'EMPTY='],
      ports: ['127.0.0.1:8080:80', '53:53/udp'],
      volumes: ['data:/data', '/srv/site:/site:ro'],
      network: 'none',
      restart: 'on-failure:3',
      labels: ['tier=web'],
      interactive: true,
      tty: true,
      workingDir: '/data',
      user: '1000:1000',
    })
    expect(runCommandLine(full(), 'run')).toBe(
      `docker run -d -i -t --name web-1 -e 'GREETING=hello world' -e EMPTY= -p 127.0.0.1:8080:80 -p 53:53/udp ` +
        `-v data:/data -v /srv/site:/site:ro --network none --restart on-failure:3 -l tier=web -w /data -u 1000:1000 ` +
        `--entrypoint /bin/env lab/busybox:1 sh -c 'echo "hi there"; sleep 100'`,
    )
    expect(runCommandLine({ ...emptyRunForm(), image: 'x' }, 'create')).toBe('docker create x')
    // the line is what sh would split back into the same words
    expect(splitWords(runCommandLine(full(), 'run'))).toMatchObject({ ok: true, words: expect.arrayContaining(['sh', '-c', 'echo "hi there"; sleep 100']) })
  })

  it.each([
    [{ ports: '99999:80' }, 'ports', 'host port 99999 in "99999:80" is out of range (1-65535)'],
    [{ ports: 'abc' }, 'ports', 'container port "abc" in "abc" is not a number'],
    [{ env: 'A=1\nNOEQ' }, 'env', 'environment line 2 "NOEQ" has no "=": write KEY=value'],
    [{ name: 'my web' }, 'name', 'a container name starts with a letter or digit and has only letters, digits, _ . and -'],
    [{ volumes: 'data:data' }, 'volumes', 'the destination "data" in "data:data" must be an absolute path inside the container'],
    [{ image: '' }, 'image', 'an image reference is required (e.g. ubuntu:24.04)'],
    [{ command: `sh -c 'oops` }, 'command', 'command: a single quote is not closed'],
    [{ maxRetries: 'x' }, 'maxRetries', 'the retry count in "on-failure:x" is not a whole number'],
    [{ workingDir: 'rel' }, 'workingDir', 'the working directory must be an absolute path inside the container'],
  ] as const)('refuses %o naming the problem', (change, field, message) => {
    const { spec, errors } = validateRunForm({ ...full(), ...change })
    expect(spec).toBeNull()
    expect(errors[field]).toBe(message)
  })

  it('notes that an untagged image means the tag latest, which is just a tag', () => {
    expect(imageNote('nginx')).toMatch(/"latest", which is just a tag, not necessarily the newest/)
    expect(imageNote('nginx:1.27')).toBeNull()
  })
})

describe('the commit form', () => {
  it('validates each change line and builds docker commit', () => {
    const m = { ...emptyCommitForm(), repository: 'me/app', tag: 'v2', author: 'Me <me@x.io>', message: 'fix', changes: 'CMD ["sh"]\nENV A=b' }
    expect(validateCommitForm('abc', m)).toEqual({
      params: { id: 'abc', repository: 'me/app', tag: 'v2', author: 'Me <me@x.io>', message: 'fix', changes: ['CMD ["sh"]', 'ENV A=b'] },
      errors: {},
    })
    expect(commitCommandLine('web', m)).toBe(`docker commit -a 'Me <me@x.io>' -m fix -c 'CMD ["sh"]' -c 'ENV A=b' web me/app:v2`)
    expect(validateCommitForm('abc', { ...m, changes: 'ENV A=b\nRUN ls' }).errors.changes).toMatch(/^change 2 "RUN ls": RUN is not one of CMD/)
    expect(validateCommitForm('abc', { ...m, changes: 'CMD [sh]' }).errors.changes).toMatch(/not valid JSON/)
    expect(validateCommitForm('abc', { ...m, repository: 'Me/App' }).errors.repository).toMatch(/must be lowercase/)
    expect(validateCommitForm('abc', { ...m, repository: '' }).errors.repository).toMatch(/repository name is required/)
  })
})
