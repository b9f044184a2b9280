import { describe, expect, it } from 'vitest'
import { imageRefProblem, parseImageReference, type ImageReference } from '../../protocol/image-reference'
import { imageMethods } from '../../protocol/methods/images'

const hex64 = 'a'.repeat(64)
const digest = `sha256:${'0123456789abcdef'.repeat(4)}`

function ok(input: string): ImageReference {
  const parsed = parseImageReference(input)
  if (!parsed.ok) throw new Error(`expected ${input} to parse, got: ${parsed.message}`)
  return parsed.ref
}

function problem(input: string): string {
  const parsed = parseImageReference(input)
  if (parsed.ok) throw new Error(`expected ${input} to be refused, got ${parsed.ref.full}`)
  return parsed.message
}

describe('parseImageReference: valid references, normalized as docker does', () => {
  it('adds docker.io/library/ and an implicit :latest to a bare name', () => {
    expect(ok('ubuntu')).toEqual({
      domain: 'docker.io',
      path: 'library/ubuntu',
      tag: 'latest',
      implicitLatest: true,
      familiarName: 'ubuntu',
      fullName: 'docker.io/library/ubuntu',
      familiar: 'ubuntu:latest',
      full: 'docker.io/library/ubuntu:latest',
    })
  })

  it('keeps an explicit tag and says latest was not assumed', () => {
    expect(ok('ubuntu:latest')).toMatchObject({ tag: 'latest', implicitLatest: false })
    expect(ok('ubuntu:24.04')).toMatchObject({ tag: '24.04', implicitLatest: false, full: 'docker.io/library/ubuntu:24.04' })
  })

  it('reads a registry with a port, and keeps it in the familiar form', () => {
    expect(ok('10.77.0.1:5000/lab/busybox:1')).toMatchObject({
      domain: '10.77.0.1:5000',
      path: 'lab/busybox',
      tag: '1',
      familiarName: '10.77.0.1:5000/lab/busybox',
      full: '10.77.0.1:5000/lab/busybox:1',
      familiar: '10.77.0.1:5000/lab/busybox:1',
    })
  })

  it('treats a first component as a registry only with a dot, a port or localhost', () => {
    expect(ok('lab/busybox')).toMatchObject({ domain: 'docker.io', path: 'lab/busybox', familiarName: 'lab/busybox' })
    expect(ok('localhost/app')).toMatchObject({ domain: 'localhost', path: 'app' })
    expect(ok('localhost:5000/app:v2')).toMatchObject({ domain: 'localhost:5000', path: 'app', tag: 'v2' })
    expect(ok('ghcr.io/owner/repo/sub')).toMatchObject({ domain: 'ghcr.io', path: 'owner/repo/sub' })
    expect(ok('[::1]:5000/app')).toMatchObject({ domain: '[::1]:5000', path: 'app' })
  })

  it('reads "localhost:5000" with no slash as the repository localhost, tag 5000 (as docker does)', () => {
    expect(ok('localhost:5000')).toMatchObject({ domain: 'docker.io', path: 'library/localhost', tag: '5000' })
  })

  it('folds index.docker.io and explicit docker.io/library into the familiar name', () => {
    expect(ok('index.docker.io/ubuntu')).toMatchObject({ domain: 'docker.io', familiarName: 'ubuntu' })
    expect(ok('docker.io/library/ubuntu:22.04')).toMatchObject({ familiar: 'ubuntu:22.04' })
    expect(ok('docker.io/grafana/grafana')).toMatchObject({ path: 'grafana/grafana', familiarName: 'grafana/grafana' })
  })

  it('pins by digest without assuming latest', () => {
    const ref = ok(`busybox@${digest}`)
    expect(ref).toMatchObject({ digest, implicitLatest: false, familiar: `busybox@${digest}`, full: `docker.io/library/busybox@${digest}` })
    expect(ref.tag).toBeUndefined()
  })

  it('keeps both tag and digest (name:tag@digest)', () => {
    expect(ok(`10.77.0.1:5000/lab/busybox:1@${digest}`)).toMatchObject({ tag: '1', digest, full: `10.77.0.1:5000/lab/busybox:1@${digest}` })
  })

  it('accepts the separators the grammar allows inside path components', () => {
    for (const name of ['a.b', 'a_b', 'a__b', 'a-b', 'a---b', 'a1/b2.c_d__e-f']) expect(ok(name).tag).toBe('latest')
  })

  it('accepts tags up to 128 characters of letters, digits, _ . -', () => {
    expect(ok(`app:${'v'.repeat(128)}`).tag).toHaveLength(128)
    expect(ok('app:V1.2_rc-3').tag).toBe('V1.2_rc-3')
    expect(ok('app:_x').tag).toBe('_x')
  })

  it('accepts a name of exactly 255 characters with its registry', () => {
    const path = 'a'.repeat(255 - 'registry.io/'.length)
    expect(ok(`registry.io/${path}`).fullName).toHaveLength(255)
  })
})

