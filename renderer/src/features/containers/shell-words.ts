/**
 * Command lines as a POSIX shell reads them, both ways: a typed command becomes the argument
 * array the engine takes, and an array becomes a line a user can paste into a shell.
 */

const plainWord = /^[A-Za-z0-9_/.:=@%+,-]+$/

/** Quotes one argument for sh: left bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (plainWord.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

export function shellJoin(words: string[]): string {
  return words.map(shellQuote).join(' ')
}

export type Words = { ok: true; words: string[] } | { ok: false; message: string }

/** Splits a line into words with sh's quoting rules ('…', "…", backslash); no expansions. */
export function splitWords(line: string): Words {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: "'" | '"' | null = null
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote === "'") {
      if (ch === "'") quote = null
      else word += ch
    } else if (quote === '"') {
      if (ch === '"') quote = null
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i]
      else word += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      inWord = true
    } else if (ch === '\\') {
      if (i + 1 < line.length) word += line[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += ch
      inWord = true
    }
  }
  if (quote !== null) return { ok: false, message: `a ${quote === "'" ? 'single' : 'double'} quote is not closed` }
  if (inWord) words.push(word)
  return { ok: true, words }
}
