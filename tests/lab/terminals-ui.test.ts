/**
 * Terminals in the window, in headless Chromium against the real browser shell, the real agent
 * and h1's engine: an exec shell in `web` computes what it is typed; copy and paste; closing a
 * tab hangs its shell up; `stty size` agrees with the screen after the window is resized; zoom
 * and search; Exec… with a user, directory and environment; an attach detaches with Ctrl-P
 * Ctrl-Q and leaves the container running (docker inspect says so); a host shell runs as the
 * lab user; a `yes` flood in one terminal leaves another typing normally and stops on Ctrl-C;
 * the run form's attached mode; a shell kept through a disconnect; and a window reload.
 * The screen is read from xterm's rows in the DOM, as a user sees it.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser'
import { docker, labHost, readLab } from './support/lab'
import { addHostInWindow, chooseInRowMenu } from './support/ui'
import { startWebApp, type WebApp } from './support/web-app'

const lab = readLab()
const h1 = labHost(lab, 'h1')
const ATTACHED = 'tui-attach'
const RUN_ATTACHED = 'tui-run'
const screenshots = join(import.meta.dirname, '../../out/screenshots')

let app: WebApp
let browser: Browser
let page: Page

/** The screen's rows as shown, trailing blanks dropped. */
async function lines(pane: Locator): Promise<string[]> {
  const rows = await pane.locator('.xterm-rows > div').allTextContents()
  return rows.map((r) => r.replace(/\u00a0/g, ' ').trimEnd())
}

async function typeIn(pane: Locator, text: string): Promise<void> {
  await pane.locator('.xterm-screen').click()
  await page.keyboard.type(text)
}

/** Waits until a row of the screen reads exactly `text` (output, not the echo of the command that printed it). */
async function seeLine(pane: Locator, text: string, timeout = 10_000): Promise<void> {
  await expect.poll(async () => (await lines(pane)).includes(text), { timeout }).toBe(true)
}

const selectedTab = () => page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab', { selected: true })
async function closeSelectedTab(): Promise<void> {
  await selectedTab().locator('xpath=..').getByRole('button', { name: /^Close tab / }).click()
}

/** The shell's own pid, as it prints it. */
async function shellPid(pane: Locator): Promise<string> {
  await typeIn(pane, 'echo pid-$$\n')
  const find = async () => (await lines(pane)).find((l) => /^pid-\d+$/.test(l))
  await expect.poll(find).toBeDefined()
  return (await find())!.slice(4)
}

const pane = (kind: string, nth = 0) => page.locator(`section[data-kind="${kind}"]`).nth(nth)

beforeAll(async () => {
  await docker(h1, 'rm', '-f', ATTACHED, RUN_ATTACHED).catch(() => {})
  // another file may have stopped the seeded web container (files run in any order)
  await docker(h1, 'start', 'web')
  app = await startWebApp({ DOCKER_HOST: 'unix:///run/berth-lab/none.sock' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] })
  await page.goto(app.url)
})

afterAll(async () => {
  // close every tab first: the agent keeps sessions past a dropped link, and this test's shells must go
  if (page) {
    for (let i = 0; i < 20 && (await page.getByRole('button', { name: /^Close tab / }).count()) > 0; i++) {
      await page.getByRole('button', { name: /^Close tab / }).first().click().catch(() => {})
    }
    // the closes go out as calls over the page's socket: give them time to arrive before the page goes
    await page.waitForTimeout(1000)
  }
  await browser?.close()
  await app?.stop()
  await docker(h1, 'rm', '-f', ATTACHED, RUN_ATTACHED).catch(() => {})
})