describe('parseImageReference: invalid references name the problem', () => {
  it('refuses an empty reference', () => {
    expect(problem('')).toMatch(/required/)
  })

  it('refuses uppercase repository names', () => {
    expect(problem('UPPER/case')).toBe('repository names must be lowercase: "UPPER/case"')
    expect(problem('Ubuntu')).toBe('repository names must be lowercase: "Ubuntu"')
    expect(problem('registry.io/Team/app')).toMatch(/must be lowercase: "Team\/app"/)
  })

  it('allows uppercase in the registry host and the tag', () => {
    expect(ok('Registry.Example.com/app:Tag').domain).toBe('Registry.Example.com')
  })

  it('refuses a second colon (a:b:c)', () => {
    expect(problem('a:b:c')).toBe('only one ":tag" may follow the repository name (found ":b:c")')
  })

  it('refuses names over 255 characters', () => {
    const message = problem(`registry.io/${'a'.repeat(250)}`)
    expect(message).toMatch(/at most 255 characters/)
    expect(message).toMatch(/has 262/)
    // the implicit docker.io/library/ counts, as in the engine
    expect(problem('a'.repeat(240))).toMatch(/has 258/)
  })

  it('refuses tags over 128 characters or with invalid characters', () => {
    expect(problem(`app:${'v'.repeat(129)}`)).toBe('a tag is at most 128 characters, this one has 129')
    expect(problem('app:.hidden')).toMatch(/tag "\.hidden" is invalid/)
    expect(problem('app:-x')).toMatch(/cannot start with \. or -/)
    expect(problem('app:v+1')).toMatch(/tag "v\+1" is invalid/)
    expect(problem('app:')).toBe('the tag after ":" is empty')
  })

  it('refuses bad digests, saying what is wrong', () => {
    expect(problem('app@')).toBe('the digest after "@" is empty')
    expect(problem('app@sha256:abc')).toBe('a sha256 digest has 64 hex digits, this one has 3')
    expect(problem(`app@sha256:${'A'.repeat(64)}`)).toMatch(/lowercase hex/)
    expect(problem(`app@md5:${hex64}`)).toMatch(/algorithm "md5" is not supported/)
    expect(problem('app@nonsense')).toMatch(/not algorithm:hex/)
    expect(problem(`app@sha256:${hex64}@sha256:${hex64}`)).toMatch(/not algorithm:hex/)
  })

  it('refuses bad path components and empty ones', () => {
    expect(problem('a//b')).toMatch(/empty path component/)
    expect(problem('lab/')).toMatch(/empty path component/)
    expect(problem('-app')).toMatch(/component "-app" is invalid/)
    expect(problem('a..b')).toMatch(/component "a\.\.b" is invalid/)
    expect(problem('a___b')).toMatch(/component "a___b" is invalid/)
    expect(problem('app.')).toMatch(/component "app\." is invalid/)
    expect(problem('my app')).toMatch(/no spaces/)
    expect(problem(' ubuntu')).toMatch(/leading or trailing spaces/)
  })

  it('refuses a missing name before the tag or digest', () => {
    expect(problem(':latest')).toMatch(/repository name is required/)
    expect(problem(`@${digest}`)).toMatch(/repository name is required/)
  })

  it('refuses bad registry addresses', () => {
    expect(problem('reg-.io/app')).toMatch(/registry address "reg-\.io"/)
    expect(problem('registry.io:port/app')).toMatch(/port "port"/)
    expect(problem('a.b:/app')).toMatch(/port ""/)
  })

  it('refuses a full image ID as a repository name', () => {
    expect(problem(hex64)).toMatch(/image ID, not a repository name/)
  })
})

describe('image methods refuse bad references in their params', () => {
  it('images.pull names the problem and keeps good references as given', () => {
    const bad = imageMethods['images.pull'].params.safeParse({ pullId: 'p1', reference: 'UPPER/case' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toBe('repository names must be lowercase: "UPPER/case"')
    const good = imageMethods['images.pull'].params.parse({ pullId: 'p1', reference: 'ubuntu' })
    expect(good.reference).toBe('ubuntu')
  })

  it('images.tag refuses a digest as the new tag; images.inspect takes an image ID too', () => {
    const tag = imageMethods['images.tag'].params.safeParse({ image: 'lab/busybox:1', target: `app@${digest}` })
    expect(tag.error?.issues[0]?.message).toMatch(/cannot contain a digest/)
    expect(imageMethods['images.inspect'].params.safeParse({ image: hex64 }).success).toBe(true)
    expect(imageMethods['images.inspect'].params.safeParse({ image: `sha256:${hex64}` }).success).toBe(true)
    expect(imageMethods['images.inspect'].params.safeParse({ image: 'a:b:c' }).success).toBe(false)
    expect(imageRefProblem('d5e8487d1900')).toBeUndefined()
  })
})
