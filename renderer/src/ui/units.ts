/**
 * Sizes as the docker CLI writes them, so the window and a terminal agree: go-units' HumanSize,
 * decimal units with no space ("1.982MB", "300kB", "0B"). Four significant digits, as
 * `docker system df` prints; `docker images` prints three.
 */
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']

export function humanSize(bytes: number, significantDigits = 4): string {
  let size = bytes
  let unit = 0
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000
    unit += 1
  }
  return `${parseFloat(size.toPrecision(significantDigits))}${UNITS[unit]}`
}
