/** `docker system df`'s wording, so the window and the CLI agree. */
import { humanSize } from '../../ui/units'

/** `docker system df`'s RECLAIMABLE column: the size and, when there is any total, its share. */
export function reclaimableText(reclaimableBytes: number, totalBytes: number): string {
  const size = humanSize(reclaimableBytes)
  return totalBytes > 0 ? `${size} (${Math.floor((reclaimableBytes * 100) / totalBytes)}%)` : size
}