describe('terminals in the window', () => {
  it('connects h1', async () => {
    await addHostInWindow(page, { name: 'h1', address: h1.address, user: h1.user, identityFile: lab.identityFile })
    const prompt = page.getByRole('alertdialog')
    await expect.poll(() => prompt.textContent(), { timeout: 20_000 }).toContain(h1.hostKeyFingerprint)
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
    await expect.poll(() => page.locator('[data-host="h1"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected')
    await expect.poll(() => page.locator('tr[data-container="web"]').count(), { timeout: 15_000 }).toBe(1)
  })

  it('execs a shell in web and shows what it prints', async () => {
    await page.getByRole('button', { name: 'Exec shell in web', exact: true }).click()
    const exec = pane('exec')
    await expect.poll(() => exec.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    expect(await selectedTab().textContent()).toContain('h1')
    await typeIn(exec, 'echo berth-$((6*7))\n')
    await seeLine(exec, 'berth-42')
    await page.screenshot({ path: join(screenshots, 'terminal-exec.png') })
  })

  it('draws 256 colours, truecolor, and emoji two cells wide', async () => {
    const exec = pane('exec')
    await typeIn(exec, `printf '\\033[38;5;196mC256\\033[0m \\033[38;2;1;2;3mTRUE\\033[0m\\n'\n`)
    const color = (text: string) => exec.locator('.xterm-rows span', { hasText: new RegExp(`^${text}$`) }).evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).color)
    await expect.poll(() => color('C256').catch(() => '')).toBe('rgb(255, 0, 0)')
    expect(await color('TRUE')).toBe('rgb(1, 2, 3)')
    // the cursor goes 4 cells right of the start: Z lands right after two wide emoji
    await typeIn(exec, `printf '\\360\\237\\230\\200\\360\\237\\230\\200\\r\\033[4CZ\\n'\n`)
    await seeLine(exec, '😀😀Z')
  })

  it('copies a selection and pastes with Ctrl+Shift+V', async () => {
    const exec = pane('exec')
    // a double click selects the word, and a selection is copied, as in X terminals
    const row = (await lines(exec)).indexOf('berth-42')
    const box = (await exec.locator('.xterm-screen').boundingBox())!
    const rowHeight = box.height / Number(await exec.getAttribute('data-rows'))
    await page.mouse.dblclick(box.x + 12, box.y + rowHeight * (row + 0.5))
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('berth-42')
    await page.evaluate(`navigator.clipboard.writeText('echo pasted-$((9*9))')`)
    await exec.locator('.xterm-screen').click()
    await page.keyboard.press('Control+Shift+V')
    // the clipboard is read asynchronously: Enter once the pasted line is there, as a user would
    await expect.poll(async () => (await lines(exec)).some((l) => l.endsWith('# echo pasted-$((9*9))'))).toBe(true)
    await page.keyboard.press('Enter')
    await seeLine(exec, 'pasted-81')
  })

  it('hangs up a host shell when its tab is closed', async () => {
    await page.getByRole('button', { name: 'Shell on h1', exact: true }).click()
    const shell = pane('host')
    await expect.poll(() => shell.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    const pid = await shellPid(shell)
    // the lab's hosts are network namespaces only: their processes are in this machine's /proc
    expect(existsSync(`/proc/${pid}`)).toBe(true)
    await closeSelectedTab()
    expect(await pane('host').count()).toBe(0)
    await expect.poll(() => existsSync(`/proc/${pid}`), { timeout: 10_000 }).toBe(false)
  })

  // Known gap in the backend: the engine does not end an exec'd process when its stream is
  // closed, and session.close only destroys the stream, so the shell lingers in the container.
  // This fails today (hence .fails); drop `.fails` once closing an exec ends its process.
  it('hangs up an exec shell when its tab is closed', async () => {
    await page.getByRole('button', { name: 'Exec shell in web', exact: true }).click()
    const exec = pane('exec', 1)
    await expect.poll(() => exec.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    const pid = await shellPid(exec)
    expect(await docker(h1, 'exec', 'web', 'ls', `/proc/${pid}`)).toContain('status')
    await closeSelectedTab()
    expect(await pane('exec').count()).toBe(1)
    await expect.poll(() => docker(h1, 'exec', 'web', 'ls', `/proc/${pid}`).then(() => 'running', () => 'gone'), { timeout: 10_000 }).toBe('gone')
  })

  it('follows a window resize: stty size inside agrees with the screen', async () => {
    const exec = pane('exec')
    const before = Number(await exec.getAttribute('data-cols'))
    await page.setViewportSize({ width: 1000, height: 760 })
    await expect.poll(async () => Number(await exec.getAttribute('data-cols'))).toBeLessThan(before)
    // past the resize debounce, so the program has heard of the last size
    await page.waitForTimeout(400)
    const cols = await exec.getAttribute('data-cols')
    const rows = await exec.getAttribute('data-rows')
    await typeIn(exec, 'stty size\n')
    await seeLine(exec, `${rows} ${cols}`)
  })

  it('zooms the text with Ctrl+= and Ctrl+0, the pane fitting fewer columns when larger', async () => {
    const exec = pane('exec')
    const cols = Number(await exec.getAttribute('data-cols'))
    await exec.locator('.xterm-screen').click()
    await page.keyboard.press('Control+Equal')
    await page.keyboard.press('Control+Equal')
    await expect.poll(async () => Number(await exec.getAttribute('data-cols'))).toBeLessThan(cols)
    expect(await page.getByRole('button', { name: 'Reset text size' }).textContent()).toBe('15')
    await page.keyboard.press('Control+0')
    await expect.poll(async () => Number(await exec.getAttribute('data-cols'))).toBe(cols)
  })

  it('searches the scrollback with Ctrl+Shift+F', async () => {
    const exec = pane('exec')
    await exec.locator('.xterm-screen').click()
    await page.keyboard.press('Control+Shift+F')
    const search = exec.getByRole('search')
    await search.getByLabel('Search the scrollback').fill('berth-42')
    await search.getByRole('button', { name: 'Next match' }).click()
    expect(await search.getByRole('status').count()).toBe(0)
    await search.getByLabel('Search the scrollback').fill('no-such-text-here')
    await search.getByRole('button', { name: 'Next match' }).click()
    expect(await search.getByRole('status').textContent()).toBe('not found')
    await page.keyboard.press('Escape')
    expect(await search.count()).toBe(0)
  })

  it('refuses a relative working directory in Exec…, then runs a command as asked', async () => {
    await chooseInRowMenu(page, 'web', 'Exec a command in web')
    const dialog = page.getByRole('dialog', { name: 'Exec in web' })
    await dialog.getByLabel('Working directory', { exact: true }).fill('tmp')
    await dialog.getByRole('button', { name: 'Exec', exact: true }).click()
    expect(await dialog.getByRole('alert').textContent()).toBe('the working directory is an absolute path')
    expect(await pane('exec').count()).toBe(1)
    await dialog.getByLabel('Working directory', { exact: true }).fill('/etc')
    await dialog.getByLabel('User', { exact: true }).fill('65534')
    await dialog.getByLabel('Environment', { exact: true }).fill('GREETING=hello lab')
    await dialog.getByLabel('Command', { exact: true }).fill('sh')
    expect(await dialog.getByLabel('Equivalent docker command').textContent()).toBe(`docker exec -it -u 65534 -w /etc -e 'GREETING=hello lab' web sh`)
    await dialog.getByRole('button', { name: 'Exec', exact: true }).click()
    const exec = pane('exec', 1)
    await expect.poll(() => exec.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    await typeIn(exec, 'echo "$GREETING"; pwd; id -u\n')
    await seeLine(exec, 'hello lab')
    await seeLine(exec, '/etc')
    await seeLine(exec, '65534')
  })

  it('attaches to a container, detaches with Ctrl-P Ctrl-Q, and leaves it running', async () => {
    await docker(h1, 'run', '-dit', '--name', ATTACHED, '--network', 'none', lab.image, 'sh')
    const badge = page.locator(`tr[data-container="${ATTACHED}"] .badge[data-state]`)
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 15_000 }).toBe('running')
    await chooseInRowMenu(page, ATTACHED, `Attach to ${ATTACHED}`)
    const dialog = page.getByRole('dialog', { name: `Attach to ${ATTACHED}` })
    expect(await dialog.getByLabel('Equivalent docker command').textContent()).toBe(`docker attach ${ATTACHED}`)
    await dialog.getByRole('button', { name: 'Attach', exact: true }).click()
    const attach = pane('attach')
    await expect.poll(() => attach.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    expect(await attach.getByRole('note').textContent()).toContain('Detach with Ctrl-P Ctrl-Q to leave it running.')
    await typeIn(attach, 'echo attached-ok\n')
    await seeLine(attach, 'attached-ok')
    await page.keyboard.press('Control+p')
    await page.keyboard.press('Control+q')
    await expect.poll(() => attach.getAttribute('data-state'), { timeout: 10_000 }).toBe('detached')
    expect(await selectedTab().textContent()).toContain('detached')
    expect(await docker(h1, 'inspect', '-f', '{{.State.Running}}', ATTACHED)).toBe('true')
  })

  it('opens a login shell on the host, as the lab user', async () => {
    await page.getByRole('button', { name: 'Shell on h1', exact: true }).click()
    const shell = pane('host')
    await expect.poll(() => shell.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    await typeIn(shell, 'whoami\n')
    await seeLine(shell, h1.user)
  })

  it('keeps another terminal typing while one floods, and Ctrl-C stops the flood at once', async () => {
    await page.getByRole('button', { name: 'Split side by side' }).click()
    const flood = pane('host', 0)
    const other = pane('host', 1)
    await expect.poll(() => other.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    await typeIn(flood, 'yes berth-flood\n')
    await seeLine(flood, 'berth-flood')
    const started = Date.now()
    await typeIn(other, 'echo alive-$((2+3))\n')
    await seeLine(other, 'alive-5', 5_000)
    const echoMs = Date.now() - started
    await page.screenshot({ path: join(screenshots, 'terminal-flood.png') })
    await flood.locator('.xterm-screen').click()
    await page.keyboard.press('Control+c')
    // the prompt is back: a command typed now runs
    await typeIn(flood, 'echo done-$((3+4))\n')
    await seeLine(flood, 'done-7', 10_000)
    console.log(`echo in the second terminal during the flood: ${echoMs} ms`)
  })

  it('runs a container attached from the run form, in a terminal on its main process', async () => {
    await page.getByRole('tab', { name: 'Containers' }).click()
    await page.getByRole('button', { name: 'Run container…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Run container' })
    await dialog.getByLabel('Image', { exact: true }).fill(lab.image)
    await dialog.getByLabel('Container name', { exact: true }).fill(RUN_ATTACHED)
    await dialog.getByLabel('Command', { exact: true }).fill('sh')
    await dialog.getByLabel('Network', { exact: true }).fill('none')
    await dialog.getByRole('radio', { name: 'Attached' }).check()
    expect(await dialog.getByLabel('Equivalent docker command').textContent()).toBe(`docker run -it --name ${RUN_ATTACHED} --network none ${lab.image} sh`)
    await dialog.getByRole('button', { name: 'Run', exact: true }).click()
    const attach = pane('attach', 1)
    await expect.poll(() => attach.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    await typeIn(attach, 'echo run-attached-$((1+1))\n')
    await seeLine(attach, 'run-attached-2')
    await page.keyboard.press('Control+p')
    await page.keyboard.press('Control+q')
    await expect.poll(() => attach.getAttribute('data-state'), { timeout: 10_000 }).toBe('detached')
    expect(await docker(h1, 'inspect', '-f', '{{.State.Running}} {{.Config.Tty}} {{.Config.OpenStdin}}', RUN_ATTACHED)).toBe('true true true')
  })

  it('keeps the shell through a disconnect: reconnecting shown, then what was printed meanwhile', async () => {
    await page.getByRole('button', { name: 'Exec shell in web', exact: true }).click()
    const exec = page.locator('section[data-kind="exec"]').last()
    await expect.poll(() => exec.getAttribute('data-state'), { timeout: 20_000 }).toBe('live')
    await typeIn(exec, 'clear; i=0; while [ $i -lt 8 ]; do echo tick-$i; i=$((i+1)); sleep 1; done\n')
    await seeLine(exec, 'tick-1')
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click()
    await expect.poll(() => exec.getAttribute('data-state'), { timeout: 10_000 }).toBe('reconnecting')
    expect(await exec.getByRole('status').textContent()).toContain('Not connected to h1: this terminal resumes when the host is connected again.')
    await page.waitForTimeout(3_000)
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect.poll(() => exec.getAttribute('data-state'), { timeout: 30_000 }).toBe('live')
    await seeLine(exec, 'tick-7', 15_000)
    // every tick once and in order: those printed while disconnected came back with the link
    const ticks = (await lines(exec)).filter((l) => /^tick-\d+$/.test(l))
    expect(ticks).toEqual(['tick-0', 'tick-1', 'tick-2', 'tick-3', 'tick-4', 'tick-5', 'tick-6', 'tick-7'])
    await typeIn(exec, 'echo still-$((40+2))\n')
    await seeLine(exec, 'still-42')
    await closeSelectedTab()
  })

  it('brings the terminals back after a window reload, with what they printed', async () => {
    const panes = page.locator('section[data-kind]')
    const tabs = page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab')
    const before = { panes: await panes.count(), tabs: await tabs.count() }
    await page.reload()
    // every terminal comes back, in the tabs and splits it was in
    await expect.poll(() => panes.count(), { timeout: 20_000 }).toBe(before.panes)
    expect(await tabs.count()).toBe(before.tabs)
    await tabs.filter({ hasText: 'web' }).first().click()
    const exec = pane('exec')
    await seeLine(exec, 'berth-42')
    expect(await exec.getAttribute('data-state')).toBe('live')
    await typeIn(exec, 'echo after-reload-$((5*5))\n')
    await seeLine(exec, 'after-reload-25')
  })
})
