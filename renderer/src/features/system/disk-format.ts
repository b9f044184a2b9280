/** Byte sizes written the way the docker CLI writes them, so the window and `docker system df` agree. */

const decimalUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']

/** go-units' HumanSize: decimal units, four significant digits ("1.982MB", "300kB", "0B"). */
export function humanSize(bytes: number): string {
  let size = bytes
  let unit = 0
  while (size >= 1000 && unit < decimalUnits.length - 1) {
    size /= 1000
    unit += 1
  }
  return `${parseFloat(size.toPrecision(4))}${decimalUnits[unit]}`
}

/** `docker system df`'s RECLAIMABLE column: the size and, when there is any total, its share. */
export function reclaimableText(reclaimableBytes: number, totalBytes: number): string {
  const size = humanSize(reclaimableBytes)
  return totalBytes > 0 ? `${size} (${Math.floor((reclaimableBytes * 100) / totalBytes)}%)` : size
}
